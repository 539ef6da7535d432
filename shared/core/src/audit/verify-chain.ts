import { verifyCheckpoint, type KeyInput, type SignedCheckpoint } from './checkpoint.js';
import { computeEventHash, GENESIS_HASH, type AuditEventRecord } from './event-hash.js';
import { KeyChain, type KeyRotation } from './key-chain.js';

export type ChainProblemKind =
  | 'hash-mismatch'
  | 'prev-hash-mismatch'
  | 'gap'
  | 'out-of-order'
  | 'truncated'
  | 'checkpoint-signature'
  | 'checkpoint-mismatch'
  | 'key-rotation';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** The first sequence number the problem concerns (for checkpoint problems: the checkpoint's). */
  seq: number;
  detail: string;
  /** For gaps, truncation and checkpoint mismatches: the sequence numbers affected (inclusive). */
  range?: { from: number; to: number };
}

export interface ChainReport {
  ok: boolean;
  eventCount: number;
  /** The highest sequence number seen (startAfter.seq, or 0, when there were no events). */
  headSeq: number;
  headHash: string;
  /** Checkpoints with a valid signature whose head hash the chain reproduced. */
  checkpointsVerified: number;
  /** Checkpoints that precede the verified range (startAfter), so they could not be compared. */
  checkpointsSkipped: number;
  /** Sequence number of the last verified checkpoint; events after it are anchored by no signature. */
  lastCheckpointSeq: number | null;
  /** The first problems found (at most maxProblems). */
  problems: ChainProblem[];
  /** All problems found, including those not kept in `problems`. */
  problemCount: number;
  /** Lowest sequence number named by a chain problem (a bad checkpoint signature names none). */
  firstBadSeq: number | null;
}

export interface ChainStart {
  seq: number;
  hash: string;
}

export interface VerifyChainOptions {
  checkpoints: readonly SignedCheckpoint[];
  /** The first key of the chain: each `keyRotations` entry must be signed by the key current at its seq. */
  publicKey: KeyInput;
  /** Every key rotation up to the end of the chain (those before startAfter included): see key-chain.ts. */
  keyRotations?: readonly KeyRotation[];
  /** Verify a chain that continues after this event (a period export): its seq and hash. */
  startAfter?: ChainStart;
  maxProblems?: number;
}

const short = (hash: string): string => `${hash.slice(0, 12)}…`;
const range = (from: number, to: number): string => (from === to ? `seq ${from}` : `seqs ${from}–${to}`);

/** A gap of exactly one row, remembered for one step in case the missing row arrives next (two rows swapped). */
interface OneRowGap {
  missingSeq: number;
  hashBefore: string;
  successorPrevHash: string;
  problem: ChainProblem | null;
}

/**
 * Verifies a hash chain as it streams by: constant memory in the number of
 * events (only the previous head is kept), linear in the checkpoints. Every
 * check a superuser could defeat by editing rows is paired with one they
 * cannot: a row edit breaks its hash, a re-hash breaks the next prevHash, a
 * re-hash of everything after a point breaks the next signed checkpoint, and
 * rows removed from the end leave a checkpoint pointing past the end.
 */
export async function verifyChain(
  events: AsyncIterable<AuditEventRecord> | Iterable<AuditEventRecord>,
  options: VerifyChainOptions,
): Promise<ChainReport> {
  return verifyChainWith(events, options, (event) => computeEventHash(event.prevHash, event));
}

/**
 * verifyChain with the recomputation of each event's hash supplied: called
 * once per event, in stream order, right after the event arrives. The
 * parallel verifier passes hashes computed in worker threads, so every
 * judgement (and every message) stays in this one function.
 */
