import { z } from 'zod';
import { defineJob } from './job-definition.js';

/**
 * Every job Clearance runs: name -> payload schema, retries, domain key.
 * Only names in this catalog can be enqueued, and a worker process refuses to
 * start unless each has exactly one handler.
 */
export const jobCatalog = {
  'system.heartbeat': defineJob({
    schema: z.strictObject({}),
    attempts: 1,
    backoff: { type: 'fixed', delayMs: 1_000 },
    key: () => 'heartbeat',
    concurrency: 1,
    everyMs: 5_000,
  }),
  'sbom.evaluate': defineJob({
    schema: z.strictObject({ sbomId: z.string().min(1), evaluation: z.number().int().positive() }),
    attempts: 5,
    backoff: { type: 'exponential', delayMs: 2_000 },
    key: (payload) => `${payload.sbomId}.${payload.evaluation}`,
    concurrency: 2,
  }),
  'waiver.expiry-sweep': defineJob({
    schema: z.strictObject({}),
    attempts: 3,
    backoff: { type: 'exponential', delayMs: 5_000 },
    key: () => 'sweep',
    concurrency: 1,
    everyMs: 60_000,
  }),
  /** Reads GitHub about a new request, then routes it. Transient GitHub errors retry; the last try routes with what it has. */
  'contribution.enrich': defineJob({
    schema: z.strictObject({ requestId: z.string().min(1) }),
    attempts: 6,
    backoff: { type: 'exponential', delayMs: 1_000 },
    key: (payload) => payload.requestId,
    concurrency: 4,
  }),
  /** Delayed to a stage's due time; escalates the stage if it is still undecided then. */
  'contribution.sla': defineJob({
    schema: z.strictObject({ requestId: z.string().min(1), stageIndex: z.number().int().nonnegative() }),
    attempts: 5,
    backoff: { type: 'exponential', delayMs: 5_000 },
    key: (payload) => `${payload.requestId}.${payload.stageIndex}`,
    concurrency: 2,
  }),
  /** After a final decision: comment on the linked pull request, create an approved new project's repository. */
  'contribution.after-decision': defineJob({
    schema: z.strictObject({ requestId: z.string().min(1) }),
    attempts: 8,
    backoff: { type: 'exponential', delayMs: 5_000 },
    key: (payload) => payload.requestId,
    concurrency: 2,
  }),
  /** Reads the audit log past its cursor and plans the notices its events call for (notifications.yaml). */
  'notification.dispatch': defineJob({
    schema: z.strictObject({}),
    attempts: 3,
    backoff: { type: 'exponential', delayMs: 2_000 },
    key: () => 'sweep',
    concurrency: 1,
    everyMs: 2_000,
  }),
  /** Sends one notice to one recipient on one channel; the delivery row makes a retry after an acknowledgement a no-op. */
  'notification.deliver': defineJob({
    schema: z.strictObject({ deliveryId: z.string().regex(/^ntf_[0-9a-f]{32}$/), round: z.number().int().positive() }),
    attempts: 6,
    backoff: { type: 'exponential', delayMs: 1_000 },
    key: (payload) => `${payload.deliveryId}.${payload.round}`,
    concurrency: 4,
  }),
  /** Once a day (07:00 UTC): each recipient's held notices become one digest message. */
  'notification.digest': defineJob({
    schema: z.strictObject({}),
    attempts: 3,
    backoff: { type: 'exponential', delayMs: 60_000 },
    key: () => 'daily',
    concurrency: 1,
    cron: '0 7 * * *',
  }),
  /** Re-reads the pull requests of approved requests; flags a merged one larger than its tier allows. */
  'contribution.drift': defineJob({
    schema: z.strictObject({}),
    attempts: 3,
    backoff: { type: 'exponential', delayMs: 30_000 },
    key: () => 'sweep',
    concurrency: 1,
    everyMs: 60 * 60 * 1000,
  }),
} as const;

export type JobCatalog = typeof jobCatalog;
export type JobName = keyof JobCatalog;
export type JobPayload<Name extends JobName> = z.infer<JobCatalog[Name]['schema']>;

export const jobNames = Object.keys(jobCatalog) as JobName[];

export const isJobName = (name: string): name is JobName => Object.hasOwn(jobCatalog, name);

/**
 * The BullMQ job id and outbox id of one unit of work. BullMQ refuses ids
 * with ':' and ids that look like integers, so the name prefix stays.
 */
export const jobIdOf = <Name extends JobName>(name: Name, payload: JobPayload<Name>): string => {
  const key = (jobCatalog[name].key as (payload: JobPayload<Name>) => string)(payload);
  return `${name}.${key}`.replaceAll(':', '_');
};
