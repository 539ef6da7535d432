import { Command } from 'commander';
import { registerAuditCommands } from './commands/audit-commands.js';
import { registerOfflineAuditCommands } from './commands/audit-offline.js';
import { registerCheckCommand } from './commands/check.js';
import { registerContributionCommands } from './commands/contribution-commands.js';
import { registerMigrateCommand } from './commands/migrate-command.js';
import { registerNoticeCommand } from './commands/notice.js';
import { registerPolicyCommands } from './commands/policy-validate.js';
import { registerRotateKeyCommand } from './commands/rotate-key-command.js';
import { registerSbomCommands } from './commands/sbom-commands.js';
import { registerServeCommand } from './commands/serve-command.js';
import { registerTokenCommands } from './commands/token-command.js';
import { registerReleaseCommands } from './commands/release-commands.js';
import { registerWaiverCommands } from './commands/waiver-commands.js';
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
  registerCheckCommand(program);
  registerNoticeCommand(program);
  registerContributionCommands(program);
  registerSbomCommands(program);
  registerWaiverCommands(program);
  registerReleaseCommands(program);
  registerPolicyCommands(program);
  const audit = program.command('audit').description('search, verify, export and report on the audit log');
  registerAuditCommands(audit);
  registerOfflineAuditCommands(audit);
  registerRotateKeyCommand(audit);
  return program;
}
