import { handlerFor, recordHeartbeat } from '@clearance/queue';

/**
 * Proves, end to end, that this deployment's workers take jobs: /readyz reads
 * the time of the last heartbeat, since a BullMQ worker can silently stop
 * consuming after a Redis outage while its process looks healthy.
 */
export const heartbeatHandler = (prefix: string) =>
  handlerFor('system.heartbeat', async (_payload, context) => {
    await recordHeartbeat(context.redis, prefix);
  });
