import type { Command } from 'commander';
import { parseEnvironment, serverEnvironmentSchema } from '../config/environment.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP API and the web UI; with the workers too unless --api-only')
    .option('--api-only', 'run only the API (workers run as `clearance worker` processes)')
    .action(async (options: { apiOnly?: boolean }) => {
      const [{ loadActivePolicy }, { stopOnSignals }, { createLogger }, { startServer }] = await Promise.all([
        import('../runtime/active-policy.js'),
        import('../runtime/graceful-shutdown.js'),
        import('../runtime/logger.js'),
        import('../runtime/server-runtime.js'),
      ]);
      const env = parseEnvironment(serverEnvironmentSchema, process.env);
      const log = createLogger(env.LOG_LEVEL, 'clearance');
      const policy = await loadActivePolicy(env.CLEARANCE_POLICY_DIR);
      log.info({ policyVersion: policy.version }, 'policy loaded');
      const server = await startServer({
        env,
        log,
        policy,
        withWorkers: !options.apiOnly,
        announce: (line) => process.stderr.write(`${line}\n`),
      });
      stopOnSignals(() => server.stop(), env.SHUTDOWN_GRACE_MS, log);
    });
}
