import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../support/test-server.js';

const cookieOf = (headers: Headers): string => {
  const header = headers.get('set-cookie') ?? '';
  return header.split(';')[0] ?? '';
};

/**
 * The web UI's session cookie opens the queue dashboard in a browser, which
 * cannot send a bearer header. It must be useless anywhere else, forged,
 * expired with its token, or sent cross-site.
 */
describe('web UI session cookie for the queue dashboard (real server)', () => {
  let srv: TestServer;
  let operator: { id: string; token: string };

  beforeAll(async () => {
    srv = await startTestServer();
    operator = (await call<{ id: string; token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user: 'opal', roles: ['admin'] } })).body;
  });
  afterAll(async () => {
    await srv.close();
  });

  it('sets an HttpOnly, SameSite=Strict cookie scoped to the dashboard, and only for admins', async () => {
    const issued = await call<{ path: string; expiresAt: string }>(srv.baseUrl, 'POST', '/ui/session', { token: operator.token });
    expect(issued.status).toBe(201);
    const header = issued.headers.get('set-cookie') ?? '';
    expect(header).toMatch(/^clearance_ui_session=tok_[0-9a-f]+\.\d+\.[\w-]{43};/);
    expect(header).toContain('Path=/admin/queues');
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Strict');
    expect(new Date(issued.body.expiresAt).getTime()).toBeGreaterThan(Date.now());

    const requester = (await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user: 'rhea', roles: ['requester'] } })).body.token;
    expect((await call(srv.baseUrl, 'POST', '/ui/session', { token: requester })).status).toBe(403);
  });

  it('opens the dashboard with the cookie; refuses no cookie, a forged one, and cross-site actions', async () => {
    const cookie = cookieOf((await call(srv.baseUrl, 'POST', '/ui/session', { token: operator.token })).headers);
    const page = await fetch(`${srv.baseUrl}/admin/queues`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Clearance queues');
    expect((await fetch(`${srv.baseUrl}/admin/queues/api/queues`, { headers: { cookie } })).status).toBe(200);

    expect((await fetch(`${srv.baseUrl}/admin/queues`)).status).toBe(401);
    const forged = cookie.replace(/\.[\w-]{43}$/, `.${'A'.repeat(43)}`);
    expect((await fetch(`${srv.baseUrl}/admin/queues`, { headers: { cookie: forged } })).status).toBe(401);
    // A later expiry with the old signature: the MAC covers the expiry too.
    const extended = cookie.replace(/\.(\d+)\./, (_match, seconds: string) => `.${Number(seconds) + 86_400}.`);
    expect((await fetch(`${srv.baseUrl}/admin/queues`, { headers: { cookie: extended } })).status).toBe(401);

    const crossSite = await fetch(`${srv.baseUrl}/admin/queues/api/queues/sbom.evaluate/pause`, { method: 'PUT', headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
  });

  it('is accepted nowhere but the dashboard', async () => {
    const cookie = cookieOf((await call(srv.baseUrl, 'POST', '/ui/session', { token: operator.token })).headers);
    expect((await fetch(`${srv.baseUrl}/me`, { headers: { cookie } })).status).toBe(401);
    expect((await fetch(`${srv.baseUrl}/tokens`, { headers: { cookie } })).status).toBe(401);
  });

  it('dies with its token: revoking the token ends the session at once', async () => {
    const cookie = cookieOf((await call(srv.baseUrl, 'POST', '/ui/session', { token: operator.token })).headers);
    expect((await fetch(`${srv.baseUrl}/admin/queues`, { headers: { cookie } })).status).toBe(200);
    expect((await call(srv.baseUrl, 'DELETE', `/tokens/${operator.id}`, { token: srv.adminToken })).status).toBe(200);
    expect((await fetch(`${srv.baseUrl}/admin/queues`, { headers: { cookie } })).status).toBe(401);
  });

  it('sign-out clears the cookie', async () => {
    const cleared = await call(srv.baseUrl, 'DELETE', '/ui/session', { token: srv.adminToken });
    expect(cleared.status).toBe(204);
    expect(cleared.headers.get('set-cookie')).toMatch(/^clearance_ui_session=;.*Path=\/admin\/queues/);
  });
});
