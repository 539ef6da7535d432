import { parentPort, workerData } from 'node:worker_threads';
import { GENESIS_HASH, verifyChain, type AuditEventRecord, type ChainReport, type SignedCheckpoint } from '@clearance/core';
import { openPostgres, streamAuditEvents } from '@clearance/db';

/**
 * Worker thread of verifyAuditLogParallel: verifies the links of one part of
 * the log, seqs `from`..`to` (to null: to the end), read through a pool of
 * its own, against the checkpoints inside it. The part continues from the
 * stored prevHash of its first event; whether that is the hash of the
 * previous part's last event (the seam) is checked by the main thread.
 */
export interface VerifyPartTask {
  connection: { connectionString: string; schema?: string };
  from: number;
  to: number | null;
  checkpoints: SignedCheckpoint[];
  publicKeyPem: string;
}

export interface VerifyPartResult {
  report: ChainReport;
  firstSeq: number | null;
  firstPrevHash: string | null;
}

async function* withFirst(events: AsyncIterable<AuditEventRecord>, first: AuditEventRecord | undefined): AsyncGenerator<AuditEventRecord> {
  if (first === undefined) return;
  yield first;
  yield* events;
}

const task = workerData as VerifyPartTask;
const db = await openPostgres({ ...task.connection, maxConnections: 1, applicationName: 'clearance-verify-part' });
try {
  const events = streamAuditEvents(db, { afterSeq: task.from - 1, ...(task.to === null ? {} : { untilSeq: task.to }) })[Symbol.asyncIterator]();
  const head = await events.next();
  const first = head.done === true ? undefined : head.value;
  const startAfter = task.from === 1 ? { seq: 0, hash: GENESIS_HASH } : { seq: task.from - 1, hash: first?.prevHash ?? GENESIS_HASH };
  const report = await verifyChain(withFirst({ [Symbol.asyncIterator]: () => events }, first), { checkpoints: task.checkpoints, publicKey: task.publicKeyPem, startAfter });
  parentPort?.postMessage({ report, firstSeq: first?.seq ?? null, firstPrevHash: first?.prevHash ?? null } satisfies VerifyPartResult);
} finally {
  await db.close();
}
