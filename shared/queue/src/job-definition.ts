import type { z } from 'zod';

export interface JobDefinition<Schema extends z.ZodType = z.ZodType> {
  /** The payload, parsed when written to the outbox and again when a worker takes the job. */
  schema: Schema;
  attempts: number;
  backoff: { type: 'exponential' | 'fixed'; delayMs: number };
  /**
   * The domain key of one unit of work: the same key is the same work, and it
   * is never queued twice (it becomes the outbox id and the BullMQ job id).
   */
  key: (payload: z.infer<Schema>) => string;
  /** How many jobs of this kind one worker process runs at once. */
  concurrency: number;
  /** Periodic jobs: the worker host keeps one BullMQ job scheduler per entry. */
  everyMs?: number;
  /** Periodic jobs at set times of day: a cron pattern (UTC), for work that is per day rather than every so often. */
  cron?: string;
}

export const defineJob = <Schema extends z.ZodType>(definition: JobDefinition<Schema>): JobDefinition<Schema> =>
  definition;
