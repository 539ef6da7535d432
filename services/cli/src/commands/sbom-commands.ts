import { basename } from 'node:path';
import { AppError, defaultSbomLimits, plural, type ComponentFinding, type Verdict } from '@clearance/core';
import { Option, type Command } from 'commander';
import { checkExitCode, checkFormats, failOnLevels, type CheckFormat, type CheckReport, type FailOn } from '../check/check-report.js';
import { readSbomFile } from '../check/read-sbom-file.js';
import { createApiClient, type ApiClient } from './api-client.js';
import { renderCheckReport } from './check.js';
import { formatSbomStatus, type SbomJson } from './sbom-format.js';

const verdicts = ['allow', 'review', 'deny'] as const;

interface ReportOptions {
  format: CheckFormat;
  all: boolean;
  wide: boolean;
}

const out = (text: string): void => {
  process.stdout.write(text);
};

/** Progress and notes go to stderr when stdout carries a machine-readable report, so the report stays parseable. */
const note = (format: CheckFormat, text: string): void => {
  (format === 'table' ? process.stdout : process.stderr).write(text);
};

const sbomPath = (id: string): string => {
  if (!/^sbom_[0-9a-f]{20}$/.test(id)) throw new AppError('bad_request', `"${id}" is not an SBOM id (sbom_ and 20 hex digits, as upload printed it)`);
  return `/sboms/${id}`;
};