export async function verifyChainWith(
  events: AsyncIterable<AuditEventRecord> | Iterable<AuditEventRecord>,
  options: VerifyChainOptions,
  recompute: (event: AuditEventRecord) => string,
): Promise<ChainReport> {
  const maxProblems = options.maxProblems ?? 20;
  const start = options.startAfter ?? { seq: 0, hash: GENESIS_HASH };
  const problems: ChainProblem[] = [];
  let problemCount = 0;
  let firstBadSeq: number | null = null;

  const add = (problem: ChainProblem): ChainProblem | null => {
    problemCount += 1;
    if (problem.kind !== 'checkpoint-signature' && (firstBadSeq === null || problem.seq < firstBadSeq)) firstBadSeq = problem.seq;
    if (problems.length >= maxProblems) return null;
    problems.push(problem);
    return problem;
  };

  let checkpointsVerified = 0;
  let checkpointsSkipped = 0;
  let lastCheckpointSeq: number | null = null;
  // The last point where the chain provably matched a signature: a later
  // mismatch means a change somewhere after it.
  let lastMatchedSeq = start.seq;
  const keys = new KeyChain(options.publicKey, options.keyRotations ?? []);
  for (const problem of keys.problems) add({ kind: 'key-rotation', ...problem });
  const pending = trustedCheckpoints(options, keys, add);
  for (const checkpoint of pending.before) {
    if (checkpoint.seq < start.seq) {
      checkpointsSkipped += 1;
    } else if (checkpoint.headHash === start.hash) {
      checkpointsVerified += 1;
      lastCheckpointSeq = checkpoint.seq;
    } else {
      add({
        kind: 'checkpoint-mismatch',
        seq: checkpoint.seq,
        detail: `the chain is continued from hash ${short(start.hash)} at seq ${start.seq}, but the checkpoint signed ${checkpoint.createdAt} says ${short(checkpoint.headHash)}`,
      });
    }
  }
  const checkpoints = pending.after;
  let nextCheckpoint = 0;

  let expectedSeq = start.seq + 1;
  let headSeq = start.seq;
  let headHash = start.hash;
  let eventCount = 0;
  let oneRowGap: OneRowGap | null = null;

  const advance = (event: AuditEventRecord): void => {
    headSeq = event.seq;
    headHash = event.hash;
    expectedSeq = event.seq + 1;
    for (let checkpoint = checkpoints[nextCheckpoint]; checkpoint !== undefined && checkpoint.seq <= event.seq; checkpoint = checkpoints[nextCheckpoint]) {
      nextCheckpoint += 1;
      if (checkpoint.seq < event.seq) {
        add({ kind: 'checkpoint-mismatch', seq: checkpoint.seq, detail: `the checkpoint signed ${checkpoint.createdAt} names seq ${checkpoint.seq}, which is missing from the chain` });
      } else if (checkpoint.headHash === event.hash) {
        checkpointsVerified += 1;
        lastCheckpointSeq = checkpoint.seq;
        lastMatchedSeq = checkpoint.seq;
      } else {
        add({
          kind: 'checkpoint-mismatch',
          seq: checkpoint.seq,
          range: { from: lastMatchedSeq + 1, to: checkpoint.seq },
          detail:
            `the chain's hash at seq ${checkpoint.seq} is ${short(event.hash)} but the checkpoint signed ${checkpoint.createdAt} says ${short(checkpoint.headHash)}: ` +
            `events in ${range(lastMatchedSeq + 1, checkpoint.seq)} were changed and re-hashed after the checkpoint`,
        });
      }
    }
  };

  for await (const event of events) {
    eventCount += 1;
    const gap = oneRowGap;
    oneRowGap = null;
    const rotationProblem = keys.witness(event);
    if (rotationProblem !== null) add({ kind: 'key-rotation', ...rotationProblem });

    // Recompute from the stored prevHash, so a bad link and a bad body are told apart.
    const recomputed = recompute(event);
    if (recomputed !== event.hash) {
      add({ kind: 'hash-mismatch', seq: event.seq, detail: `stored hash ${short(event.hash)} differs from the recomputed ${short(recomputed)}: the event was changed after it was written` });
    }

    if (event.seq === expectedSeq) {
      if (event.prevHash !== headHash) {
        add({ kind: 'prev-hash-mismatch', seq: event.seq, detail: `prevHash ${short(event.prevHash)} is not the hash of seq ${headSeq} (${short(headHash)})` });
      }
      advance(event);
    } else if (event.seq > expectedSeq) {
      // The gap explains a prevHash that does not link, so that is not reported twice.
      const problem = add({
        kind: 'gap',
        seq: expectedSeq,
        range: { from: expectedSeq, to: event.seq - 1 },
        detail: `${range(expectedSeq, event.seq - 1)} missing: the chain jumps from seq ${headSeq} to seq ${event.seq}`,
      });
      if (event.seq === expectedSeq + 1) oneRowGap = { missingSeq: expectedSeq, hashBefore: headHash, successorPrevHash: event.prevHash, problem };
      advance(event);
    } else if (gap !== null && event.seq === gap.missingSeq && headSeq === gap.missingSeq + 1) {
      // The row that seemed missing came right after its successor: the two
      // were swapped, not removed. Name it so, and still check both links.
      if (gap.problem !== null) {
        gap.problem.kind = 'out-of-order';
        delete gap.problem.range;
        gap.problem.detail = `seq ${event.seq} comes after seq ${event.seq + 1}: the two rows are swapped`;
      }
      if (event.prevHash !== gap.hashBefore) {
        add({ kind: 'prev-hash-mismatch', seq: event.seq, detail: `prevHash ${short(event.prevHash)} is not the hash of seq ${event.seq - 1} (${short(gap.hashBefore)})` });
      }
      if (gap.successorPrevHash !== event.hash) {
        add({ kind: 'prev-hash-mismatch', seq: event.seq + 1, detail: `prevHash ${short(gap.successorPrevHash)} is not the hash of seq ${event.seq} (${short(event.hash)})` });
      }
    } else {
      // Seen already or late: only its own hash was checkable; the chain head stays where it was.
      add({ kind: 'out-of-order', seq: event.seq, detail: `seq ${event.seq} comes after seq ${headSeq}: a repeated or misplaced row` });
    }
  }

  for (const problem of keys.unwitnessed(start.seq, headSeq)) add({ kind: 'key-rotation', ...problem });
  const last = checkpoints.at(-1);
  if (last !== undefined && nextCheckpoint < checkpoints.length) {
    add({
      kind: 'truncated',
      seq: headSeq + 1,
      range: { from: headSeq + 1, to: last.seq },
      detail: `the chain ends at seq ${headSeq} but a checkpoint signed ${last.createdAt} names seq ${last.seq}: ${range(headSeq + 1, last.seq)} removed from the end`,
    });
  }

  return {
    ok: problemCount === 0,
    eventCount,
    headSeq,
    headHash,
    checkpointsVerified,
    checkpointsSkipped,
    lastCheckpointSeq,
    problems,
    problemCount,
    firstBadSeq,
  };
}

