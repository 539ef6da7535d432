import { parentPort } from 'node:worker_threads';
import { computeEventHash, type AuditEventRecord } from './event-hash.js';

/**
 * Worker thread of verifyChainParallel: recomputes the hash of every event of
 * a part it is sent (JSON lines the caller has already validated), and answers with the hashes in the same order. It judges
 * nothing: comparisons stay in verifyChainWith, so results and messages are
 * those of the single-threaded path.
 */
export interface HashPart {
  id: number;
  /** The events' JSON records, one a line: a string crosses threads as a copy of bytes, far cheaper than cloning objects. */
  lines: string;
}

export interface HashedPart {
  id: number;
  hashes: string[];
}

parentPort?.on('message', (part: HashPart) => {
  const hashes = part.lines.split('\n').map((line) => {
    const event = JSON.parse(line) as AuditEventRecord;
    return computeEventHash(event.prevHash, event);
  });
  parentPort?.postMessage({ id: part.id, hashes } satisfies HashedPart);
});
