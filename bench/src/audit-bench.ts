import { createPrivateKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey } from '@clearance/core';
import { appendAuditEvent, appendAuditEvents, auditHead, migrate, openPostgres, savePolicyVersion, type Database } from '@clearance/db';
import { policyVersionOf, sha256Hex } from '@clearance/policy';
import { createCheckpoint, exportDossier, type AuditSigner } from '@clearance/services';
import { benchEvent } from './audit-events.js';
import type { VerifyChildConfig } from './audit-verify-child.js';
import { runVerifyChild, verifyRows, type ChildRun, type Row } from './audit-verify-runs.js';

/**
 * `npm run bench -- audit [--events 1000000] [--sample 5000] [--batch 10000]
 *   [--checkpoints 4] [--database-url URL] [--timeout-s 1800] [--cpu-prof DIR] [--keep]`
 *
 * Issue 5's speed check against real PostgreSQL, in a schema of its own that
 * is dropped at the end (also on failure, timeout or Ctrl-C):
 * 1. append: the production path (`appendAuditEvent`, one transaction per
 *    event) on a sample, then the rest in batches (`appendAuditEvents`, as
 *    the API's intake uses it), signed checkpoints (`createCheckpoint`)
 *    spread over the run;
 * 2. export: `exportDossier` of the whole log;
 * 3. verify: `verifyAuditLog` (the database walk) and `verifyBundle` (the
 *    export), each on one thread and then on all cores, each run in a child
 *    process for an honest peak RSS (targets: all cores under 5 s, under 300 MB).
 */

interface Options {
  events: number;
  sample: number;
  batch: number;
  checkpoints: number;
  databaseUrl: string;
  timeoutS: number;
  cpuProfDir: string | null;
  /** Keep the schema and the temp folder (to rerun the verification child by hand); cleanup still runs on failure. */
  keep: boolean;
}

