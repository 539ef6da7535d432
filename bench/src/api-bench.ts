import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPostgres } from '@clearance/db';
import { Redis } from 'ioredis';
import { freePort, pollUntil, spawnNode, stopChild, type Child } from './bench-child.js';
import { describeRow, printRows, runAtRate, runCommitsAtRate, runPeak, stolen, type Endpoint, type Row } from './load-rows.js';
import { newProjectRequest } from './new-project-request.js';

/**
 * `npm run bench -- api [--rates 100,200,400,800] [--duration 10] [--connections 50] [--log-level info] [--cli path]`
 *
 * The real API (`clearance serve --api-only`: the HTTP API; the outbox is relayed by workers)
 * against the local PostgreSQL (a fresh schema) and Redis (a fresh key
 * prefix), loaded over loopback:
 * - `POST /contributions` (a new-project request from one of 20 engineers:
 *   parsed, stored with its audit event and outbox row, answered after the
 *   commit) and `GET /reviews` (a manager's review queue, holding everything
 *   submitted before it) at each steady rate (open loop, paced-load.ts), then
 *   as fast as they go (autocannon, closed loop; intake three times), then at
 *   half of the best throughput seen;
 * - intake once more as fast as it goes with a `clearance worker` process
 *   routing every request meanwhile on the same machine: the whole pipeline,
 *   as the all-in-one runs it;
 * - a bare Express 5 hello-world in its own process, measured as fast as it
 *   goes with the same autocannon settings (at the start and just before
 *   each of three intake peaks): the ceiling of this machine; `GET /me`, our own
 *   request path around no work, as fast as it goes; and one-row commits to
 *   PostgreSQL alone at half of the intake peak: what this disk does to the
 *   tail latency of anything that waits for a commit.
 * Intake is the API's own work, as in a deployment whose workers run on other
 * machines: between runs a worker process routes the backlog and stops, so
 * one run's routing does not eat the next run's CPU. Rate limits are off for
 * the run (CLEARANCE_RATE_LIMIT_FACTOR=0): a limit would measure 429s, not the
 * API. Every run is bounded: a steady-rate run stops sending once two seconds
 * of requests are waiting, and every wait has a deadline.
 * Beside each steady-rate run: the share of the CPU stolen by other guests
 * (cpu-steal.ts) and the longest wait for a WAL flush (wal-flush-watch.ts),
 * the two things of this shared machine that move tail latency most.
 * Targets (issue 7): intake at least 25% of the bare ceiling, p99 under 100 ms
 * at half of our peak intake rate, zero errors.
 */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const databaseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Options {
  rates: number[];
  durationSeconds: number;
  connections: number;
  logLevel: string;
  cli: string;
}

/** As `clearance`, `npm start` and the image start the CLI (README, "A quiet spell and the young generation"). */
const CLI_NODE_FLAGS = ['--min-semi-space-size=16'];

/** Intake peaks, each next to a ceiling measured just before it. */
const PEAK_PAIRS = 3;

const parseOptions = (args: readonly string[]): Options => {
  const options: Options = {
    rates: [100, 200, 400, 800],
    durationSeconds: 10,
    connections: 50,
    logLevel: 'info',
    cli: join(repoRoot, 'services/cli/dist/main.js'),
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[++i] ?? '';
    if (arg === '--rates') options.rates = value.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
    else if (arg === '--duration') options.durationSeconds = Math.min(120, Math.max(1, Number(value) || 10));
    else if (arg === '--connections') options.connections = Math.min(1_000, Math.max(1, Number(value) || 50));
    else if (arg === '--log-level') options.logLevel = value;
    else if (arg === '--cli') options.cli = value;
    else throw new Error(`unknown option ${arg} (--rates 100,200 --duration 10 --connections 50 --log-level info --cli path)`);
  }
  return options;
};



