import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../support/test-server.js';

/** `/me` answers what the caller's roles may do, read from the route table the authorization middleware enforces. */
describe('GET /me lists the routes the caller may call (real server)', () => {
  let srv: TestServer;
  const tokenFor = async (user: string, roles: string[]): Promise<string> =>
    (await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user, roles } })).body.token;

  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(async () => {
    await srv.close();
  });

  it('gives each role exactly the routes the table opens to it, and each listed route answers that caller', async () => {
    const requester = await tokenFor('me-erin', ['requester']);
    const me = await call<{ user: string; roles: string[]; actions: string[] }>(srv.baseUrl, 'GET', '/me', { token: requester });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: 'me-erin', roles: ['requester'] });
    expect(me.body.actions).toEqual(expect.arrayContaining(['GET /me', 'POST /contributions', 'GET /contributions/:id', 'POST /sboms', 'GET /policy/tiers']));
    for (const notForRequesters of ['GET /reviews', 'POST /contributions/:id/decisions', 'POST /waivers', 'GET /audit/events', 'GET /tokens']) {
      expect(me.body.actions).not.toContain(notForRequesters);
    }
    // What /me promises, the API keeps; what it leaves out, the API refuses.
    expect((await call(srv.baseUrl, 'GET', '/sboms', { token: requester })).status).toBe(200);
    expect((await call(srv.baseUrl, 'GET', '/reviews', { token: requester })).status).toBe(403);

    const auditor = await tokenFor('me-audrey', ['auditor']);
    const audit = await call<{ actions: string[] }>(srv.baseUrl, 'GET', '/me', { token: auditor });
    expect(audit.body.actions).toEqual(expect.arrayContaining(['GET /audit/events', 'GET /audit/export', 'GET /sboms']));
    expect(audit.body.actions).not.toContain('POST /contributions');
    expect(audit.body.actions).not.toContain('POST /audit/checkpoints');
  });
});
