import { createRequire } from 'node:module';
import { decodeInput, defaultSbomLimits, evaluateSbom, parseSbom, plural } from '@clearance/core';
import { loadDefaultPolicy, loadPolicyDir } from '@clearance/policy';
import { Option, type Command } from 'commander';
import {
  checkExitCode,
  checkFormats,
  failOnLevels,
  formatLabel,
  type CheckFormat,
  type CheckReport,
  type FailOn,
} from '../check/check-report.js';
import { formatJsonChunks } from '../check/format-json.js';
import { formatMarkdown } from '../check/format-markdown.js';
import { formatSarif } from '../check/format-sarif.js';
import { formatTable } from '../check/format-table.js';
import { terminalProgress, type ProgressStream } from '../check/progress.js';
import { readSbomFile } from '../check/read-sbom-file.js';

/** What `check` touches outside itself; tests pass their own. */
export interface CheckIo {
  stdout: { write(text: string, callback: (error?: Error | null) => void): unknown };
  stderr: ProgressStream;
  stdin: AsyncIterable<unknown>;
  setExitCode(code: number): void;
  now(): Date;
}

export const processIo = (): CheckIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  setExitCode: (code) => {
    process.exitCode = code;
  },
  now: () => new Date(),
});

interface CheckOptions {
  policy?: string;
  format: CheckFormat;
  failOn: FailOn;
  all: boolean;
  wide?: boolean;
}

const toolVersion = ((): string => {
  // services/cli/package.json, from src/commands (tests) and dist/commands (built) alike.
  const pkg: unknown = createRequire(import.meta.url)('../../package.json');
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : '0.0.0';
})();

/**
 * `clearance check <sbom>`: the CI gate, offline, with the same parser and
 * engine as the server. Exit 0 pass, 1 policy failure (any deny; any review
 * too with `--fail-on review`), 2 bad input or usage — the last by throwing
 * an AppError (or commander's usage error) that main.ts turns into one line
 * on stderr.
 */
export function registerCheckCommand(program: Command, io: CheckIo = processIo()): Command {
  return program
    .command('check')
    .description('check an SBOM (CycloneDX JSON/XML, SPDX 2 JSON/tag-value, SPDX 3 JSON-LD, optionally gzipped) against the license policy, offline')
    .argument('<sbom>', 'the SBOM file, or - for stdin')
    .option('--policy <dir>', 'policy folder (default: the policies/ shipped with Clearance)')
    .addOption(new Option('--format <format>', 'output format').choices(checkFormats).default('table'))
    .addOption(new Option('--fail-on <verdict>', 'exit 1 on any component with this verdict or worse').choices(failOnLevels).default('deny'))
    .option('--all', 'table format: list allowed components too', false)
    .option('--wide', 'table format: every cell in full, however wide (default: fit 120 columns)', false)
    .action(async (file: string, options: CheckOptions) => {
      io.setExitCode(await runCheck(file, options, io));
    });
}

export const runCheck = async (file: string, options: CheckOptions, io: CheckIo): Promise<0 | 1> => {
  const progress = terminalProgress(io.stderr);
  try {
    progress.phase('loading policy…');
    const policy = options.policy ? await loadPolicyDir(options.policy) : await loadDefaultPolicy();
    progress.phase(`reading ${file}…`);
    const bytes = await readSbomFile(file, defaultSbomLimits.maxBytes, io.stdin);
    progress.phase(`parsing ${file}…`);
    const parsed = parseSbom(bytes);
    const evaluation = evaluateSbom(parsed.components, policy.licenses, {
      waivers: [],
      now: io.now(),
      policyVersion: policy.version,
      extractedLicenses: parsed.extractedLicenses,
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.clear();
    const report: CheckReport = {
      file,
      format: parsed.format,
      documentId: parsed.documentId,
      evaluation,
      failOn: options.failOn,
      // Decoded as the parser did (gzip inflated), so SARIF lines point into the SBOM text.
      ...(options.format === 'sarif' ? { sbomText: decodeInput(bytes, defaultSbomLimits).text } : {}),
    };
    for (const chunk of renderCheckReportChunks(report, options)) await write(io, chunk);
    if (options.format !== 'table' && io.stderr.isTTY === true) {
      io.stderr.write(`${evaluation.verdict.toUpperCase()}: ${plural(evaluation.counts.total, 'component')} (${formatLabel(parsed.format)})\n`);
    }
    return checkExitCode(evaluation.verdict, options.failOn);
  } finally {
    progress.clear();
  }
};

type RenderOptions = Pick<CheckOptions, 'format' | 'all' | 'wide'>;

/** The report in one of the `check` formats, in pieces to write one after the other (JSON can be tens of MB). */
const renderCheckReportChunks = (report: CheckReport, options: RenderOptions): Iterable<string> => {
  switch (options.format) {
    case 'json':
      return formatJsonChunks(report, toolVersion);
    case 'markdown':
      return [formatMarkdown(report)];
    case 'sarif':
      return [`${JSON.stringify(formatSarif(report, toolVersion), null, 2)}\n`];
    case 'table':
      return [formatTable(report, { all: options.all, wide: options.wide === true })];
  }
};

/** The report in one of the `check` formats; `sbom findings` prints server results through the same code. */
export const renderCheckReport = (report: CheckReport, options: RenderOptions): string => [...renderCheckReportChunks(report, options)].join('');

/** Resolves once the text is handed to the OS, so a large report is complete before the exit code applies. */
export const write = (io: Pick<CheckIo, 'stdout'>, text: string): Promise<void> =>
  new Promise((resolve, reject) => {
    io.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
