import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { verifyChain, type ChainReport, type SignedCheckpoint } from '@clearance/core';
import { auditHead, streamAuditEvents, type Database } from '@clearance/db';
import type { VerifyPartResult, VerifyPartTask } from './audit-verify-part-worker.js';

export interface ParallelVerifyOptions {
  /** Worker threads, one part each; default: the cores available. 1 verifies on this thread. */
  threads?: number;
  /** Below this many events thread start-up costs more than it saves. */
  minEvents?: number;
  /** Told which way the chain was verified: on one thread, in parts, or in parts and then again on one thread (a damaged log). */
  onPath?: (path: 'single' | 'parts' | 'parts-then-single') => void;
}

// Compiled, the worker sits beside this module; run from source (vitest), the
// built one is used (npm run build first).
const workerScript = import.meta.url.endsWith('.ts')
  ? new URL('../dist/audit-verify-part-worker.js', import.meta.url)
  : new URL('./audit-verify-part-worker.js', import.meta.url);

const runPart = (task: VerifyPartTask): Promise<VerifyPartResult> =>
  new Promise((resolve, reject) => {
    // A small heap makes the worker collect often: pages are garbage once verified (peak RSS, not speed).
    const worker = new Worker(workerScript, { workerData: task, resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 } });
    let result: VerifyPartResult | undefined;
    worker.once('message', (message: VerifyPartResult) => {
      result = message;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (result === undefined ? reject(new Error(`a verification worker exited with code ${code} and no result`)) : resolve(result)));
  });

/**
 * The chain verified on all cores: the seqs 1..head are cut into one part
 * per thread, each worker reads and verifies its own part (hashes, links,
 * the checkpoints inside it) with its own connection, and this thread checks
 * the seams. When every part and every seam is clean the combined report is
 * the one verifyChain gives. On anything else the whole chain is verified
 * again on this thread, so a damaged log is reported exactly as the
 * single-threaded path reports it (problems, messages, first bad seq): a
 * damaged log is rare, and its report must not depend on where parts were cut.
 * PGlite (one process, no second connection) and small logs stay on one thread.
 */
export async function verifyChainOfDatabase(
  db: Database,
  checkpoints: readonly SignedCheckpoint[],
  publicKeyPem: string,
  options: ParallelVerifyOptions = {},
): Promise<ChainReport> {
  const single = (): Promise<ChainReport> => verifyChain(streamAuditEvents(db), { checkpoints, publicKey: publicKeyPem });
  const threads = options.threads ?? availableParallelism();
  const headSeq = (await auditHead(db))?.seq ?? 0;
  if (db.connection === undefined || threads <= 1 || headSeq < (options.minEvents ?? 20_000)) {
    options.onPath?.('single');
    return single();
  }

  const connection = db.connection;
  const bounds = Array.from({ length: threads }, (_, i) => ({ from: Math.floor((headSeq * i) / threads) + 1, to: Math.floor((headSeq * (i + 1)) / threads) }));
  const results = await Promise.all(
    bounds.map(({ from, to }, i) => {
      const last = i === bounds.length - 1;
      // The last part runs to whatever end the log has, and takes every later checkpoint (a truncated log).
      const inside = checkpoints.filter((checkpoint) => checkpoint.seq >= from && (last || checkpoint.seq <= to));
      return runPart({ connection, from, to: last ? null : to, checkpoints: [...inside], publicKeyPem });
    }),
  );
  const combined = combineParts(results, bounds, checkpoints.length);
  options.onPath?.(combined === null ? 'parts-then-single' : 'parts');
  return combined ?? single();
}

/** The report of the whole chain from clean parts with clean seams, or null when anything is off. */
function combineParts(results: readonly VerifyPartResult[], bounds: readonly { from: number; to: number }[], checkpointCount: number): ChainReport | null {
  let previous: ChainReport | null = null;
  let eventCount = 0;
  let checkpointsVerified = 0;
  let lastCheckpointSeq: number | null = null;
  for (const [i, { report, firstSeq, firstPrevHash }] of results.entries()) {
    const bound = bounds[i];
    const last = i === results.length - 1;
    if (bound === undefined || !report.ok || firstSeq !== bound.from) return null;
    if (!last && (report.headSeq !== bound.to || report.eventCount !== bound.to - bound.from + 1)) return null;
    if (previous !== null && firstPrevHash !== previous.headHash) return null;
    eventCount += report.eventCount;
    checkpointsVerified += report.checkpointsVerified;
    lastCheckpointSeq = report.lastCheckpointSeq ?? lastCheckpointSeq;
    previous = report;
  }
  if (previous === null || checkpointsVerified !== checkpointCount) return null;
  return {
    ok: true,
    eventCount,
    headSeq: previous.headSeq,
    headHash: previous.headHash,
    checkpointsVerified,
    checkpointsSkipped: 0,
    lastCheckpointSeq,
    problems: [],
    problemCount: 0,
    firstBadSeq: null,
  };
}
