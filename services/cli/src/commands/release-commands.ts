import type { Release, ReleaseObligation, ReleaseSummary } from '@clearance/contract';
import { AppError } from '@clearance/core';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { createApiClient } from './api-client.js';

const out = (text: string): void => {
  process.stdout.write(text);
};

const releasePath = (id: string): string => {
  if (!/^rel_[0-9a-f]{16}$/.test(id)) throw new AppError('bad_request', `"${id}" is not a release id (rel_ and 16 hex digits, as create printed it)`);
  return `/releases/${id}`;
};

const sha256 = (value: string): string => {
  if (!/^[0-9a-f]{64}$/.test(value)) throw new InvalidArgumentError('a SHA-256 in lower-case hex (64 characters)');
  return value;
};

const evidenceLine = (item: ReleaseObligation): string => {
  if (item.state === 'waived') return `waived: ${item.reason ?? ''}`;
  const evidence = item.evidence;
  if (evidence === null) return '';
  if (evidence.kind === 'url') return evidence.url;
  return `${evidence.kind === 'notice' ? 'NOTICE' : (evidence.name ?? 'file')} sha256 ${evidence.sha256}`;
};

/** The release and its checklist as a person reads it: one obligation a line, its evidence under it. */
export const formatRelease = (release: Release): string => {
  const lines = [
    `${release.id}  ${release.name} ${release.version}  ${release.status}`,
    `SBOM ${release.sbomId} (evaluation ${release.sbomEvaluation})  NOTICE sha256 ${release.noticeSha256}`,
    ...release.obligations.flatMap((item) => {
      const line = `  [${item.state === 'open' ? ' ' : item.state === 'fulfilled' ? 'x' : '-'}] ${item.key}  ${item.source}  (${item.components.length} components)`;
      const detail = evidenceLine(item);
      return detail === '' ? [line] : [line, `      ${detail} (${item.updatedBy ?? ''})`];
    }),
  ];
  return `${lines.join('\n')}\n`;
};

const formatReleaseList = (items: readonly ReleaseSummary[]): string =>
  items.length === 0 ? 'No releases.\n' : `${items.map((r) => `${r.id}  ${r.name} ${r.version}  ${r.status}  ${r.open} of ${r.total} open`).join('\n')}\n`;

/** `clearance release …`: releases and their obligations checklist on the server (compliance creates and marks). */
export function registerReleaseCommands(program: Command): void {
  const release = program.command('release').description('create releases from evaluated SBOMs and work their obligations checklist on the server');
  const print = (answer: Release, json: boolean | undefined): void => out(json ? `${JSON.stringify(answer, null, 2)}\n` : formatRelease(answer));

  release
    .command('create')
    .description("a release of an evaluated SBOM: its obligations become the release's checklist")
    .requiredOption('--name <name>', 'the product name')
    .requiredOption('--version <version>', 'the product version')
    .requiredOption('--sbom <id>', 'the evaluated SBOM (sbom_…)')
    .option('--json', 'print the JSON answer')
    .action(async (options: { name: string; version: string; sbom: string; json?: boolean }) => {
      print(await createApiClient().request<Release>('POST', '/releases', { body: { name: options.name, version: options.version, sbomId: options.sbom } }), options.json);
    });

  release
    .command('show')
    .description('a release and its checklist')
    .argument('<id>', 'the release id (rel_…)')
    .option('--json', 'print the JSON answer')
    .action(async (id: string, options: { json?: boolean }) => {
      print(await createApiClient().request<Release>('GET', releasePath(id)), options.json);
    });

  release
    .command('list')
    .description('releases, newest first')
    .addOption(new Option('--status <status>', 'only open or cleared ones').choices(['open', 'cleared']))
    .option('--json', 'print the JSON answer')
    .action(async (options: { status?: string; json?: boolean }) => {
      const list = await createApiClient().request<{ items: ReleaseSummary[] }>('GET', '/releases', { query: { status: options.status } });
      out(options.json ? `${JSON.stringify(list, null, 2)}\n` : formatReleaseList(list.items));
    });

  release
    .command('fulfil')
    .description('mark an obligation fulfilled with evidence (exactly one of --notice, --url, --sha256)')
    .argument('<id>', 'the release id (rel_…)')
    .argument('<key>', 'the obligation, as show prints it (e.g. attribution:Apache-2.0)')
    .option('--notice', "the release's NOTICE (its SHA-256 is filled in)")
    .option('--url <url>', 'a URL that shows it (e.g. the published source offer)')
    .option('--sha256 <hash>', 'the SHA-256 of a file that ships', sha256)
    .option('--file-name <name>', 'with --sha256: the file it is of')
    .option('--json', 'print the JSON answer')
    .action(async (id: string, key: string, options: { notice?: boolean; url?: string; sha256?: string; fileName?: string; json?: boolean }) => {
      const given = [options.notice === true, options.url !== undefined, options.sha256 !== undefined].filter(Boolean).length;
      if (given !== 1) throw new AppError('bad_request', 'evidence: give exactly one of --notice, --url <url>, --sha256 <hash>');
      const evidence =
        options.url !== undefined
          ? { kind: 'url', url: options.url }
          : options.sha256 !== undefined
            ? { kind: 'file', sha256: options.sha256, ...(options.fileName === undefined ? {} : { name: options.fileName }) }
            : { kind: 'notice' };
      print(await createApiClient().request<Release>('POST', `${releasePath(id)}/obligations/${encodeURIComponent(key)}/fulfil`, { body: { evidence } }), options.json);
    });

  release
    .command('waive')
    .description('waive an obligation; the reason is kept in the audit log')
    .argument('<id>', 'the release id (rel_…)')
    .argument('<key>', 'the obligation, as show prints it')
    .requiredOption('--reason <text>', 'why it does not apply')
    .option('--json', 'print the JSON answer')
    .action(async (id: string, key: string, options: { reason: string; json?: boolean }) => {
      print(await createApiClient().request<Release>('POST', `${releasePath(id)}/obligations/${encodeURIComponent(key)}/waive`, { body: { reason: options.reason } }), options.json);
    });
}