/**
 * Checkpoints whose signatures verify, sorted by seq and split at the start
 * of the verified range. A checkpoint that does not verify is reported and
 * then ignored: a forged checkpoint must neither pass nor fail the chain.
 */
function trustedCheckpoints(
  options: VerifyChainOptions,
  keys: KeyChain,
  add: (problem: ChainProblem) => unknown,
): { before: SignedCheckpoint[]; after: SignedCheckpoint[] } {
  const startSeq = options.startAfter?.seq ?? 0;
  const sorted = [...options.checkpoints].sort((a, b) => a.seq - b.seq);
  if (keys.last() === undefined) {
    for (const checkpoint of sorted) add({ kind: 'checkpoint-signature', seq: checkpoint.seq, detail: 'the public key cannot be read, so no checkpoint can be verified' });
    return { before: [], after: [] };
  }
  const before: SignedCheckpoint[] = [];
  const after: SignedCheckpoint[] = [];
  for (const checkpoint of sorted) {
    // Each checkpoint must verify with the key the chain of rotations makes current at its seq.
    const expected = keys.keyAt(checkpoint.seq);
    if (expected === undefined || !verifyCheckpoint(checkpoint, expected.key)) {
      const detail =
        checkpoint.keyId === expected?.keyId
          ? `the signature of the checkpoint at seq ${checkpoint.seq} does not verify: it was altered or forged`
          : `the checkpoint at seq ${checkpoint.seq} is signed by key ${checkpoint.keyId}, not by ${expected?.keyId ?? 'none'}, the key current at that seq: no trusted key rotation announced key ${checkpoint.keyId}`;
      add({ kind: 'checkpoint-signature', seq: checkpoint.seq, detail });
    } else if (checkpoint.seq <= startSeq) {
      before.push(checkpoint);
    } else {
      after.push(checkpoint);
    }
  }
  return { before, after };
}
