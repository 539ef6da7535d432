import { QueueRegistry, createRedis } from '@clearance/queue';
import type { LoadedPolicy } from '@clearance/policy';
import { activatePolicy } from '@clearance/services';
import type { Logger } from 'pino';
import type { WorkerEnvironment } from '../config/environment.js';
import { startWorkers } from './start-workers.js';
import { openStorage } from './storage.js';

/**
 * A worker process of the scaled-out form: the workers of every job, and an
 * outbox relay for the rows its handlers write.
 */
export async function startWorkerProcess(env: WorkerEnvironment, log: Logger, policy: LoadedPolicy): Promise<{ stop(): Promise<void> }> {
  const { db } = await openStorage({ databaseUrl: env.DATABASE_URL, schema: env.DATABASE_SCHEMA, dataDir: env.CLEARANCE_DATA_DIR });
  await activatePolicy(db, policy);
  const redisSettings = { url: env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: env.CLEARANCE_REDIS_PREFIX };
  const producer = createRedis(redisSettings, 'producer');
  const queues = new QueueRegistry(producer, redisSettings.prefix);
  let workers;
  try {
    workers = await startWorkers({ db, log, policy, redis: redisSettings, queues, env, channelEnv: process.env });
  } catch (error) {
    await queues.close();
    producer.disconnect();
    await db.close();
    throw error;
  }
  log.info({ redis: redisSettings.prefix }, 'worker is taking jobs');
  return {
    async stop() {
      await workers.stop(env.SHUTDOWN_GRACE_MS);
      await queues.close().catch(() => undefined);
      producer.disconnect();
      await db.close();
    },
  };
}