/** Polls until the workers have evaluated the SBOM, saying every few seconds that it still waits. */
async function waitForEvaluation(api: ApiClient, id: string, format: CheckFormat): Promise<SbomJson> {
  const started = Date.now();
  let told = started;
  for (;;) {
    const sbom = await api.request<SbomJson>('GET', sbomPath(id), { query: { limit: 1 } });
    if (sbom.status !== 'queued') return sbom;
    if (Date.now() - told >= 5_000) {
      told = Date.now();
      note(format, `  still waiting for a worker to evaluate ${id} (${Math.round((told - started) / 1000)} s)\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every finding of an evaluated SBOM (optionally one verdict), page by page, in component order. */
async function allFindings(api: ApiClient, id: string, verdict: Verdict | undefined): Promise<ComponentFinding[]> {
  const findings: ComponentFinding[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await api.request<SbomJson & { findings: { items: ComponentFinding[]; nextCursor: number | string | null } }>('GET', sbomPath(id), {
      query: { limit: 1_000, verdict, cursor },
    });
    findings.push(...page.findings.items);
    if (page.findings.nextCursor === null) return findings;
    cursor = String(page.findings.nextCursor);
  }
}

const evaluated = (sbom: SbomJson): SbomJson & { verdict: NonNullable<SbomJson['verdict']>; counts: NonNullable<SbomJson['counts']> } => {
  if (sbom.status === 'failed') {
    throw new AppError('unprocessable', `${sbom.id} could not be evaluated: ${sbom.error?.message ?? 'no reason recorded'}${sbom.error ? ` (${sbom.error.code})` : ''}`);
  }
  if (sbom.status === 'queued' || sbom.verdict === null || sbom.counts === null) {
    throw new AppError('conflict', `${sbom.id} is not evaluated yet (status ${sbom.status}): wait with clearance sbom status ${sbom.id}`);
  }
  return { ...sbom, verdict: sbom.verdict, counts: sbom.counts };
};

/** The server's evaluation as a `check` report, so every `check` format prints it. */
async function serverReport(api: ApiClient, sbom: SbomJson, options: { verdict?: Verdict; failOn: FailOn }): Promise<CheckReport> {
  const done = evaluated(sbom);
  return {
    file: done.filename ?? done.id,
    format: done.format,
    documentId: null,
    failOn: options.failOn,
    evaluation: { verdict: done.verdict, counts: done.counts, policyVersion: done.policyVersion ?? '', findings: await allFindings(api, done.id, options.verdict), documentFindings: done.documentFindings },
  };
}

const addReportOptions = (command: Command): Command =>
  command
    .addOption(new Option('--format <format>', 'output format').choices(checkFormats).default('table'))
    .option('--all', 'table format: list allowed components too', false)
    .option('--wide', 'table format: every cell in full, however wide (default: fit 120 columns)', false);

/**
 * `clearance sbom …`: SBOMs evaluated by the server (stored, audited, waivers
 * applied), with the output formats of the offline `check`. Talks to the
 * HTTP API (CLEARANCE_URL, CLEARANCE_TOKEN).
 */
export function registerSbomCommands(program: Command): void {
  const sbom = program.command('sbom').description('upload SBOMs to the server, follow their evaluation, read their findings');

  addReportOptions(
    sbom
      .command('upload')
      .description('upload an SBOM (CycloneDX JSON/XML, SPDX JSON) for evaluation; with --wait, print its findings and exit like check')
      .argument('<file>', 'the SBOM file, or - for stdin')
      .option('--wait', 'wait for the evaluation, print the findings, exit 1 on a policy failure'),
  )
    .addOption(new Option('--fail-on <verdict>', 'with --wait: exit 1 on any component with this verdict or worse').choices(failOnLevels).default('deny'))
    .action(async (file: string, options: ReportOptions & { wait?: boolean; failOn: FailOn }) => {
      const api = createApiClient();
      const bytes = await readSbomFile(file, defaultSbomLimits.maxBytes, process.stdin);
      const headers = file === '-' ? undefined : { 'x-filename': basename(file) };
      const uploaded = await api.request<SbomJson>('POST', '/sboms', { rawBody: bytes, headers });
      if (!options.wait) {
        if (options.format === 'json') return out(`${JSON.stringify(uploaded, null, 2)}\n`);
        return out(`Uploaded ${uploaded.id} (${plural(uploaded.componentCount, 'component')}): ${uploaded.status}\nFollow it with: clearance sbom status ${uploaded.id}\n`);
      }
      note(options.format, `Uploaded ${uploaded.id} (${plural(uploaded.componentCount, 'component')}): waiting for the evaluation…\n`);
      const report = await serverReport(api, await waitForEvaluation(api, uploaded.id, options.format), { failOn: options.failOn });
      out(renderCheckReport(report, options));
      process.exitCode = checkExitCode(report.evaluation.verdict, options.failOn);
    });

  sbom
    .command('status')
    .description('status, verdict and counts of an uploaded SBOM')
    .argument('<id>', 'the SBOM id (sbom_…)')
    .option('--json', 'print the JSON answer')
    .action(async (id: string, options: { json?: boolean }) => {
      const { findings: _page, ...sbomJson } = await createApiClient().request<SbomJson & { findings: unknown }>('GET', sbomPath(id), { query: { limit: 1 } });
      out(options.json ? `${JSON.stringify(sbomJson, null, 2)}\n` : formatSbomStatus(sbomJson));
    });

  addReportOptions(
    sbom
      .command('findings')
      .description('the per-component findings of an evaluated SBOM, deny first')
      .argument('<id>', 'the SBOM id (sbom_…)')
      .addOption(new Option('--verdict <verdict>', 'only components with this verdict').choices(verdicts)),
  ).action(async (id: string, options: ReportOptions & { verdict?: Verdict }) => {
    const api = createApiClient();
    const sbomJson = await api.request<SbomJson>('GET', sbomPath(id), { query: { limit: 1 } });
    const report = await serverReport(api, sbomJson, { verdict: options.verdict, failOn: 'deny' });
    // A verdict asked for by name is shown, allowed ones included.
    out(renderCheckReport(report, { format: options.format, wide: options.wide, all: options.all || options.verdict !== undefined }));
  });

  sbom
    .command('evaluate')
    .description('evaluate an SBOM again under the current policy and waivers')
    .argument('<id>', 'the SBOM id (sbom_…)')
    .option('--wait', 'wait for the new evaluation and show its status')
    .option('--json', 'print the JSON answer')
    .action(async (id: string, options: { wait?: boolean; json?: boolean }) => {
      const api = createApiClient();
      const queued = await api.request<SbomJson>('POST', `${sbomPath(id)}/evaluations`);
      const format = options.json ? 'json' : 'table';
      if (!options.wait) {
        return out(options.json ? `${JSON.stringify(queued, null, 2)}\n` : `Queued evaluation ${queued.evaluation} of ${queued.id}\n`);
      }
      note(format, `Queued evaluation ${queued.evaluation} of ${queued.id}: waiting…\n`);
      const { findings: _page, ...done } = (await waitForEvaluation(api, id, format)) as SbomJson & { findings?: unknown };
      out(options.json ? `${JSON.stringify(done, null, 2)}\n` : formatSbomStatus(done));
    });
}
