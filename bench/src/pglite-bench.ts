import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureNode, rssMethod } from './measure-process.js';

const child = fileURLToPath(new URL('./pglite-open-child.js', import.meta.url));

/**
 * `npm run bench -- pglite [--runs 3]`: the embedded default database. Each
 * run creates a fresh data folder with our migrations in one process, then
 * reopens it in another; both are measured whole (Node's start included):
 * wall time and peak RSS.
 */
export async function runPgliteBench(args: readonly string[]): Promise<void> {
  const runsAt = args.indexOf('--runs');
  const runs = runsAt === -1 ? 3 : Math.max(1, Number(args[runsAt + 1]) || 3);
  const method = rssMethod();
  const workDir = mkdtempSync(join(tmpdir(), 'clearance-pglite-bench-'));
  process.stdout.write(`PGlite open + migrate, ${runs} runs, whole child process, peak RSS via ${method}\n`);
  try {
    for (let run = 1; run <= runs; run++) {
      const dataDir = join(workDir, `db-${run}`);
      for (const step of ['create', 'reopen'] as const) {
        const figures = await measureNode([child, dataDir], workDir, method);
        if (figures.exitCode !== 0) throw new Error(`${step} failed (exit ${figures.exitCode}): ${figures.stderr}`);
        process.stdout.write(`run ${run} ${step.padEnd(6)} ${(figures.wallMs / 1000).toFixed(2)} s, peak RSS ${figures.peakRssMiB.toFixed(0)} MiB\n`);
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
