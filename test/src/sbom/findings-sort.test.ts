import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

interface FindingsBody {
  status: string;
  counts: { total: number } | null;
  findings: { items: Array<{ index: number; name: string; verdict: string }>; nextCursor: number | string | null };
}

const rank: Record<string, number> = { deny: 0, review: 1, allow: 2 };

/**
 * The web UI's findings table sorts and pages on the server: every order must
 * visit each finding exactly once across pages (keyset paging), in order.
 */
describe('findings sorted by name or severity, paged by keyset (real PostgreSQL)', () => {
  let srv: TestServer;
  let token: string;
  let id: string;

  beforeAll(async () => {
    srv = await startTestServer();
    token = (await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user: 'carla', roles: ['compliance'] } })).body.token;
    const upload = await call<{ id: string }>(srv.baseUrl, 'POST', '/sboms', {
      token,
      rawBody: await readFile(new URL('../../fixtures/real-sboms/juice-shop/bom.1.4.json', import.meta.url)),
    });
    id = upload.body.id;
    await waitFor(async () => (await call<FindingsBody>(srv.baseUrl, 'GET', `/sboms/${id}?limit=1`, { token })).body.status === 'evaluated', { what: 'the evaluation' });
  });
  afterAll(async () => {
    await srv.close();
  });

  const everyPage = async (sort: string): Promise<FindingsBody['findings']['items']> => {
    const items: FindingsBody['findings']['items'] = [];
    let cursor: number | string | null = null;
    do {
      const query: string = `sort=${sort}&limit=200${cursor === null ? '' : `&cursor=${encodeURIComponent(String(cursor))}`}`;
      const page = await call<FindingsBody>(srv.baseUrl, 'GET', `/sboms/${id}?${query}`, { token });
      expect(page.status).toBe(200);
      items.push(...page.body.findings.items);
      cursor = page.body.findings.nextCursor;
    } while (cursor !== null);
    return items;
  };

  it('sorted by name: all findings once, names in order', async () => {
    const total = (await call<FindingsBody>(srv.baseUrl, 'GET', `/sboms/${id}?limit=1`, { token })).body.counts?.total ?? 0;
    const items = await everyPage('name');
    expect(items).toHaveLength(total);
    expect(new Set(items.map((item) => item.index)).size).toBe(total);
    // Paging must give exactly what one ordered query gives (the database's collation decides the order).
    const { rows } = await srv.server.db.query<{ idx: number }>('SELECT idx FROM sbom_findings WHERE sbom_id = $1 ORDER BY lower(name), idx', [id]);
    expect(items.map((item) => item.index)).toEqual(rows.map((row) => row.idx));
  });

  it('sorted by severity: deny, then review, then allow, each in SBOM order', async () => {
    const items = await everyPage('severity');
    for (let n = 1; n < items.length; n += 1) {
      const [before, after] = [items[n - 1], items[n]];
      if (!before || !after) continue;
      const order = (rank[before.verdict] ?? 3) - (rank[after.verdict] ?? 3) || before.index - after.index;
      expect(order).toBeLessThan(0);
    }
  });

  it('keeps the numeric cursor of SBOM order, and refuses a cursor of another order', async () => {
    const first = await call<FindingsBody>(srv.baseUrl, 'GET', `/sboms/${id}?limit=5`, { token });
    expect(first.body.findings.nextCursor).toBe(4);
    const wrong = await call<{ error: { code: string; details: Array<{ path: string }> } }>(srv.baseUrl, 'GET', `/sboms/${id}?sort=name&cursor=4`, { token });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details[0]?.path).toBe('cursor');
  });
});
