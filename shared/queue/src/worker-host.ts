import { isAppError, type ErrorCode } from '@clearance/core';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobCatalog, type JobName } from './job-catalog.js';
import { resolveHandlers, type HandlerRegistration, type JobHandler, type JobLogger } from './job-handler.js';
import { QueueRegistry } from './queue-registry.js';
import { createRedis, heartbeatKey, type RedisSettings } from './redis-connection.js';

/** Errors that will fail the same way on every try: retrying only delays the visible failure. */
const permanentCodes: readonly ErrorCode[] = ['bad_request', 'validation_failed', 'unprocessable', 'payload_too_large', 'not_found', 'forbidden'];

export interface WorkerHostOptions {
  redis: RedisSettings;
  registrations: readonly HandlerRegistration[];
  log: JobLogger;
  heartbeatEveryMs?: number;
  lockDurationMs?: number;
}

/**
 * Runs one BullMQ worker per job of the catalog in this process. Payloads are
 * parsed again on the way in (Redis is not trusted to hold what we wrote), and
 * every outcome is visible: a job either completes, retries, or ends failed.
 */
export class WorkerHost {
  private readonly handlers: Map<JobName, JobHandler<JobName>>;
  private readonly workers: Worker[] = [];
  private connection: Redis | null = null;
  private producer: Redis | null = null;
  private queues: QueueRegistry | null = null;
  /** Last time any job finished here, successful or not: proof the workers still consume. */
  lastProgressAt: number | null = null;

  constructor(private readonly options: WorkerHostOptions) {
    this.handlers = resolveHandlers(options.registrations);
  }

  async start(): Promise<void> {
    const connection = createRedis(this.options.redis, 'worker');
    this.connection = connection;
    for (const [name, handler] of this.handlers) {
      const worker: Worker = new Worker(name, (job: Job): Promise<void> => this.process(name, handler, job, worker), {
        connection,
        prefix: this.options.redis.prefix,
        concurrency: jobCatalog[name].concurrency,
        // A worker that dies (kill -9, OOM) leaves its jobs locked: a short lock
        // and a frequent stalled check hand them to another worker within ~20 s.
        // Locks are renewed every half lockDuration while a job runs, and every
        // synchronous step of a handler is bounded well below that.
        lockDuration: this.options.lockDurationMs ?? 15_000,
        stalledInterval: 5_000,
        // A job cut off by crashes more than this is failed (visibly); one
        // crash is not the job's fault, so allow several.
        maxStalledCount: 5,
      });
      worker.on('error', (error: Error) => this.options.log.warn({ job: name, err: error.message }, 'worker connection error'));
      worker.on('completed', () => {
        this.lastProgressAt = Date.now();
      });
      worker.on('failed', (job: Job | undefined, error: Error) => {
        this.lastProgressAt = Date.now();
        this.options.log.warn({ job: name, jobId: job?.id, attempt: job?.attemptsMade, err: error.message }, 'job failed');
      });
      this.workers.push(worker);
    }
    this.producer = createRedis(this.options.redis, 'producer');
    this.queues = new QueueRegistry(this.producer, this.options.redis.prefix);
    // Schedulers are upserted by id, so every worker process can do this safely.
    for (const name of this.handlers.keys()) {
      const catalogEvery: number | undefined = jobCatalog[name].everyMs;
      const every = name === 'system.heartbeat' ? (this.options.heartbeatEveryMs ?? catalogEvery) : catalogEvery;
      const pattern: string | undefined = jobCatalog[name].cron;
      if (every !== undefined) await this.queues.get(name).upsertJobScheduler(name, { every }, { name, data: {} });
      else if (pattern !== undefined) await this.queues.get(name).upsertJobScheduler(name, { pattern, tz: 'UTC' }, { name, data: {} });
    }
  }

  private async process(name: JobName, handler: JobHandler<JobName>, job: Job, worker: Worker): Promise<void> {
    const parsed = jobCatalog[name].schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`payload of ${name} does not match its schema: ${parsed.error.message}`);
    const connection = this.connection;
    if (!connection) throw new Error('worker host is not started');
    try {
      await handler(parsed.data, {
        jobId: job.id ?? '',
        attempt: job.attemptsMade + 1,
        redis: connection,
        log: this.options.log,
        extendLock: async () => {
          if (job.token) await job.extendLock(job.token, worker.opts.lockDuration ?? 15_000);
        },
      });
    } catch (error) {
      if (isAppError(error) && permanentCodes.includes(error.code)) throw new UnrecoverableError(`${error.code}: ${error.message}`);
      throw error;
    }
  }

  /**
   * Stops taking jobs and waits for the running ones, but never longer than
   * `graceMs`: BullMQ's close can hang on a dead connection. Jobs cut off here
   * are retried elsewhere once their lock expires (handlers are idempotent).
   */
  async close(graceMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const graceful = Promise.all(this.workers.map((worker) => worker.close())).then(() => 'closed' as const);
    const outcome = await Promise.race([graceful, deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.options.log.warn({ graceMs }, 'workers did not stop in time; forcing');
      await Promise.race([Promise.all(this.workers.map((worker) => worker.close(true))), new Promise((r) => setTimeout(r, 1_000))]);
    }
    await this.queues?.close().catch(() => undefined);
    // BullMQ leaves a connection it was handed open; an open socket would keep the process alive.
    this.producer?.disconnect();
    this.connection?.disconnect();
  }
}

export async function recordHeartbeat(redis: Redis, prefix: string): Promise<void> {
  await redis.set(heartbeatKey(prefix), String(Date.now()), 'EX', 3_600);
}

/** Milliseconds since a worker last processed a heartbeat job, or null when none ever did. */
export async function heartbeatAgeMs(redis: Redis, prefix: string): Promise<number | null> {
  const value = await redis.get(heartbeatKey(prefix));
  return value === null ? null : Date.now() - Number(value);
}
