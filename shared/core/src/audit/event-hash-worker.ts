import { parentPort } from 'node:worker_threads';
import { computeEventHash, type AuditEventRecord } from './event-hash.js';

/**
 * Worker thread of verifyChainParallel: recomputes the hash of every event of
 * a part it is sent, and answers with the hashes in the same order. It judges
 * nothing: comparisons stay in verifyChainWith, so results and messages are
 * those of the single-threaded path.
 */
export interface HashPart {
  id: number;
  events: AuditEventRecord[];
}

export interface HashedPart {
  id: number;
  hashes: string[];
}

parentPort?.on('message', (part: HashPart) => {
  const hashes = part.events.map((event) => computeEventHash(event.prevHash, event));
  parentPort?.postMessage({ id: part.id, hashes } satisfies HashedPart);
});
