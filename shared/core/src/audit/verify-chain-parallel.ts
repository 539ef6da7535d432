import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AuditEventRecord } from './event-hash.js';
import type { HashedPart, HashPart } from './event-hash-worker.js';
import { verifyChain, verifyChainWith, type ChainReport, type VerifyChainOptions } from './verify-chain.js';

/** An event with the JSON text it was read from (one line, no newline), which is what is sent to a worker. */
export interface SourcedEvent {
  event: AuditEventRecord;
  json: string;
}

export interface ParallelOptions {
  /** Worker threads; default: the cores available (at least 1; 0 or 1 core means single-threaded). */
  threads?: number;
  /** Events per part sent to a worker. */
  partSize?: number;
  /** Below this many events (when known), thread start-up costs more than it saves. */
  expectedEvents?: number;
  minEventsForThreads?: number;
}

// Compiled, the worker sits beside this module; run from source (vitest), the
// source has no .js next to it, so the built one is used (npm run build first).
const workerScript = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/audit/event-hash-worker.js', import.meta.url)
  : new URL('./event-hash-worker.js', import.meta.url);

/**
 * verifyChain using all cores, for events read from JSON text (a dossier's
 * events.ndjson). The stream is cut into parts of `partSize` events; worker
 * threads recompute each part's hashes from the parts' text (canonical JSON and
 * SHA-256: almost all of the work), while this thread keeps reading and runs
 * the one judging state machine (verifyChainWith) over the parts in order,
 * with the workers' hashes. The result, problem for problem and message for
 * message, is that of verifyChain. Memory stays bounded: at most two parts
 * per worker are in flight, so a slow consumer holds back the reading.
 */
export async function verifyChainParallel(
  events: AsyncIterable<SourcedEvent> | Iterable<SourcedEvent>,
  options: VerifyChainOptions,
  parallel: ParallelOptions = {},
): Promise<ChainReport> {
  const threads = parallel.threads ?? Math.max(1, availableParallelism());
  const minEvents = parallel.minEventsForThreads ?? 20_000;
  if (threads <= 1 || (parallel.expectedEvents !== undefined && parallel.expectedEvents < minEvents)) return verifyChain(eventsOf(events), options);
  const pool = new HashPool(threads);
  try {
    let hashes: string[] = [];
    let next = 0;
    const hashed = hashedParts(events, pool, parallel.partSize ?? 4_000, threads * 2);
    const stream = async function* (): AsyncGenerator<AuditEventRecord> {
      for await (const part of hashed) {
        hashes = part.hashes;
        next = 0;
        yield* part.events;
      }
    };
    return await verifyChainWith(stream(), options, () => {
      const hash = hashes[next];
      next += 1;
      if (hash === undefined) throw new Error('internal: a worker returned fewer hashes than events');
      return hash;
    });
  } finally {
    await pool.close();
  }
}

async function* eventsOf(sourced: AsyncIterable<SourcedEvent> | Iterable<SourcedEvent>): AsyncGenerator<AuditEventRecord> {
  for await (const { event } of sourced) yield event;
}

/** Parts in stream order, each with its hashes, keeping up to `inFlight` parts hashing ahead. */
async function* hashedParts(
  events: AsyncIterable<SourcedEvent> | Iterable<SourcedEvent>,
  pool: HashPool,
  partSize: number,
  inFlight: number,
): AsyncGenerator<{ events: AuditEventRecord[]; hashes: string[] }> {
  const queue: { events: AuditEventRecord[]; hashes: Promise<string[]> }[] = [];
  let part: AuditEventRecord[] = [];
  let lines: string[] = [];
  for await (const { event, json } of events) {
    part.push(event);
    lines.push(json);
    if (part.length < partSize) continue;
    queue.push({ events: part, hashes: pool.hash(lines.join('\n')) });
    part = [];
    lines = [];
    while (queue.length >= inFlight) {
      const first = queue.shift();
      if (first !== undefined) yield { events: first.events, hashes: await first.hashes };
    }
  }
  if (part.length > 0) queue.push({ events: part, hashes: pool.hash(lines.join('\n')) });
  for (const first of queue) yield { events: first.events, hashes: await first.hashes };
}

/** Worker threads taking parts round-robin; each answers its parts in the order sent. */
class HashPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (hashes: string[]) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      // A small heap makes the worker collect often: its parts are garbage once hashed (peak RSS, not speed).
      const worker = new Worker(workerScript, { resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 } });
      worker.on('message', (answer: HashedPart) => {
        this.waiting.get(answer.id)?.resolve(answer.hashes);
        this.waiting.delete(answer.id);
      });
      worker.on('error', (error) => this.failAll(error));
      return worker;
    });
  }

  hash(lines: string): Promise<string[]> {
    const id = this.nextId;
    this.nextId += 1;
    const worker = this.workers[id % this.workers.length];
    if (worker === undefined) throw new Error('internal: the hash pool has no worker');
    const answer = new Promise<string[]>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    // A part whose answer is never awaited (the consumer stopped) must not reject unhandled.
    answer.catch(() => undefined);
    worker.postMessage({ id, lines } satisfies HashPart);
    return answer;
  }

  private failAll(error: Error): void {
    for (const pending of this.waiting.values()) pending.reject(error);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
