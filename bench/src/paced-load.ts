import { Agent, request } from 'node:http';
import { withStealShare } from './cpu-steal.js';

export interface PacedTarget {
  url: string;
  method: 'GET' | 'POST';
  /** Called per request, so requests can rotate tokens and carry distinct bodies. */
  build(): { headers: Record<string, string>; body?: string };
}

export interface PacedResult {
  /** Responses per second over the run. */
  throughput: number;
  p50: number;
  p99: number;
  /** Network errors, timeouts and answers that are not 2xx. */
  errors: number;
  /** Requests sent (fewer than rate × duration when the run stopped on overload). */
  requests: number;
  /** The server fell so far behind that the run stopped sending. */
  overloaded: boolean;
  /** Share of the machine's CPU time stolen by other guests during the run (cpu-steal.ts). */
  stealShare: number;
}

const CALL_TIMEOUT_MS = 30_000;

const percentile = (sorted: Float64Array, p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? NaN;

/**
 * An open-loop load at a steady rate: call i starts at start + i/rate,
 * whatever happened to the ones before it, and its latency is counted from
 * that scheduled time (so a stalled server cannot hide its backlog: no
 * coordinated omission). autocannon's own rate option sends each
 * connection's share back to back at the start of every second, which
 * measures a burst rather than a rate; its closed-loop "as fast as it goes"
 * runs are used for the peak figures instead.
 *
 * `call` does one unit of work and says whether it succeeded; one that has
 * not settled after 30 s counts as an error, so every run ends.
 */
export async function pacedCalls(call: () => Promise<boolean>, rate: number, durationSeconds: number): Promise<PacedResult> {
  const { result, stealShare } = await withStealShare(() => pacedRun(call, rate, durationSeconds));
  return { ...result, stealShare };
}

async function pacedRun(call: () => Promise<boolean>, rate: number, durationSeconds: number): Promise<Omit<PacedResult, 'stealShare'>> {
  // More than two seconds of calls waiting for answers: the server is not keeping up; stop.
  const maxOutstanding = Math.max(100, rate * 2);
  const total = Math.max(1, Math.round(rate * durationSeconds));
  const latencies = new Float64Array(total).fill(Number.POSITIVE_INFINITY);
  let errors = 0;
  let finished = 0;
  let lastFinish = 0;
  const start = performance.now();
  const interval = 1000 / rate;
  let sent = 0;
  let overloaded = false;
  let allDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  const checkDone = (): void => {
    if (finished === sent && (sent === total || overloaded)) allDone();
  };

  const send = (index: number, scheduled: number): void => {
    let settled = false;
    const settle = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      const now = performance.now();
      if (ok) latencies[index] = now - scheduled;
      else errors++;
      lastFinish = now;
      finished++;
      checkDone();
    };
    const deadline = setTimeout(() => settle(false), CALL_TIMEOUT_MS);
    call().then(settle, () => settle(false));
  };

  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        if (sent - finished > maxOutstanding) {
          overloaded = true;
          break;
        }
        send(next, start + next * interval);
        sent++;
        next++;
      }
      if (next >= total || overloaded) resolve();
      else setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    tick();
  });
  checkDone();
  await done;
  const sorted = latencies.filter(Number.isFinite).sort();
  return {
    throughput: (sent - errors) / ((lastFinish - start) / 1000),
    p50: Math.round(percentile(sorted, 0.5)),
    p99: Math.round(percentile(sorted, 0.99)),
    errors,
    requests: sent,
    overloaded,
  };
}

/** `pacedCalls` of HTTP requests over up to `maxSockets` keep-alive connections; a 2xx answer succeeds. */
export async function pacedLoad(target: PacedTarget, rate: number, durationSeconds: number, maxSockets = 64): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const call = (): Promise<boolean> =>
    new Promise((resolve) => {
      const { headers, body } = target.build();
      const req = request(target.url, { method: target.method, agent, headers, timeout: CALL_TIMEOUT_MS }, (res) => {
        res.resume();
        res.on('end', () => resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300));
        res.on('error', () => resolve(false));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve(false));
      req.end(body);
    });
  try {
    return await pacedCalls(call, rate, durationSeconds);
  } finally {
    agent.destroy();
  }
}
