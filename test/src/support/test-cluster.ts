import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgres } from '@clearance/db';
import { freePort, spawnCli, type SpawnedCli } from './spawn-cli.js';
import { testDatabaseUrl, uniqueName } from './test-database.js';
import { deleteRedisPrefix, testRedisUrl } from './test-redis.js';
import { testAdminToken } from './test-server.js';
import { waitFor } from './wait-for.js';

/**
 * The scaled-out form as real processes: one `serve --api-only` and N
 * `worker` processes of the built CLI, on the real PostgreSQL (own schema)
 * and Redis (own prefix). Fault tests kill and restart them for real.
 */
export interface TestCluster {
  baseUrl: string;
  adminToken: string;
  env: Record<string, string>;
  api: SpawnedCli;
  workers: SpawnedCli[];
  startApi(): Promise<void>;
  killApi(signal?: NodeJS.Signals): Promise<number | string>;
  startWorker(index: number): SpawnedCli;
  killWorker(index: number, signal?: NodeJS.Signals): Promise<number | string>;
  stop(): Promise<void>;
}

export async function startTestCluster(options: { workers: number; env?: Record<string, string> }): Promise<TestCluster> {
  const schema = uniqueName('cluster');
  const prefix = uniqueName('cluster');
  const dataDir = await mkdtemp(join(tmpdir(), 'clearance-cluster-'));
  const port = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: testDatabaseUrl,
    DATABASE_SCHEMA: schema,
    REDIS_URL: testRedisUrl,
    CLEARANCE_REDIS_PREFIX: prefix,
    CLEARANCE_DATA_DIR: dataDir,
    CLEARANCE_BOOTSTRAP_TOKEN: testAdminToken,
    CLEARANCE_HEARTBEAT_MS: '500',
    CLEARANCE_RATE_LIMIT_FACTOR: '0',
    SHUTDOWN_GRACE_MS: '5000',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    ...options.env,
  };
  const baseUrl = `http://127.0.0.1:${port}`;

  const cluster: TestCluster = {
    baseUrl,
    adminToken: testAdminToken,
    env,
    api: spawnCli(['serve', '--api-only'], env),
    workers: [],
    async startApi() {
      cluster.api = spawnCli(['serve', '--api-only'], env);
      await waitUntilServing(cluster.api, baseUrl);
    },
    async killApi(signal = 'SIGKILL') {
      cluster.api.child.kill(signal);
      return cluster.api.exited;
    },
    startWorker(index) {
      const worker = spawnCli(['worker'], env);
      cluster.workers[index] = worker;
      return worker;
    },
    async killWorker(index, signal = 'SIGKILL') {
      const worker = cluster.workers[index];
      if (!worker) throw new Error(`no worker ${index}`);
      worker.child.kill(signal);
      return worker.exited;
    },
    async stop() {
      const all = [cluster.api, ...cluster.workers];
      for (const process of all) if (process.child.exitCode === null) process.child.kill('SIGTERM');
      await Promise.all(all.map((process) => process.exited));
      const db = await openPostgres({ connectionString: testDatabaseUrl });
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.close();
      await deleteRedisPrefix(prefix);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  // The API migrates first; workers then find the schema ready.
  await waitUntilServing(cluster.api, baseUrl);
  for (let index = 0; index < options.workers; index += 1) cluster.startWorker(index);
  // Without workers nothing takes heartbeats, so /readyz cannot say yes.
  if (options.workers === 0) return cluster;
  await waitFor(
    async () => {
      const response = await fetch(`${baseUrl}/readyz`);
      if (response.status === 200) return true;
      // Thrown so that a timeout reports what was not ready, and what the workers said.
      const stderr = cluster.workers.map((worker) => worker.stderr().slice(-500)).join(' | ');
      throw new Error(`${await response.text()} workers: ${stderr}`);
    },
    { timeoutMs: 60_000, intervalMs: 100, what: 'cluster ready (workers taking heartbeats)' },
  );
  return cluster;
}

async function waitUntilServing(api: SpawnedCli, baseUrl: string): Promise<void> {
  await waitFor(
    async () => {
      if (api.child.exitCode !== null) throw new Error(`the API exited: ${api.stderr()}`);
      return (await fetch(`${baseUrl}/healthz`).catch(() => null))?.status === 200;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: 'API serving' },
  );
}
