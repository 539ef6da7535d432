import { readFileSync, writeFileSync } from 'node:fs';
import { openPostgres } from '@clearance/db';
import { verifyBundle } from '@clearance/dossier';
import { verifyAuditLog } from '@clearance/services';

/**
 * `node bench/dist/audit-verify-child.js <config.json> <result.json>`
 *
 * Run by the audit benchmark in a process of its own, so that the peak RSS
 * measured is that of verification alone (plus Node and module loading, as a
 * `clearance audit verify` would have), not of the process that generated a
 * million events. Writes its figures to the result file (stdout is not read).
 */
export interface VerifyChildConfig {
  connectionString: string;
  schema: string;
  publicKeyPem: string;
  keyId: string;
  checkpointDir: string;
  /** What to verify: the database walk (`clearance audit verify`) or the exported bundle (`verify-bundle`). */
  mode: 'db' | 'bundle';
  bundleDir: string;
  /** Worker threads; 1 is the single-threaded baseline. */
  threads: number;
}

export interface VerifyChildResult {
  ok: boolean;
  eventCount: number;
  headSeq: number;
  checkpointsVerified: number;
  problemCount: number;
  /** verifyAuditLog alone, from the opened pool to its report. */
  verifyMs: number;
  /** CPU time (user + system) of this process during verifyAuditLog: less sensitive than wall time to other work on the machine. */
  verifyCpuMs: number;
  /** process.resourceUsage().maxRSS at the end, in KiB: the fallback when GNU time is missing. */
  maxRssKiB: number;
}

const [configPath, resultPath] = process.argv.slice(2);
if (configPath === undefined || resultPath === undefined) {
  process.stderr.write('usage: audit-verify-child.js <config.json> <result.json>\n');
  process.exit(2);
}
const config = JSON.parse(readFileSync(configPath, 'utf8')) as VerifyChildConfig;
const db = config.mode === 'db' ? await openPostgres({ connectionString: config.connectionString, schema: config.schema, maxConnections: 2, applicationName: `bench-${config.schema}` }) : null;
try {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const report =
    db === null
      ? await verifyBundle(config.bundleDir, { trustedKeys: [config.keyId], parallel: { threads: config.threads } }).then((bundle) => ({
          ok: bundle.ok,
          eventCount: bundle.chain?.eventCount ?? 0,
          headSeq: bundle.chain?.headSeq ?? 0,
          checkpointsVerified: bundle.chain?.checkpointsVerified ?? 0,
          problemCount: bundle.problemCount,
          problems: bundle.problems.map((problem) => ({ kind: problem.kind, seq: problem.seq ?? 0, detail: problem.detail })),
        }))
      : await verifyAuditLog(db, { publicKeyPem: config.publicKeyPem, keyId: config.keyId, checkpointDir: config.checkpointDir }, { threads: config.threads });
  const verifyMs = performance.now() - start;
  // CPU of the whole process: worker threads included.
  const cpu = process.cpuUsage(cpuStart);
  for (const problem of report.problems.slice(0, 5)) process.stderr.write(`${problem.kind} at seq ${problem.seq}: ${problem.detail}\n`);
  const result: VerifyChildResult = {
    ok: report.ok,
    eventCount: report.eventCount,
    headSeq: report.headSeq,
    checkpointsVerified: report.checkpointsVerified,
    problemCount: report.problemCount,
    verifyMs,
    verifyCpuMs: (cpu.user + cpu.system) / 1_000,
    maxRssKiB: process.resourceUsage().maxRSS,
  };
  writeFileSync(resultPath, JSON.stringify(result));
} finally {
  await db?.close();
}
