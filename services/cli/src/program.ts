import { Command } from 'commander';
import { registerMigrateCommand } from './commands/migrate-command.js';
import { registerServeCommand } from './commands/serve-command.js';
import { registerTokenCommands } from './commands/token-command.js';
import { registerWorkerCommand } from './commands/worker-command.js';

/** The `clearance` command and all its subcommands. */
export function createProgram(): Command {
  const program = new Command('clearance')
    .description('Clearance: the OSPO pipeline for outbound contributions, inbound licenses and the audit log')
    .showHelpAfterError()
    .exitOverride();
  registerServeCommand(program);
  registerWorkerCommand(program);
  registerMigrateCommand(program);
  registerTokenCommands(program);
  return program;
}
