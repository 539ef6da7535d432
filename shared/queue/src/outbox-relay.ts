import { claimPendingOutbox, markOutboxDelivered, type Database } from '@clearance/db';
import { isJobName, jobCatalog, type JobName } from './job-catalog.js';
import type { QueueRegistry } from './queue-registry.js';

export interface RelayLogger {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface OutboxRelayOptions {
  db: Database;
  queues: QueueRegistry;
  log: RelayLogger;
  batchSize?: number;
  /** How often an idle relay looks for rows written by other processes. */
  pollMs?: number;
  /** Longest wait between retries while Redis refuses work. */
  maxBackoffMs?: number;
  /** Longest wait for Redis to take a batch before the claim is given up (and retried). */
  handOffTimeoutMs?: number;
}

/**
 * `work`, or an error once `ms` have passed. A BullMQ call made while Redis
 * restarts can wait forever for a connection; the relay's claim (rows locked
 * FOR UPDATE, skipped by every other relay) must not wait with it.
 */
async function withinMs<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Moves committed outbox rows to BullMQ. A row is marked delivered in the
 * same transaction that claimed it, after Redis accepted the job, so a crash
 * between the two re-delivers (the outbox id is the job id: BullMQ ignores the
 * duplicate) and never drops. Rolled-back rows were never visible to it.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly maxBackoffMs: number;
  private readonly handOffTimeoutMs: number;
  lastError: string | null = null;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.pollMs = options.pollMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.handOffTimeoutMs = options.handOffTimeoutMs ?? 10_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Called after a commit that wrote outbox rows, so they go out without waiting for the poll. */
  nudge(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** Delivers one batch; returns how many rows left the outbox. */
  async deliverBatch(): Promise<number> {
    return this.options.db.transaction(async (tx) => {
      const rows = await claimPendingOutbox(tx, this.batchSize);
      const delivered: string[] = [];
      const rejected: string[] = [];
      const jobsByName = new Map<JobName, Array<{ name: JobName; data: unknown; opts: { jobId: string; delay: number } }>>();
      for (const row of rows) {
        if (!isJobName(row.jobName)) {
          rejected.push(row.id);
          this.options.log.error({ outboxId: row.id, jobName: row.jobName }, 'outbox row names no job in the catalog');
          continue;
        }
        const parsed = jobCatalog[row.jobName].schema.safeParse(row.payload);
        if (!parsed.success) {
          rejected.push(row.id);
          this.options.log.error({ outboxId: row.id, jobName: row.jobName }, 'outbox row payload does not match its job');
          continue;
        }
        const jobs = jobsByName.get(row.jobName) ?? [];
        jobs.push({ name: row.jobName, data: parsed.data, opts: { jobId: row.id, delay: Math.max(0, row.runAt.getTime() - Date.now()) } });
        jobsByName.set(row.jobName, jobs);
        delivered.push(row.id);
      }
      // One round trip per queue rather than per job; a job id already in
      // Redis is skipped by BullMQ, so a batch re-sent after a crash or a
      // hand-off that timed out but landed late is harmless.
      for (const [name, jobs] of jobsByName) {
        try {
          await withinMs(this.options.queues.get(name).addBulk(jobs), this.handOffTimeoutMs, `Redis (adding ${jobs.length} ${name} jobs)`);
        } catch (error) {
          this.options.queues.forget(name);
          throw error;
        }
      }
      await markOutboxDelivered(tx, delivered);
      await markOutboxDelivered(tx, rejected, 'rejected: not a valid job of the catalog');
      return delivered.length + rejected.length;
    });
  }

  private async run(): Promise<void> {
    let backoffMs = this.pollMs;
    while (this.running) {
      let moved = 0;
      try {
        moved = await this.deliverBatch();
        this.lastError = null;
        backoffMs = this.pollMs;
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        this.options.log.warn({ err: this.lastError }, 'outbox relay could not deliver; will retry');
        backoffMs = Math.min(backoffMs * 2, this.maxBackoffMs);
      }
      if (moved < this.batchSize && this.running) await this.pause(this.lastError ? backoffMs : this.pollMs);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
