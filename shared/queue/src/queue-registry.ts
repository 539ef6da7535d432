import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobCatalog, type JobName } from './job-catalog.js';

/** One BullMQ queue per job name, created on first use and closed together. */
export class QueueRegistry {
  private readonly queues = new Map<JobName, Queue>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  get(name: JobName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      const definition = jobCatalog[name];
      queue = new Queue(name, {
        connection: this.connection,
        prefix: this.prefix,
        skipWaitingForReady: true,
        defaultJobOptions: {
          attempts: definition.attempts,
          backoff: { type: definition.backoff.type, delay: definition.backoff.delayMs },
          // Finished jobs are kept for a while for inspection; the database,
          // not Redis, is the record of what happened.
          removeOnComplete: { age: 24 * 3600, count: 10_000 },
          removeOnFail: { age: 14 * 24 * 3600 },
        },
      });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * Drops a queue after a failed call, so the next `get` builds a fresh one:
   * a BullMQ queue first used while Redis was down keeps failing after Redis
   * is back (without this, outbox-relay-redis-trouble.test.ts never drains).
   * Closing it is not awaited: it may wait on that same connection.
   */
  forget(name: JobName): void {
    const queue = this.queues.get(name);
    this.queues.delete(name);
    queue?.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}
