import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../support/test-database.js';
import { deleteRedisPrefix, testRedisUrl } from '../support/test-redis.js';
import { freePort, spawnCli, type SpawnedCli } from '../support/spawn-cli.js';
import { call, testAdminToken } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

/** kill -9 of the all-in-one process while it writes to its embedded PGlite database. */
describe('kill -9 of the all-in-one process on PGlite', () => {
  const prefix = uniqueName('pgl');
  let dataDir = '';
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await deleteRedisPrefix(prefix);
  });

  const start = async (port: number): Promise<SpawnedCli> => {
    const cli = spawnCli(['serve'], {
      CLEARANCE_DATA_DIR: dataDir,
      REDIS_URL: testRedisUrl,
      CLEARANCE_REDIS_PREFIX: prefix,
      CLEARANCE_BOOTSTRAP_TOKEN: testAdminToken,
      CLEARANCE_RATE_LIMIT_FACTOR: '0',
      PORT: String(port),
      LOG_LEVEL: 'warn',
    });
    await waitFor(
      async () => {
        if (cli.child.exitCode !== null) throw new Error(`exited: ${cli.stderr()}`);
        return (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: 'all-in-one serving' },
    );
    return cli;
  };

  it('reopens the data folder with every committed write there', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clearance-pglite-kill-'));
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const first = await start(port);

    // Writes in a loop; each 201 is a committed token row plus its audit event.
    const committed: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let n = 0; writing && n < 10_000; n += 1) {
        const response = await call<{ id: string }>(baseUrl, 'POST', '/tokens', { token: testAdminToken, body: { user: `user${n}`, roles: ['requester'] } }).catch(
          () => null,
        );
        if (response?.status === 201) committed.push(response.body.id);
        else if (response === null) return;
      }
    })();
    await waitFor(() => committed.length >= 25, { what: '25 committed writes' });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    writing = false;
    await writer;

    const second = await start(port);
    try {
      const tokens = await call<{ items: Array<{ id: string }> }>(baseUrl, 'GET', '/tokens', { token: testAdminToken });
      const stored = new Set(tokens.body.items.map((token) => token.id));
      expect(committed.filter((id) => !stored.has(id))).toEqual([]);
      const auditor = await call<{ token: string }>(baseUrl, 'POST', '/tokens', { token: testAdminToken, body: { user: 'audrey', roles: ['auditor'] } });
      const verify = await call<{ ok: boolean; eventCount: number }>(baseUrl, 'GET', '/audit/verify', { token: auditor.body.token });
      expect(verify.body.ok).toBe(true);
      expect(verify.body.eventCount).toBeGreaterThanOrEqual(committed.length + 1);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 120_000);
});
