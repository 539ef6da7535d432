import { readFile } from 'node:fs/promises';
import { findSbom } from '@clearance/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/spawn-cli.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

describe('clearance release (the built CLI against a real server)', () => {
  let srv: TestServer;
  let env: Record<string, string>;
  let sbomId: string;

  beforeAll(async () => {
    srv = await startTestServer();
    const token = (await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user: 'carla', roles: ['compliance'] } })).body.token;
    env = { CLEARANCE_URL: srv.baseUrl, CLEARANCE_TOKEN: token };
    const upload = await call<{ id: string }>(srv.baseUrl, 'POST', '/sboms', { token, rawBody: await readFile(new URL('../../fixtures/real-sboms/dropwizard/bom.json', import.meta.url)) });
    sbomId = upload.body.id;
    await waitFor(async () => ((await findSbom(srv.server.db, sbomId))?.status === 'evaluated' ? true : undefined), { what: 'SBOM evaluated' });
  });
  afterAll(async () => {
    await srv.close();
  });

  it('creates a release, fulfils and waives obligations, and refuses bad evidence with exit 2', async () => {
    const created = spawnCli(['release', 'create', '--name', 'widget', '--version', '1.0.0', '--sbom', sbomId, '--json'], env);
    expect(await created.exited).toBe(0);
    const release = JSON.parse(created.stdout()) as { id: string; obligations: Array<{ key: string }> };
    const [first, second] = release.obligations;
    if (first === undefined || second === undefined) throw new Error('too few obligations');

    const both = spawnCli(['release', 'fulfil', release.id, first.key, '--notice', '--url', 'https://example.com'], env);
    expect(await both.exited).toBe(2);
    expect(both.stderr()).toContain('give exactly one of --notice, --url <url>, --sha256 <hash>');
    const badHash = spawnCli(['release', 'fulfil', release.id, first.key, '--sha256', 'abc'], env);
    expect(await badHash.exited).toBe(2);
    const badId = spawnCli(['release', 'show', 'rel_nope'], env);
    expect(await badId.exited).toBe(2);

    const fulfilled = spawnCli(['release', 'fulfil', release.id, first.key, '--notice'], env);
    expect(await fulfilled.exited).toBe(0);
    expect(fulfilled.stdout()).toMatch(new RegExp(`\\[x\\] ${first.key.replace(/[.+]/g, '\\$&')} `));
    expect(fulfilled.stdout()).toMatch(/NOTICE sha256 [0-9a-f]{64} \(carla\)/);
    const waived = spawnCli(['release', 'waive', release.id, second.key, '--reason', 'not distributed'], env);
    expect(await waived.exited).toBe(0);
    expect(waived.stdout()).toContain('waived: not distributed (carla)');
    const unknown = spawnCli(['release', 'waive', release.id, 'attribution:GPL-9.0', '--reason', 'x'], env);
    expect(await unknown.exited).not.toBe(0);
    expect(unknown.stderr()).toContain('has no obligation attribution:GPL-9.0');

    const list = spawnCli(['release', 'list', '--status', 'open'], env);
    expect(await list.exited).toBe(0);
    expect(list.stdout()).toContain(`${release.id}  widget 1.0.0  open  ${release.obligations.length - 2} of ${release.obligations.length} open`);
  });
});
