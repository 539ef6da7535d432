import type { Logger } from 'pino';
import { exitAfterLogs } from './logger.js';

/**
 * Stops the process on SIGTERM/SIGINT: `stop` gets the grace period, then
 * the process exits regardless, because a dependency that hangs on close
 * (BullMQ can) must not keep an orchestrator waiting forever.
 */
export function stopOnSignals(stop: () => Promise<void>, graceMs: number, log: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, graceMs }, 'stopping');
    const force = setTimeout(() => {
      log.error({ graceMs }, 'did not stop within the grace period; exiting');
      exitAfterLogs(log, 1);
    }, graceMs + 2_000);
    force.unref();
    stop().then(
      () => {
        log.info('stopped');
        exitAfterLogs(log, 0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'error while stopping');
        exitAfterLogs(log, 1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
