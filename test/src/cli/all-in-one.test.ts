import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../support/test-database.js';
import { deleteRedisPrefix, testRedisUrl } from '../support/test-redis.js';
import { freePort, spawnCli } from '../support/spawn-cli.js';
import { waitFor } from '../support/wait-for.js';

/** The all-in-one process as a user starts it: the real CLI, embedded PGlite, real Redis. */
describe('clearance serve (all-in-one, spawned)', () => {
  let dataDir: string;
  const redisPrefix = uniqueName('aio');
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clearance-aio-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await deleteRedisPrefix(redisPrefix);
  });

  const start = async () => {
    const port = await freePort();
    const cli = spawnCli(['serve'], {
      CLEARANCE_DATA_DIR: dataDir,
      REDIS_URL: testRedisUrl,
      CLEARANCE_REDIS_PREFIX: redisPrefix,
      PORT: String(port),
      CLEARANCE_HEARTBEAT_MS: '500',
      SHUTDOWN_GRACE_MS: '5000',
    });
    const readyz = `http://127.0.0.1:${port}/readyz`;
    return { cli, port, readyz };
  };

  it('creates the embedded database, prints the admin token once, and becomes ready', async () => {
    const { cli, port, readyz } = await start();
    try {
      const report = await waitFor(
        async () => {
          if (cli.child.exitCode !== null) throw new Error(`exited early: ${cli.stderr()}`);
          const response = await fetch(readyz).catch(() => null);
          return response?.status === 200 ? ((await response.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> }) : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 200, what: '/readyz 200' },
      );
      expect(report.ready).toBe(true);
      expect(Object.keys(report.checks).sort()).toEqual(['database', 'outbox', 'redis', 'workers']);
      const token = /Admin token \(shown once, keep it safe\): (clr_[\w-]{43})/.exec(cli.stderr())?.[1];
      expect(token).toBeDefined();
      const me = await fetch(`http://127.0.0.1:${port}/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).toMatchObject({ user: 'admin', roles: ['admin'] });
      expect(cli.stdout()).not.toContain(token);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(await page.text()).toContain('<title>Clearance</title>');
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exited).toBe(0);
  });

  it('reopens the same data folder without a new admin token', async () => {
    const { cli, readyz } = await start();
    try {
      await waitFor(async () => (await fetch(readyz).catch(() => null))?.status === 200, { timeoutMs: 60_000, intervalMs: 200, what: 'ready again' });
      expect(cli.stderr()).not.toContain('Admin token');
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exited).toBe(0);
  });

  it('stops with a message naming the variable when the environment is invalid', async () => {
    const cli = spawnCli(['serve'], { PORT: 'eighty', CLEARANCE_DATA_DIR: dataDir });
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain('PORT:');
  });
});
