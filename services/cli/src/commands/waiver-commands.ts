import { AppError, type Verdict } from '@clearance/core';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { createApiClient } from './api-client.js';
import { formatWaiver, formatWaiverList, type WaiverJson } from './sbom-format.js';

interface GrantOptions {
  purl: string;
  match: WaiverJson['scope']['match'];
  license?: string;
  verdict: Verdict;
  justification: string;
  expires: string;
  json?: boolean;
}

const out = (text: string): void => {
  process.stdout.write(text);
};

/** `90d` (days from now), `2027-01-31` (midnight UTC) or a full ISO 8601 date-time; anything else is refused before it is sent. */
const expiry = (value: string): string => {
  const days = /^(\d{1,4})d$/.exec(value)?.[1];
  if (days !== undefined) return new Date(Date.now() + Number(days) * 86_400_000).toISOString();
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw new InvalidArgumentError('a number of days (90d), a date (2027-01-31) or an ISO 8601 date-time with a zone (2027-01-31T12:00:00Z)');
  }
  return new Date(text).toISOString();
};

const purl = (value: string): string => {
  if (!value.startsWith('pkg:')) throw new InvalidArgumentError('a package URL, e.g. pkg:npm/%40babel/parser@7.24.0');
  return value;
};

const waiverPath = (id: string): string => {
  if (!/^wvr_[0-9a-f]{16}$/.test(id)) throw new AppError('bad_request', `"${id}" is not a waiver id (wvr_ and 16 hex digits, as grant printed it)`);
  return `/waivers/${id}`;
};

/** `clearance waiver …`: scoped license waivers on the server (compliance and legal grant and revoke). */
export function registerWaiverCommands(program: Command): void {
  const waiver = program.command('waiver').description('grant, list and revoke license waivers on the server');

  waiver
    .command('grant')
    .description('force a verdict for a package scope, with a justification and an expiry')
    .requiredOption('--purl <purl>', 'the package URL the waiver covers', purl)
    .addOption(new Option('--match <match>', 'exact: this purl (with its version); any-version: every version; prefix: every purl starting with it').choices(['exact', 'any-version', 'prefix']).default('exact'))
    .option('--license <expression>', 'only while the component carries this license expression')
    .addOption(new Option('--verdict <verdict>', 'the verdict the waiver gives').choices(['allow', 'review', 'deny']).default('allow'))
    .requiredOption('--justification <text>', 'why: kept in the audit log')
    .requiredOption('--expires <date>', 'when the waiver ends: 90d (from now), 2027-01-31 or an ISO 8601 date-time', expiry)
    .option('--json', 'print the JSON answer')
    .action(async (options: GrantOptions) => {
      const granted = await createApiClient().request<WaiverJson>('POST', '/waivers', {
        body: {
          scope: { purl: options.purl, match: options.match, ...(options.license === undefined ? {} : { licenseExpression: options.license }) },
          verdict: options.verdict,
          justification: options.justification,
          expiresAt: options.expires,
        },
      });
      out(options.json ? `${JSON.stringify(granted, null, 2)}\n` : `Granted ${granted.id}\n${formatWaiver(granted)}Re-evaluate affected SBOMs with: clearance sbom evaluate <id>\n`);
    });

  waiver
    .command('list')
    .description('waivers, newest first')
    .addOption(new Option('--state <state>', 'only active, expired or revoked ones').choices(['active', 'expired', 'revoked']))
    .option('--json', 'print the JSON answer')
    .action(async (options: { state?: string; json?: boolean }) => {
      const list = await createApiClient().request<{ items: WaiverJson[] }>('GET', '/waivers', { query: { state: options.state } });
      out(options.json ? `${JSON.stringify(list, null, 2)}\n` : formatWaiverList(list.items));
    });

  waiver
    .command('revoke')
    .description('revoke a waiver; the reason is kept in the audit log')
    .argument('<id>', 'the waiver id (wvr_…)')
    .requiredOption('--reason <text>', 'why it is revoked')
    .option('--json', 'print the JSON answer')
    .action(async (id: string, options: { reason: string; json?: boolean }) => {
      const revoked = await createApiClient().request<WaiverJson>('POST', `${waiverPath(id)}/revoke`, { body: { reason: options.reason } });
      out(options.json ? `${JSON.stringify(revoked, null, 2)}\n` : `Revoked ${revoked.id}\n${formatWaiver(revoked)}`);
    });
}
