import type { Redis } from 'ioredis';
import { jobNames, isJobName, type JobName, type JobPayload } from './job-catalog.js';

export interface JobLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface JobContext {
  jobId: string;
  /** 1 on the first try. */
  attempt: number;
  redis: Redis;
  log: JobLogger;
  /** Keeps the BullMQ lock of a long job alive; call it between chunks of work. */
  extendLock: () => Promise<void>;
}

export type JobHandler<Name extends JobName> = (payload: JobPayload<Name>, context: JobContext) => Promise<void>;

export interface HandlerRegistration {
  job: string;
  handle: JobHandler<JobName>;
}

export const handlerFor = <Name extends JobName>(job: Name, handle: JobHandler<Name>): HandlerRegistration => ({
  job,
  handle,
});

/**
 * A worker process must handle every job of the catalog exactly once: a
 * missing handler would leave work queued forever, two would make it depend
 * on registration order which one runs.
 */
export function resolveHandlers(registrations: readonly HandlerRegistration[]): Map<JobName, JobHandler<JobName>> {
  const handlers = new Map<JobName, JobHandler<JobName>>();
  const problems: string[] = [];
  for (const registration of registrations) {
    if (!isJobName(registration.job)) problems.push(`handler for unknown job "${registration.job}"`);
    else if (handlers.has(registration.job)) problems.push(`two handlers for job "${registration.job}"`);
    else handlers.set(registration.job, registration.handle);
  }
  for (const name of jobNames) if (!handlers.has(name)) problems.push(`no handler for job "${name}"`);
  if (problems.length > 0) throw new Error(`worker handlers do not match the job catalog: ${problems.join('; ')}`);
  return handlers;
}
