import { openPostgres } from '@clearance/db';
import autocannon from 'autocannon';
import { withStealShare } from './cpu-steal.js';
import { pacedCalls, pacedLoad, type PacedResult } from './paced-load.js';
import { withWalFlushWatch } from './wal-flush-watch.js';

// The API bench's measurements: a peak (closed loop), a steady rate (open
// loop), PostgreSQL's own commits at that rate, and the table of rows.

/** What a measurement needs of the bench's options. */
export interface LoadOptions {
  connections: number;
  durationSeconds: number;
}

export interface Row {
  target: string;
  rate: string;
  throughput: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  /** Share of the machine's CPU time stolen by other guests during the run (cpu-steal.ts). */
  steal: number;
  /** Steady rates: the longest wait for a WAL flush seen meanwhile (wal-flush-watch.ts); NaN for peaks. */
  walWait: number;
  note: string;
}

/** One endpoint under load: how each request is made. */
export interface Endpoint {
  label: string;
  url: string;
  method: 'GET' | 'POST';
  build(): { headers: Record<string, string>; body?: string };
}

/** Closed loop, as fast as it goes: `connections` requests always in flight (autocannon). */
export const runPeak = async (endpoint: Endpoint, options: LoadOptions, durationSeconds = options.durationSeconds): Promise<Row> => {
  const first = endpoint.build();
  const { result, stealShare } = await withStealShare(() =>
    autocannon({
      url: endpoint.url,
      method: endpoint.method,
      headers: first.headers,
      connections: options.connections,
      duration: durationSeconds,
      requests: [
        {
          method: endpoint.method,
          setupRequest: (request: autocannon.Request) => {
            const next = endpoint.build();
            return { ...request, headers: next.headers, ...(next.body === undefined ? {} : { body: next.body }) };
          },
        },
      ],
    }),
  );
  return {
    target: endpoint.label,
    rate: 'max',
    throughput: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    // Connection errors (timeouts included) and every answer that is not a 2xx.
    errors: result.errors + result.non2xx,
    requests: result.requests.total,
    steal: stealShare,
    walWait: Number.NaN,
    note: `autocannon, ${options.connections} connections`,
  };
};

const steadyRow = (target: string, rate: number, { result, longestWalWaitMs }: { result: PacedResult; longestWalWaitMs: number }, note: string): Row => ({
  target,
  rate: String(rate),
  throughput: result.throughput,
  p50: result.p50,
  p99: result.p99,
  errors: result.errors,
  requests: result.requests,
  steal: result.stealShare,
  walWait: longestWalWaitMs,
  note: [note, result.overloaded ? 'OVERLOADED: stopped sending' : ''].filter(Boolean).join('; '),
});

/** Open loop at a steady rate (see paced-load.ts). */
export const runAtRate = async (databaseUrl: string, endpoint: Endpoint, rate: number, options: LoadOptions, note = ''): Promise<Row> =>
  steadyRow(endpoint.label, rate, await withWalFlushWatch(databaseUrl, () => pacedLoad(endpoint, rate, options.durationSeconds)), note);

/**
 * The reference for intake's tail latency: PostgreSQL alone taking one-row
 * commits at the same steady rate, from a pool of ten connections. Every
 * accepted request waits for a commit's fsync, so the disk's stalls show in
 * intake's p99 as they show here.
 */
export const runCommitsAtRate = async (connectionString: string, schema: string, rate: number, options: LoadOptions): Promise<Row> => {
  const db = await openPostgres({ connectionString, schema, maxConnections: 10 });
  try {
    await db.exec('CREATE TABLE IF NOT EXISTS bench_commit_probe (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
    const result = await withWalFlushWatch(connectionString, () =>
      pacedCalls(
        async () => {
          await db.query('INSERT INTO bench_commit_probe DEFAULT VALUES');
          return true;
        },
        rate,
        options.durationSeconds,
      ),
    );
    return steadyRow('PostgreSQL alone: one-row commits', rate, result, 'the disk under the same rate');
  } finally {
    await db.close();
  }
};

const walWaitOf = (row: Row): string => (Number.isNaN(row.walWait) ? '' : String(row.walWait));

export const stolen = (row: Row): string => (Number.isNaN(row.steal) ? '?' : `${(row.steal * 100).toFixed(1)}%`);

export const printRows = (rows: readonly Row[]): void => {
  const header = ['target', 'rate (req/s)', 'throughput (req/s)', 'p50 (ms)', 'p99 (ms)', 'errors', 'requests', 'CPU stolen', 'WAL flush wait (ms)', 'note'];
  const cells = rows.map((row) => [
    row.target,
    row.rate,
    row.throughput.toFixed(0),
    String(row.p50),
    String(row.p99),
    String(row.errors),
    String(row.requests),
    stolen(row),
    walWaitOf(row),
    row.note,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => (cell[column] ?? '').length)));
  const line = (cell: readonly string[]): string => `| ${cell.map((text, column) => text.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  process.stdout.write(`${line(header)}\n| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |\n${cells.map(line).join('\n')}\n`);
};

export const describeRow = (row: Row): string =>
  `${row.target} @ ${row.rate}: ${row.throughput.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, ${row.errors} errors, ` +
  `${stolen(row)} of the CPU stolen${Number.isNaN(row.walWait) ? '' : `, longest WAL flush wait ${row.walWait} ms`}${row.note ? ` (${row.note})` : ''}\n`;