const positiveInt = (flag: string, text: string | undefined): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a positive integer, got ${text ?? 'nothing'}`);
  return value;
};

const parseOptions = (args: readonly string[]): Options => {
  const options: Options = {
    events: 1_000_000,
    sample: 5_000,
    batch: 10_000,
    checkpoints: 4,
    databaseUrl: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    timeoutS: 1_800,
    cpuProfDir: null,
    keep: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--keep') {
      options.keep = true;
      continue;
    }
    const value = args[i + 1];
    i += 1;
    if (arg === '--events') options.events = positiveInt(arg, value);
    else if (arg === '--sample') options.sample = positiveInt(arg, value);
    else if (arg === '--batch') options.batch = positiveInt(arg, value);
    else if (arg === '--checkpoints') options.checkpoints = positiveInt(arg, value);
    else if (arg === '--timeout-s') options.timeoutS = positiveInt(arg, value);
    else if (arg === '--database-url' && value !== undefined) options.databaseUrl = value;
    else if (arg === '--cpu-prof' && value !== undefined) options.cpuProfDir = value;
    else throw new Error(`unknown option ${arg} (--events N --sample N --batch N --checkpoints N --database-url URL --timeout-s S --cpu-prof DIR --keep)`);
  }
  // The production sample, the policy event and each checkpoint must fit before the first checkpoint.
  options.sample = Math.min(options.sample, Math.floor(options.events / (2 * options.checkpoints)));
  return options;
};

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

const fmt = (value: number, digits = 0): string =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';

/** Total bytes of the regular files under dir. */
const folderBytes = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const path = join(dir, entry.name);
    return sum + (entry.isDirectory() ? folderBytes(path) : entry.isFile() ? statSync(path).size : 0);
  }, 0);

class Timeout extends Error {}

/** Rejects when the run's deadline passes first; the caller's cleanup then ends what is still running. */
const within = <T>(deadline: number, label: string, work: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`${label} did not finish before the --timeout-s deadline`)), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
};


export const runAuditBench = async (args: readonly string[]): Promise<void> => {
  const options = parseOptions(args);
  const deadline = Date.now() + options.timeoutS * 1_000;
  const schema = `bench_audit_${process.pid}_${Date.now().toString(36)}`;
  // Every connection of this run (and of the verification child) carries this
  // name, so cleanup can end them even when a query hangs.
  const applicationName = `bench-${schema}`;
  const workDir = mkdtempSync(join(tmpdir(), 'clearance-audit-bench-'));
  const checkpointDir = join(workDir, 'checkpoints');
  const bundleDir = join(workDir, 'bundle');
  let db: Database | undefined;

  let killChild: (() => void) | undefined;

  let cleaned: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaned ??= (async () => {
      killChild?.();
      // pg adds no 'error' listener to a checked-out client, so a backend we
      // end on purpose below would crash the process before the schema is dropped.
      const ignoreTerminated = (error: Error): void => {
        if (!/terminat/iu.test(error.message)) throw error;
      };
      process.on('uncaughtException', ignoreTerminated);
      const admin = await openPostgres({ connectionString: options.databaseUrl, maxConnections: 1, applicationName: 'bench-audit-cleanup' });
      try {
        // Gracefully first: pool.end waits for the batch in flight (about a second).
        const closing = db?.close().then(() => true, () => true) ?? Promise.resolve(true);
        const closed = await Promise.race([closing, new Promise<false>((resolve) => setTimeout(() => resolve(false), 10_000))]);
        // A query that hangs (the timeout case) is ended from outside, then the pool can finish closing.
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [applicationName]);
        if (!closed) await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      } finally {
        await admin.close();
        rmSync(workDir, { recursive: true, force: true });
        process.removeListener('uncaughtException', ignoreTerminated);
      }
    })());
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`${signal}: dropping schema ${schema} and ${workDir}\n`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const log = (text: string): void => {
    process.stderr.write(`  ${text}\n`);
  };
  const rows: Row[] = [];
  let timedOut = false;
  let completed = false;
  try {
    process.stdout.write(
      `Audit log benchmark: ${fmt(options.events)} events, PostgreSQL ${options.databaseUrl.replace(/\/\/[^@]*@/u, '//…@')} schema ${schema}, ` +
        `node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(2) ?? '?'}, temp ${workDir}\n\n`,
    );
    db = await within(deadline, 'opening the database', openPostgres({ connectionString: options.databaseUrl, schema, maxConnections: 4, applicationName }));
    const open = db;
    await within(deadline, 'migrations', migrate(open));

    const key = generateSigningKey();
    const signer: AuditSigner = { privateKey: createPrivateKey(key.privateKeyPem), publicKeyPem: key.publicKeyPem, keyId: key.keyId, checkpointDir };
    // A stored policy version for the events to name: the export refuses versions whose files are missing.
    const content = '# audit benchmark policy\ncontributions:\n  bug-fix: { approvals: [manager] }\n';
    const files = [{ name: 'contributions.yaml', content, sha256: sha256Hex(content) }];
    const version = policyVersionOf(files);
    await savePolicyVersion(open, version, files);
    await open.transaction((tx) =>
      appendAuditEvent(tx, {
        actor: 'system',
        subjectType: 'policy',
        subjectId: version,
        payload: { type: 'policy.activated', version, previousVersion: null, files: files.map(({ name, sha256 }) => ({ name, sha256 })) },
        policyVersion: version,
      }),
    );

    // 1a. The production path: one transaction, one lock, one head read, one INSERT per event.
    const sampleStart = performance.now();
    await within(
      deadline,
      'the production append sample',
      (async () => {
        for (let i = 0; i < options.sample; i++) {
          const seq = i + 2;
          await open.transaction((tx) => appendAuditEvent(tx, benchEvent(seq, version)));
        }
      })(),
    );
    const sampleMs = performance.now() - sampleStart;
    const productionRate = options.sample / (sampleMs / 1_000);
    log(`production append: ${fmt(options.sample)} events in ${fmt(sampleMs / 1_000, 1)} s`);

    // 1b. The bulk path up to N, a checkpoint at each quarter (its own event lands right after the head it signs).
    const bulkStart = performance.now();
    let bulkEvents = 0;
    let checkpointMs = 0;
    let checkpointCount = 0;
    await within(
      deadline,
      'the bulk append',
      (async () => {
        let head = (await auditHead(open))?.seq ?? 0;
        for (let k = 1; k <= options.checkpoints; k++) {
          const signedAt = Math.round((options.events * k) / options.checkpoints) - 1;
          while (head < signedAt) {
            const count = Math.min(options.batch, signedAt - head);
            const inputs = Array.from({ length: count }, (_, i) => benchEvent(head + 1 + i, version));
            await open.transaction((tx) => appendAuditEvents(tx, inputs));
            head += count;
            bulkEvents += count;
          }
          const checkpointStart = performance.now();
          if (await createCheckpoint(open, signer, version)) checkpointCount += 1;
          checkpointMs += performance.now() - checkpointStart;
          head += 1;
          if (k % Math.max(1, Math.floor(options.checkpoints / 4)) === 0) log(`bulk append: head at seq ${fmt(head)}`);
        }
      })(),
    );
    const bulkMs = performance.now() - bulkStart;
    const bulkRate = bulkEvents / ((bulkMs - checkpointMs) / 1_000);
    const head = await auditHead(open);
    const sizes = (await open.query<{ table: number; total: number }>(
      "SELECT pg_relation_size('audit_events') AS table, pg_total_relation_size('audit_events') AS total",
    )).rows[0];

    // A long-lived table has been vacuumed; a fresh one would make verification pay for setting hint bits.
    const vacuumStart = performance.now();
    await within(deadline, 'VACUUM ANALYZE', open.query('VACUUM (ANALYZE) audit_events'));
    const vacuumMs = performance.now() - vacuumStart;

    rows.push(
      {
        step: 'append, production path (appendAuditEvent, 1 tx/event)',
        figure: `${fmt(productionRate)} events/s (${fmt(options.sample)} events, ${fmt(sampleMs / 1_000, 1)} s)`,
        target: '—',
        holds: '—',
      },
      {
        step: `append, batched (appendAuditEvents, ${fmt(options.batch)}/tx)`,
        figure: `${fmt(bulkRate)} events/s (${fmt(bulkEvents)} events, ${fmt((bulkMs - checkpointMs) / 1_000, 1)} s)`,
        target: '—',
        holds: '—',
      },
      {
        step: 'checkpoints (createCheckpoint, signed Ed25519)',
        figure: `${checkpointCount} in ${fmt(checkpointMs)} ms; log head seq ${fmt(head?.seq ?? 0)}`,
        target: '—',
        holds: '—',
      },
      {
        step: 'audit_events size, VACUUM ANALYZE',
        figure: `table ${fmt((sizes?.table ?? 0) / 2 ** 20)} MiB, with indexes ${fmt((sizes?.total ?? 0) / 2 ** 20)} MiB; vacuum ${fmt(vacuumMs / 1_000, 1)} s`,
        target: '—',
        holds: '—',
      },
    );

    // 2. Export the whole log (the bundle is verified below, beside the database walk).
    log('exporting');
    const exportStart = performance.now();
    const written = await within(deadline, 'the export', exportDossier(open, signer, bundleDir, { actor: 'bench-auditor', policyVersion: version }));
    const exportMs = performance.now() - exportStart;
    rows.push({
      step: 'export: exportDossier (whole log)',
      figure: `${fmt(exportMs / 1_000, 2)} s; bundle ${fmt(folderBytes(bundleDir) / 2 ** 20)} MiB, ${fmt(written.manifest.events.count)} events`,
      target: '—',
      holds: '—',
    });

    // 3. Verification, each run in a child process of its own: single-threaded baseline, then all cores.
    if (options.cpuProfDir !== null) mkdirSync(options.cpuProfDir, { recursive: true });
    // The export signed a checkpoint at the head (in the bundle too) and appended its own events, which the database walk also verifies.
    const dbHead = (await auditHead(open))?.seq ?? 0;
    const dbCheckpoints = (await open.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_checkpoints')).rows[0]?.n ?? 0;
    for (const mode of ['db', 'bundle'] as const) {
      const runs: { threads: number; run: ChildRun }[] = [];
      for (const threads of [1, availableParallelism()]) {
        log(`verifying (${mode}, ${threads} thread${threads === 1 ? '' : 's'}) in a child process`);
        const config: VerifyChildConfig = { connectionString: options.databaseUrl, schema, publicKeyPem: signer.publicKeyPem, keyId: signer.keyId, checkpointDir, mode, bundleDir, threads };
        runs.push({ threads, run: await runVerifyChild(config, workDir, deadline, options.cpuProfDir, (kill) => (killChild = kill)) });
      }
      rows.push(...(mode === 'db' ? verifyRows(mode, runs, dbHead, dbCheckpoints) : verifyRows(mode, runs, written.manifest.events.count, dbCheckpoints)));
    }
    completed = true;
  } catch (error) {
    timedOut = error instanceof Timeout;
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (options.keep && completed) {
      await db?.close();
      process.stdout.write(`kept: schema ${schema} (drop it with DROP SCHEMA ${quoteIdent(schema)} CASCADE), folder ${workDir}\n`);
    } else {
      await cleanup().catch((error: unknown) => {
        process.stderr.write(`cleanup failed: ${String(error)}; drop schema ${schema} by hand\n`);
      });
    }
    if (rows.length > 0) {
      const header: Row = { step: 'step', figure: 'figure', target: 'target', holds: 'holds' };
      const columns = ['step', 'figure', 'target', 'holds'] as const;
      const widths = columns.map((column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
      const line = (row: Row): string => columns.map((column, i) => row[column].padEnd(widths[i] ?? 0)).join(' | ');
      process.stdout.write(`${[header, ...rows].map(line).join('\n')}\n`);
    }
    // Other work on the machine slows every figure; the reader should know how busy it was.
    if (rows.length > 0) process.stdout.write(`load average at the end: ${loadavg().map((load) => load.toFixed(2)).join(' ')} (1, 5, 15 min)\n`);
    if (options.cpuProfDir !== null) process.stdout.write(`CPU profile of the verification child in ${options.cpuProfDir}\n`);
    // A timed-out query may still hold a pending promise; end the process instead of waiting for it.
    if (timedOut) process.exit(1);
  }
};
