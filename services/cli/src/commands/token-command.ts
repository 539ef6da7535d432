import { roleSchema, type Role } from '@clearance/core';
import { InvalidArgumentError, type Command } from 'commander';
import { withStorage } from './storage-environment.js';

const parseRoles = (value: string): Role[] =>
  value.split(',').map((role) => {
    const parsed = roleSchema.safeParse(role.trim());
    if (!parsed.success) throw new InvalidArgumentError(`unknown role "${role}" (roles: ${roleSchema.options.join(', ')})`);
    return parsed.data;
  });

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('create, list and revoke API tokens (direct database access)');
  token
    .command('create')
    .description('create a token and print it once')
    .requiredOption('--user <name>', 'who the token belongs to')
    .requiredOption('--roles <list>', 'comma-separated roles, e.g. ospo,legal', parseRoles)
    .action(async (options: { user: string; roles: Role[] }) => {
      const { issueToken } = await import('@clearance/services');
      const issued = await withStorage((db) =>
        issueToken(db, { user: options.user, roles: options.roles, actor: `cli:${process.env.USER ?? 'unknown'}`, policyVersion: null }),
      );
      process.stderr.write(`Token ${issued.row.id} for ${issued.row.user} (${issued.row.roles.join(', ')}); it is shown once:\n`);
      process.stdout.write(`${issued.token}\n`);
    });
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .action(async () => {
      const { listTokens } = await import('@clearance/db');
      const rows = await withStorage((db) => listTokens(db));
      for (const row of rows) {
        process.stdout.write(
          `${row.id}\t${row.user}\t${row.roles.join(',')}\t${row.createdAt.toISOString()}\t${row.revokedAt ? `revoked ${row.revokedAt.toISOString()}` : 'active'}\n`,
        );
      }
    });
  token
    .command('revoke <id>')
    .description('revoke a token')
    .action(async (id: string) => {
      const { revokeApiToken } = await import('@clearance/services');
      await withStorage((db) => revokeApiToken(db, { id, actor: `cli:${process.env.USER ?? 'unknown'}`, policyVersion: null }));
      process.stdout.write(`revoked ${id}\n`);
    });
}
