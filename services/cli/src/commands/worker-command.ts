import type { Command } from 'commander';
import { parseEnvironment, workerEnvironmentSchema } from '../config/environment.js';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run the queue workers (scaled-out form; needs DATABASE_URL and REDIS_URL)')
    .action(async () => {
      const [{ loadActivePolicy }, { stopOnSignals }, { createLogger }, { startWorkerProcess }] = await Promise.all([
        import('../runtime/active-policy.js'),
        import('../runtime/graceful-shutdown.js'),
        import('../runtime/logger.js'),
        import('../runtime/worker-runtime.js'),
      ]);
      const env = parseEnvironment(workerEnvironmentSchema, process.env);
      const log = createLogger(env.LOG_LEVEL, 'clearance-worker');
      const worker = await startWorkerProcess(env, log, await loadActivePolicy(env.CLEARANCE_POLICY_DIR));
      stopOnSignals(() => worker.stop(), env.SHUTDOWN_GRACE_MS, log);
    });
}
