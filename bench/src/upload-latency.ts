import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serverEnvironmentSchema, startServer } from '@clearance/cli';
import { openPostgres } from '@clearance/db';
import { loadDefaultPolicy } from '@clearance/policy';
import { Redis } from 'ioredis';
import { pino } from 'pino';

const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const juiceShop = fileURLToPath(new URL('../../test/fixtures/real-sboms/juice-shop/bom.1.4.json', import.meta.url));
const adminToken = `clr_${'B'.repeat(43)}`;

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? NaN;

/**
 * Upload -> verdict through the whole path: HTTP upload (parse, store, audit,
 * outbox) -> relay -> BullMQ -> worker (parse, evaluate, write findings,
 * audit) -> the verdict visible at GET /sboms/:id. The all-in-one runtime in
 * this process, on the local PostgreSQL and Redis; uploads one at a time.
 */
export async function measureUploadToVerdict(runs: number): Promise<{ p50: number; p95: number; max: number; runs: number; components: number }> {
  const schema = `bench_${process.pid}_${Date.now()}`;
  const prefix = `bench-${process.pid}-${Date.now()}`;
  const env = serverEnvironmentSchema.parse({
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: schema,
    REDIS_URL: redisUrl,
    CLEARANCE_REDIS_PREFIX: prefix,
    PORT: '0',
    CLEARANCE_BOOTSTRAP_TOKEN: adminToken,
    CLEARANCE_RATE_LIMIT_FACTOR: '0',
    CLEARANCE_DATA_DIR: `/tmp/${schema}`,
  });
  const server = await startServer({ env, log: pino({ level: 'silent' }), policy: await loadDefaultPolicy(), withWorkers: true, announce: () => undefined });
  const base = `http://127.0.0.1:${server.port}`;
  const content = readFileSync(juiceShop);
  const timings: number[] = [];
  let components = 0;
  try {
    const created = (await (
      await fetch(`${base}/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'bench', roles: ['compliance'] }),
      })
    ).json()) as { token: string };
    const headers = { authorization: `Bearer ${created.token}` };
    // One warm-up upload compiles the CycloneDX schema in both the API and the worker.
    for (let run = 0; run <= runs; run += 1) {
      const started = performance.now();
      const upload = (await (await fetch(`${base}/sboms`, { method: 'POST', headers, body: content })).json()) as { id: string };
      const deadline = Date.now() + 30_000;
      for (;;) {
        const state = (await (await fetch(`${base}/sboms/${upload.id}?limit=1`, { headers })).json()) as { status: string; componentCount: number };
        if (state.status !== 'queued') {
          components = state.componentCount;
          break;
        }
        if (Date.now() > deadline) throw new Error(`no verdict for ${upload.id} within 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (run > 0) timings.push(performance.now() - started);
    }
  } finally {
    await server.stop();
    const db = await openPostgres({ connectionString: databaseUrl });
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.close();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
  const sorted = [...timings].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted.at(-1) ?? NaN, runs: sorted.length, components };
}