export async function runApiBench(args: readonly string[]): Promise<void> {
  const options = parseOptions(args);
  const runId = randomBytes(4).toString('hex');
  const schema = `bench_api_${runId}`;
  const prefix = `bench-api-${runId}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'clearance-api-bench-'));
  const adminToken = `clr_${randomBytes(32).toString('base64url').slice(0, 43)}`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;

  process.stdout.write(
    `API load: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; autocannon ${options.connections} connections, ` +
      `${options.durationSeconds} s per run, server LOG_LEVEL=${options.logLevel}, rate limits off (CLEARANCE_RATE_LIMIT_FACTOR=0); ` +
      `load average before the run ${loadavg()[0]?.toFixed(2) ?? '?'}\n`,
  );

  let server: Child | undefined;
  let bare: Child | undefined;
  const rows: Row[] = [];
  try {
    const environment = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      REDIS_URL: redisUrl,
      CLEARANCE_REDIS_PREFIX: prefix,
      CLEARANCE_DATA_DIR: dataDir,
      CLEARANCE_BOOTSTRAP_TOKEN: adminToken,
      CLEARANCE_RATE_LIMIT_FACTOR: '0',
      // Nothing in this run needs GitHub (new projects have no upstream); were it asked, it would get a refused loopback port.
      GITHUB_API_URL: 'http://127.0.0.1:9',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: options.logLevel,
    };
    server = spawnNode([...CLI_NODE_FLAGS, options.cli, 'serve', '--api-only'], environment);
    const startMs = await pollUntil('/healthz', async () => (await fetch(`${base}/healthz`)).status === 200, 60_000, server);
    process.stdout.write(`API ready in ${(startMs / 1000).toFixed(1)} s (schema ${schema}, Redis prefix ${prefix})\n`);
    const startWorker = async (): Promise<Child> => {
      let taking = false;
      const worker = spawnNode([...CLI_NODE_FLAGS, options.cli, 'worker'], { ...environment, LOG_LEVEL: 'info' }, (text) => {
        if (text.includes('worker is taking jobs')) taking = true;
      });
      await pollUntil('a worker process to take jobs', () => Promise.resolve(taking), 60_000, worker);
      return worker;
    };

    let barePort = 0;
    bare = spawnNode([fileURLToPath(new URL('./bare-express-server.js', import.meta.url))], process.env, (text) => {
      const match = /port (\d+)/.exec(text);
      if (match?.[1]) barePort = Number(match[1]);
    });
    await pollUntil('the bare Express server', () => Promise.resolve(barePort !== 0), 10_000, bare);

    const tokenFor = async (user: string, roles: string[]): Promise<string> => {
      const response = await fetch(`${base}/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user, roles }),
      });
      if (response.status !== 201) throw new Error(`POST /tokens answered ${response.status}: ${await response.text()}`);
      return ((await response.json()) as { token: string }).token;
    };
    // Twenty engineers submit, so per-requester history stays realistic; one manager reads the queue.
    const engineers: string[] = [];
    for (let i = 0; i < 20; i++) engineers.push(await tokenFor(`bench-engineer-${i}`, ['requester']));
    const manager = await tokenFor('bench-manager', ['manager']);

    let sequence = 0;
    const intake: Endpoint = {
      label: 'POST /contributions',
      url: `${base}/contributions`,
      method: 'POST',
      build: () => {
        sequence++;
        return {
          headers: { authorization: `Bearer ${engineers[sequence % engineers.length] ?? ''}`, 'content-type': 'application/json' },
          body: JSON.stringify(newProjectRequest(`bench-${runId}-${sequence}`)),
        };
      },
    };
    const queue: Endpoint = { label: 'GET /reviews', url: `${base}/reviews`, method: 'GET', build: () => ({ headers: { authorization: `Bearer ${manager}` } }) };
    const bareHello: Endpoint = { label: 'bare Express GET /', url: `http://127.0.0.1:${barePort}/`, method: 'GET', build: () => ({ headers: {} }) };
    // Our whole request path (security headers, request log, token lookup, role check, JSON
    // answer) around no work at all: the most any route of this API can reach here.
    const whoAmI: Endpoint = { label: 'GET /me', url: `${base}/me`, method: 'GET', build: () => ({ headers: { authorization: `Bearer ${engineers[0] ?? ''}` } }) };

    /** Runs a worker process until it has routed every submitted request (bounded), so runs do not overlap. */
    const drain = async (): Promise<void> => {
      const open = async (status: string): Promise<boolean> => {
        const response = await fetch(`${base}/contributions?status=${status}&limit=1`, { headers: { authorization: `Bearer ${adminToken}` } });
        return ((await response.json()) as { items: unknown[] }).items.length > 0;
      };
      const worker = await startWorker();
      try {
        // Three peaks leave ≈40,000 requests; one worker routes ≈70–140 a second on this machine.
        const ms = await pollUntil('the worker to route the backlog', async () => !(await open('submitted')) && !(await open('enriching')), 1_800_000, worker);
        if (ms > 1_000) process.stdout.write(`  (a worker process routed the backlog in ${(ms / 1000).toFixed(1)} s)\n`);
      } finally {
        await stopChild(worker);
      }
      await vacuum();
    };
    /**
     * Routing updates each request twice and marks each outbox row delivered:
     * a drain leaves a dead row version behind for every one. A deployment's
     * autovacuum clears them and refreshes the planner's statistics, but this
     * machine's PostgreSQL runs with autovacuum off, so after each drain the
     * bench vacuums its schema itself, as pgbench vacuums before its runs.
     * Then a CHECKPOINT writes out what the drain and the vacuum dirtied, so
     * the next run does not share the disk with that backlog. It also starts
     * the next run at a checkpoint, the worst moment for its tail: the first
     * change to each page after one logs the whole page (see the README).
     */
    const vacuum = async (): Promise<void> => {
      const db = await openPostgres({ connectionString: databaseUrl, schema });
      try {
        const { rows } = await db.query<{ name: string }>('SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = $1', [schema]);
        await db.exec(`VACUUM (ANALYZE) ${rows.map((row) => row.name).join(', ')}`);
        await db.exec('CHECKPOINT');
      } finally {
        await db.close();
      }
    };
    const record = (row: Row): Row => {
      rows.push(row);
      process.stdout.write(describeRow(row));
      return row;
    };

    // Warm-up: JIT, connection pools, prepared plans.
    await runAtRate(databaseUrl, intake, 50, { ...options, durationSeconds: 2 });
    await runAtRate(databaseUrl, queue, 20, { ...options, durationSeconds: 2 });
    await runPeak(bareHello, options, 2);
    await drain();

    const ceilingAtStart = record(await runPeak(bareHello, options));
    const floor = record(await runPeak(whoAmI, options));

    // Intake: rising steady rates, then as fast as it goes, then half of the best throughput seen.
    const intakeRows: Row[] = [];
    for (const rate of options.rates) {
      const row = record(await runAtRate(databaseUrl, intake, rate, options));
      intakeRows.push(row);
      await drain();
      if (row.note.includes('OVERLOADED')) break;
    }
    // Each intake peak is paired with a ceiling measured just before it, three times over:
    // this shared machine's speed drifts by a third within minutes (bare runs of one bench
    // here: 8,027 and 5,906 req/s), so a ceiling from another minute says more about the
    // neighbours than about intake. The verdict takes the median of the pairs' ratios; the
    // ratio to the highest ceiling of the run is printed beside it. The API relays nothing,
    // so the backlog of the three peaks waits in the outbox for one drain after them.
    const pairs: Array<{ ceiling: Row; intake: Row }> = [];
    for (let pair = 0; pair < PEAK_PAIRS; pair++) {
      const ceiling = record(await runPeak(bareHello, options));
      const intakePeak = record(await runPeak(intake, options));
      intakeRows.push(intakePeak);
      pairs.push({ ceiling, intake: intakePeak });
    }
    await drain();
    const pairRatios = pairs.map(({ ceiling, intake: intakePeak }) => intakePeak.throughput / ceiling.throughput);
    const medianRatio = [...pairRatios].sort((a, b) => a - b)[Math.floor(pairRatios.length / 2)] ?? 0;
    const highestCeiling = Math.max(ceilingAtStart.throughput, ...pairs.map(({ ceiling }) => ceiling.throughput));
    const peak = Math.max(...intakeRows.map((row) => row.throughput));
    const half = Math.max(1, Math.round(peak / 2));
    const atHalf = record(await runAtRate(databaseUrl, intake, half, options, 'half of the peak'));
    const commitsAlone = record(await runCommitsAtRate(databaseUrl, schema, half, options));
    await drain();
    // The whole pipeline on this one machine: a worker routes while the API takes requests.
    const worker = await startWorker();
    let pipeline: Row;
    try {
      pipeline = record({ ...(await runPeak(intake, options)), note: 'with a worker process routing meanwhile' });
    } finally {
      await stopChild(worker);
    }
    await drain();

    // The review queue, now holding everything submitted above (the last drain
    // vacuumed and analyzed it: without statistics the planner would sort every
    // pending stage instead of walking the queue's index).
    const queueRows: Row[] = [];
    for (const rate of options.rates) {
      const row = record(await runAtRate(databaseUrl, queue, rate, options));
      queueRows.push(row);
      if (row.note.includes('OVERLOADED')) break;
    }
    queueRows.push(record(await runPeak(queue, options)));
    const queuePeak = Math.max(...queueRows.map((row) => row.throughput));
    const queueAtHalf = record(await runAtRate(databaseUrl, queue, Math.max(1, Math.round(queuePeak / 2)), options, 'half of the peak'));
    const pending = await fetch(`${base}/reviews?limit=200`, { headers: { authorization: `Bearer ${manager}` } });
    const queueSize = ((await pending.json()) as { items: unknown[] }).items.length;

    process.stdout.write('\n');
    printRows(rows);
    const errors = rows.reduce((sum, row) => sum + row.errors, 0);
    const verdict = (ok: boolean): string => (ok ? 'holds' : 'MISSED');
    const percent = (ratio: number): string => `${(ratio * 100).toFixed(0)}%`;
    process.stdout.write(
      `\nintake peak / bare ceiling measured just before it: ${pairs
        .map(({ ceiling, intake: intakePeak }, i) => `${intakePeak.throughput.toFixed(0)}/${ceiling.throughput.toFixed(0)} = ${percent(pairRatios[i] ?? 0)}`)
        .join(', ')}; median ${percent(medianRatio)} (target ≥ 25%): ${verdict(medianRatio >= 0.25)}\n` +
        `best intake peak against the highest ceiling of the run (${highestCeiling.toFixed(0)} req/s): ${percent(peak / highestCeiling)}\n` +
        `p99 at half the peak (${half} req/s): ${atHalf.p99} ms (target < 100 ms): ${verdict(atHalf.p99 < 100)}, with ${stolen(atHalf)} of the CPU stolen and a longest WAL flush wait of ${atHalf.walWait} ms meanwhile; ` +
        `PostgreSQL alone, one-row commits at that rate: p99 ${commitsAlone.p99} ms, longest WAL flush wait ${commitsAlone.walWait} ms\n` +
        `GET /me (our request path around no work): ${floor.throughput.toFixed(0)} req/s = ${percent(floor.throughput / ceilingAtStart.throughput)} of the ceiling measured just before it\n` +
        `intake with a worker routing on the same machine: ${pipeline.throughput.toFixed(0)} req/s = ${percent(pipeline.throughput / highestCeiling)} of the highest ceiling\n` +
        `review queue (${sequence} requests submitted, ${queueSize >= 200 ? '200+' : queueSize} waiting for a manager): peak ${queuePeak.toFixed(0)} req/s; p99 at half of it: ${queueAtHalf.p99} ms\n` +
        `errors across all runs: ${errors} (target 0): ${verdict(errors === 0)}\n` +
        `(steady rates: open loop, latency from each request's scheduled time; "max": autocannon closed loop)\n`,
    );
  } finally {
    if (bare) await stopChild(bare);
    if (server) await stopChild(server);
    const db = await openPostgres({ connectionString: databaseUrl });
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.close();
    const redis = new Redis(redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
