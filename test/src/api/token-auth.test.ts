import { listAuditEvents } from '@clearance/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../support/test-server.js';

describe('token authentication and roles (real server, PostgreSQL, Redis)', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(async () => {
    await srv.close();
  });

  it('answers 401 with the error body when no token or an unknown token is sent', async () => {
    const none = await call(srv.baseUrl, 'GET', '/me');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: 'unauthenticated', message: expect.stringContaining('bearer token') } });
    const unknown = await call(srv.baseUrl, 'GET', '/me', { token: `clr_${'B'.repeat(43)}` });
    expect(unknown.status).toBe(401);
    const malformed = await call(srv.baseUrl, 'GET', '/me', { headers: { authorization: 'Basic abc' } });
    expect(malformed.status).toBe(401);
  });

  it('lets the bootstrap admin in and create a token, audited', async () => {
    const me = await call(srv.baseUrl, 'GET', '/me', { token: srv.adminToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: 'admin', roles: ['admin'] });

    const created = await call<{ token: string; id: string; roles: string[] }>(srv.baseUrl, 'POST', '/tokens', {
      token: srv.adminToken,
      body: { user: 'alice', roles: ['ospo', 'legal'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^clr_[\w-]{43}$/);
    expect(created.body.roles).toEqual(['ospo', 'legal']);

    const alice = await call(srv.baseUrl, 'GET', '/me', { token: created.body.token });
    expect(alice.body).toMatchObject({ user: 'alice', roles: ['ospo', 'legal'] });

    const listed = await call<{ items: Array<Record<string, unknown>> }>(srv.baseUrl, 'GET', '/tokens', { token: srv.adminToken });
    expect(listed.body.items.map((item) => item.user)).toEqual(['admin', 'alice']);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);

    const events = await listAuditEvents(srv.server.db, { action: 'token.created' }, 10);
    expect(events.map((event) => [event.actor, (event.payload as { user: string }).user])).toEqual([
      ['system', 'admin'],
      ['admin', 'alice'],
    ]);
  });

  it('answers 403 to a role that may not call the route, and records the denial', async () => {
    const created = await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', {
      token: srv.adminToken,
      body: { user: 'bob', roles: ['requester'] },
    });
    const denied = await call(srv.baseUrl, 'POST', '/tokens', { token: created.body.token, body: { user: 'eve', roles: ['admin'] } });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ error: { code: 'forbidden', message: 'this needs one of the roles: admin' } });
    const denials = await listAuditEvents(srv.server.db, { action: 'access.denied' }, 10);
    expect(denials.at(-1)).toMatchObject({ actor: 'bob', subjectId: 'POST /tokens' });
  });

  it('refuses unknown fields and bad roles with 422, and a broken body with 400', async () => {
    const extra = await call(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user: 'x', roles: ['ospo'], admin: true } });
    expect(extra.status).toBe(422);
    expect(extra.body).toMatchObject({ error: { code: 'validation_failed' } });
    const badRole = await call(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user: 'x', roles: ['root'] } });
    expect(badRole.status).toBe(422);
    const broken = await call(srv.baseUrl, 'POST', '/tokens', {
      token: srv.adminToken,
      rawBody: '{"user":',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ error: { code: 'bad_request' } });
  });

  it('revokes a token: it stops working, and revoking again is a conflict', async () => {
    const created = await call<{ token: string; id: string }>(srv.baseUrl, 'POST', '/tokens', {
      token: srv.adminToken,
      body: { user: 'carol', roles: ['auditor'] },
    });
    expect((await call(srv.baseUrl, 'DELETE', `/tokens/${created.body.id}`, { token: srv.adminToken })).status).toBe(200);
    expect((await call(srv.baseUrl, 'GET', '/me', { token: created.body.token })).status).toBe(401);
    expect((await call(srv.baseUrl, 'DELETE', `/tokens/${created.body.id}`, { token: srv.adminToken })).status).toBe(409);
    expect((await call(srv.baseUrl, 'DELETE', '/tokens/tok_nope', { token: srv.adminToken })).status).toBe(404);
    const revoked = await listAuditEvents(srv.server.db, { action: 'token.revoked' }, 10);
    expect(revoked).toHaveLength(1);
  });

  it('answers health without a token, and unknown routes with 404 in the error shape', async () => {
    expect((await call(srv.baseUrl, 'GET', '/healthz')).status).toBe(200);
    const missing = await call(srv.baseUrl, 'GET', '/nope', { token: srv.adminToken });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'not_found' } });
  });
});
