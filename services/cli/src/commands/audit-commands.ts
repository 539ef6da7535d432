import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError, type AuditEventRecord } from '@clearance/core';
import type { Command } from 'commander';
import { extract } from 'tar';
import { createApiClient } from './api-client.js';

interface SearchOptions {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  subject?: string;
  tier?: string;
  outcome?: string;
  upstream?: string;
  license?: string;
  limit: string;
  all?: boolean;
  json?: boolean;
}

const subjectQuery = (subject: string | undefined): { subjectType?: string; subjectId?: string } => {
  if (!subject) return {};
  const [type, ...rest] = subject.split(':');
  return { subjectType: type, subjectId: rest.join(':') || undefined };
};

const eventLine = (event: AuditEventRecord): string =>
  `${event.seq}\t${event.occurredAt}\t${event.actor}\t${event.action}\t${event.subjectType}:${event.subjectId}`;

/** `--out` must be a new or empty folder: the bundle is verified file by file, so nothing else may be in it. */
async function refuseNonEmptyFolder(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    if (error.code === 'ENOTDIR') throw new AppError('bad_request', `--out ${dir} is a file, not a folder`);
    throw error;
  });
  if (entries.length > 0) {
    throw new AppError('bad_request', `--out ${dir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}): give a new or empty folder`);
  }
}

/** The audit commands that need the server: search, verify, export, checkpoint (`report` and `verify-bundle` are in audit-offline.ts). */
export function registerAuditCommands(audit: Command): void {
  audit
    .command('search')
    .description('search audit events (needs CLEARANCE_URL and an auditor CLEARANCE_TOKEN)')
    .option('--from <iso>', 'events at or after this time')
    .option('--to <iso>', 'events before this time')
    .option('--actor <user>')
    .option('--action <action>', 'e.g. contribution.decided, sbom.evaluated, waiver.granted')
    .option('--subject <type:id>', 'e.g. sbom:sbom_0123…')
    .option('--tier <tier>')
    .option('--outcome <outcome>', 'approve, reject, approved, rejected, pass, fail, ...')
    .option('--upstream <text>')
    .option('--license <spdx-id>')
    .option('--limit <n>', 'events per page', '100')
    .option('--all', 'follow the cursor to the last page')
    .option('--json', 'one JSON event per line')
    .action(async (options: SearchOptions) => {
      const client = createApiClient();
      let cursor: number | undefined;
      do {
        const page = await client.request<{ items: AuditEventRecord[]; nextCursor: number | null }>('GET', '/audit/events', {
          query: {
            from: options.from,
            to: options.to,
            actor: options.actor,
            action: options.action,
            ...subjectQuery(options.subject),
            tier: options.tier,
            outcome: options.outcome,
            upstream: options.upstream,
            license: options.license,
            limit: options.limit,
            cursor,
          },
        });
        for (const event of page.items) process.stdout.write(`${options.json ? JSON.stringify(event) : eventLine(event)}\n`);
        cursor = options.all && page.nextCursor !== null ? page.nextCursor : undefined;
      } while (cursor !== undefined);
    });

  audit
    .command('verify')
    .description('recompute the hash chain on the server and check the signed checkpoints; exit 1 when tampered')
    .option('--json', 'print the whole report as JSON')
    .action(async (options: { json?: boolean }) => {
      const report = await createApiClient().request<{
        ok: boolean;
        eventCount: number;
        headSeq: number;
        checkpointsVerified: number;
        firstBadSeq: number | null;
        problems: Array<{ kind: string; seq: number; detail: string }>;
      }>('GET', '/audit/verify');
      if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else if (report.ok) {
        process.stdout.write(`audit chain OK: ${report.eventCount} events up to seq ${report.headSeq}, ${report.checkpointsVerified} signed checkpoints verified\n`);
      } else {
        process.stdout.write(`audit chain BROKEN: first bad seq ${report.firstBadSeq ?? 'n/a'}\n`);
        for (const problem of report.problems) process.stdout.write(`  seq ${problem.seq} ${problem.kind}: ${problem.detail}\n`);
      }
      process.exitCode = report.ok ? 0 : 1;
    });

  audit
    .command('export')
    .description('export a dossier bundle for a period or a subject into a folder (verify it with `audit verify-bundle`)')
    .option('--from <iso>')
    .option('--to <iso>')
    .option('--subject <type:id>')
    .requiredOption('--out <dir>', 'folder to write the bundle into (created; must be empty)')
    .action(async (options: { from?: string; to?: string; subject?: string; out: string }) => {
      // Checked before anything is fetched: a leftover file in the folder would fail verification later.
      await refuseNonEmptyFolder(options.out);
      const response = await createApiClient().download('/audit/export', { from: options.from, to: options.to, subject: options.subject });
      if (!response.body) throw new Error('the server sent no bundle');
      await mkdir(options.out, { recursive: true });
      // The archive holds one folder, dossier/: its contents go straight into --out.
      await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), extract({ cwd: options.out, strip: 1 }));
      process.stdout.write(`dossier written to ${options.out}\n`);
    });

  audit
    .command('checkpoint')
    .description('sign a checkpoint of the current head now (admin)')
    .action(async () => {
      const result = await createApiClient().request<{ checkpoint: { seq: number; keyId: string } | null; message: string }>('POST', '/audit/checkpoints');
      process.stdout.write(result.checkpoint ? `signed checkpoint at seq ${result.checkpoint.seq} (key ${result.checkpoint.keyId})\n` : `${result.message}\n`);
    });
}

/** `audit report` without --bundle: the server computes the report for a period. */
export async function serverReport(options: { from?: string; to?: string; format: 'html' | 'md'; out?: string }): Promise<void> {
  const response = await createApiClient().download('/audit/report', { from: options.from, to: options.to, format: options.format });
  const text = await response.text();
  if (options.out) await writeFile(options.out, text);
  else process.stdout.write(text);
}
