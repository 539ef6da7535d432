import type { Command } from 'commander';
import { withStorage } from './storage-environment.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (serve and worker also do this at start)')
    .action(async () => {
      // Opening the storage migrates it; nothing else to do.
      await withStorage(() => Promise.resolve());
      process.stdout.write('database is up to date\n');
    });
}
