import { AppError, buildReport, keyFingerprintOf, renderReportHtml, renderReportMarkdown, type AuditEventRecord, type RenderOptions } from '@clearance/core';
import {
  computeConformance,
  conformanceReportSection,
  readBundleEvents,
  readBundleManifest,
  subjectKey,
  verifyBundle,
  type BundleReport,
  type VerifyBundleOptions,
} from '@clearance/dossier';
import { readFile, writeFile } from 'node:fs/promises';
import { Option, type Command, type CommanderError } from 'commander';
import { serverReport } from './audit-commands.js';

/** Where the commands write; replaceable so tests need not capture the process streams. */
export interface CommandOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processOutput: CommandOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export const EXIT_OK = 0;
export const EXIT_TAMPERED = 1;
export const EXIT_USAGE = 2;

// Commander exits 1 on a usage error; 1 means "tampered" here, so a script
// must be able to tell a bad command line (2) from a bad bundle (1).
const usageExit = (error: CommanderError): void => {
  if (error.exitCode === 0) return;
  process.exit(EXIT_USAGE);
};

interface TrustOptions {
  keyId?: string[];
  publicKey?: string;
  expectKey?: string;
}

const trustOptions = (command: Command): Command =>
  command
    .option('--expect-key <fingerprint|file>', "the signing key's SHA-256 fingerprint (as the server prints and serves it) or its public-key PEM file")
    .option('--key-id <id...>', 'key id(s) you trust, published by the organization (16 hex chars)')
    .option('--public-key <file>', 'a public key PEM you trust');

const readKeyFile = async (file: string, flag: string): Promise<string> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError('bad_request', `${flag} ${file}: neither a SHA-256 fingerprint (64 hex digits) nor a readable key file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
};

const expectedKey = async (value: string): Promise<string> => {
  if (/^(sha256:)?[0-9a-f:]{64,95}$/i.test(value.trim())) return value;
  const pem = await readKeyFile(value, '--expect-key');
  try {
    keyFingerprintOf(pem);
  } catch {
    throw new AppError('bad_request', `--expect-key ${value}: the file is not a public key in PEM form`);
  }
  return pem;
};

const trustOf = async (options: TrustOptions): Promise<VerifyBundleOptions> => ({
  trustedKeys: [...(options.keyId ?? []), ...(options.publicKey === undefined ? [] : [await readKeyFile(options.publicKey, '--public-key')])],
  ...(options.expectKey === undefined ? {} : { expectKey: await expectedKey(options.expectKey) }),
});

const describeReport = (dir: string, report: BundleReport): string => {
  const lines: string[] = [];
  if (report.ok) {
    const chain = report.chain;
    const range = report.manifest?.events.firstSeq == null ? 'no events' : `seq ${report.manifest.events.firstSeq}–${report.manifest.events.lastSeq}`;
    lines.push(`OK: ${dir} verified: ${chain?.eventCount ?? 0} events (${range}), ${chain?.checkpointsVerified ?? 0} signed checkpoints matched, key id ${report.manifest?.keyId ?? '?'}.`);
    lines.push(`Signing key SHA-256 fingerprint: ${report.keyFingerprint ?? '?'}${report.keyPinned ? ' (the key you expected)' : ' (NOT PINNED)'}`);
  } else {
    lines.push(`TAMPERED: ${dir} failed verification with ${report.problemCount} problem${report.problemCount === 1 ? '' : 's'}:`);
    for (const problem of report.problems) {
      const where = [problem.file, problem.seq === null ? null : `seq ${problem.seq}`].filter((part) => part !== null).join(', ');
      lines.push(`  ${problem.kind}${where === '' ? '' : ` (${where})`}: ${problem.detail}`);
    }
    if (report.problemCount > report.problems.length) lines.push(`  … and ${report.problemCount - report.problems.length} more`);
  }
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
};

/**
 * `audit verify-bundle` and `audit report`: they need only a bundle folder,
 * no server and no database, so an acquirer's auditor can run them on a copy.
 */
export function registerOfflineAuditCommands(audit: Command, output: CommandOutput = processOutput): void {
  trustOptions(
    audit
      .command('verify-bundle')
      .description('verify an exported audit dossier offline: exit 0 if intact, 1 if tampered (the problems are named), 2 on a usage error')
      .argument('<dir>', 'the bundle folder'),
  )
    .option('--json', 'print the full verification report as JSON')
    .exitOverride(usageExit)
    .action(async (dir: string, options: TrustOptions & { json?: boolean }) => {
      const report = await verifyBundle(dir, await trustOf(options));
      if (options.json === true) output.out(`${JSON.stringify(report, null, 2)}\n`);
      else (report.ok ? output.out : output.err)(describeReport(dir, report));
      process.exitCode = report.ok ? EXIT_OK : EXIT_TAMPERED;
    });

  trustOptions(
    audit
      .command('report')
      .description('the due-diligence report: of a verified bundle (--bundle, offline, from its events alone), or of a period from the server')
      .option('--bundle <dir>', 'the bundle folder (offline); without it the server computes the report (CLEARANCE_URL, CLEARANCE_TOKEN)')
      .option('--from <iso>', 'server report: period start')
      .option('--to <iso>', 'server report: period end')
      .addOption(new Option('--format <format>', 'output format').choices(['html', 'md']).default('html')),
  )
    .option('--out <file>', 'write the report to this file instead of standard output')
    .exitOverride(usageExit)
    .action(async (options: TrustOptions & { bundle?: string; from?: string; to?: string; format: 'html' | 'md'; out?: string }) => {
      if (options.bundle === undefined) {
        await serverReport(options);
        return;
      }
      const bundle = options.bundle;
      // A report over tampered events would lend them credibility: verify first.
      const verified = await verifyBundle(bundle, await trustOf(options));
      if (!verified.ok) {
        output.err(describeReport(bundle, verified));
        process.exitCode = EXIT_TAMPERED;
        return;
      }
      for (const warning of verified.warnings) output.err(`warning: ${warning}\n`);
      const manifest = await readBundleManifest(bundle);
      const subject = manifest.scope.subject;
      async function* events(): AsyncGenerator<AuditEventRecord> {
        for await (const event of readBundleEvents(bundle)) if (subject === null || subjectKey(event) === subject) yield event;
      }
      const model = await buildReport(events(), { from: manifest.scope.from, to: manifest.scope.to });
      // Only facts from the bundle itself, so the same bundle gives the same bytes.
      const render: RenderOptions = {
        title: subject === null ? 'Clearance due-diligence report' : `Clearance due-diligence report: ${subject}`,
        provenance: [
          { label: 'Bundle created', value: manifest.createdAt },
          { label: 'Events verified', value: `${manifest.events.count} (head seq ${manifest.events.lastSeq ?? manifest.events.predecessor.seq}, hash ${manifest.events.headHash})` },
          { label: 'Signed checkpoints matched', value: String(verified.chain?.checkpointsVerified ?? 0) },
          { label: 'Signing key id', value: manifest.keyId },
        ],
        // Over all the bundle's events, as conformance.json (which verification just matched to them).
        sections: [conformanceReportSection(await computeConformance(readBundleEvents(bundle)))],
      };
      const text = options.format === 'html' ? renderReportHtml(model, render) : renderReportMarkdown(model, render);
      if (options.out === undefined) output.out(text);
      else await writeFile(options.out, text);
      process.exitCode = EXIT_OK;
    });
}
