import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, personContext, screenshot } from '../support/browser.js';
import { openEventStream } from '../support/event-stream-client.js';
import { startFakeOidcProvider, type FakeOidcProvider } from '../support/fake-oidc-provider.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Single sign-on end to end: Chromium, the all-in-one server and a real
 * OpenID Connect provider (npm oidc-provider) on loopback. Session expiry
 * follows a clock the test moves, so nothing waits for time to pass.
 */
describe('single sign-on through an OpenID Connect provider', () => {
  let provider: FakeOidcProvider;
  let server: TestServer;
  let browser: Browser;
  let dir: string;
  let clockOffsetMs = 0;
  const logLines: string[] = [];
  const sessionTtlSeconds = 600;

  beforeAll(async () => {
    provider = await startFakeOidcProvider();
    provider.accounts.set('ada', { email: 'ada@example.com', name: 'Ada Lovelace', groups: ['ospo-team', 'engineers'] });
    provider.accounts.set('bob', { email: 'bob@example.com', name: 'Bob Byte', groups: ['engineers'] });
    dir = await mkdtemp(join(tmpdir(), 'clearance-oidc-'));
    const roleMap = join(dir, 'role-map.yaml');
    await writeFile(roleMap, 'claim: groups\nmap:\n  ospo-team: [ospo]\n  engineers: [requester]\n');
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    server = await startTestServer(
      {
        CLEARANCE_OIDC_ISSUER: provider.issuer,
        CLEARANCE_OIDC_CLIENT_ID: provider.clientId,
        CLEARANCE_OIDC_CLIENT_SECRET: provider.clientSecret,
        CLEARANCE_OIDC_SCOPES: 'openid email profile groups',
        CLEARANCE_OIDC_PROVIDER_NAME: 'Test IdP',
        CLEARANCE_OIDC_ROLE_MAP: roleMap,
        CLEARANCE_SESSION_TTL_SECONDS: String(sessionTtlSeconds),
      },
      undefined,
      pino({ level: 'debug' }, sink),
      () => new Date(Date.now() + clockOffsetMs),
    );
    provider.registerClient(server.baseUrl);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await provider?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const events = async (action: string): Promise<Array<Record<string, unknown>>> => {
    const { rows } = await server.server.db.query<{ payload: Record<string, unknown> }>('SELECT payload FROM audit_events WHERE action = $1 ORDER BY seq', [action]);
    return rows.map((row) => row.payload);
  };

  /** From the sign-in page through the provider's login form and back; returns once Clearance answered the callback. */
  const signInAtProvider = async (page: Page, login: string): Promise<void> => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.waitForURL((url) => url.origin === server.baseUrl);
  };

  const sessionCookieOf = async (context: BrowserContext): Promise<string> => {
    const cookie = (await context.cookies(server.baseUrl)).find((entry) => entry.name === 'clearance_session');
    if (!cookie) throw new Error('no session cookie');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    return `clearance_session=${cookie.value}`;
  };

  let ada: { context: BrowserContext; page: Page };

  it('signs in with the provider, creates the user and shows the roles the groups map to', async () => {
    const context = await personContext(browser, server.baseUrl);
    const page = await context.newPage();
    ada = { context, page };
    await signInAtProvider(page, 'ada');
    await page.getByTestId('who').locator('strong').getByText('Ada Lovelace', { exact: true }).waitFor();
    await expect(page.getByTestId('who').locator('.roles').textContent()).resolves.toBe('requester, ospo');
    await page.getByRole('link', { name: 'Review queue' }).waitFor();
    await page.getByRole('link', { name: 'My requests' }).waitFor();
    await screenshot(page, 'oidc-signed-in');
    const [signedIn] = await events('session.signed-in');
    expect(signedIn).toMatchObject({ subject: 'ada', roles: ['requester', 'ospo'], firstSignIn: true });
    // Bearer tokens keep working beside it (CLI, CI).
    expect((await call(server.baseUrl, 'GET', '/me', { token: server.adminToken })).status).toBe(200);
  });

  it('refuses a state-changing call with the cookie but without the CSRF header (403 csrf_failed), and takes it with the header', async () => {
    const cookie = await sessionCookieOf(ada.context);
    const me = await call<{ csrfToken: string; user: string }>(server.baseUrl, 'GET', '/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    const body = { tier: 'bug-fix' };
    const refused = await call<{ error: { code: string } }>(server.baseUrl, 'POST', '/contributions', { headers: { cookie }, body });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('csrf_failed');
    const wrong = await call<{ error: { code: string } }>(server.baseUrl, 'POST', '/contributions', { headers: { cookie, 'x-csrf-token': 'x'.repeat(43) }, body });
    expect(wrong.body.error.code).toBe('csrf_failed');
    // With the header the call reaches validation: the body is incomplete, so 422, not 403.
    const taken = await call<{ error: { code: string } }>(server.baseUrl, 'POST', '/contributions', { headers: { cookie, 'x-csrf-token': me.body.csrfToken }, body });
    expect(taken.status).toBe(422);
    // The same from inside the page: a script of ours that forgot the header is refused too.
    const inPage = await ada.page.evaluate(async () => {
      const response = await fetch('/auth/logout', { method: 'POST' });
      return [response.status, ((await response.json()) as { error: { code: string } }).error.code];
    });
    expect(inPage).toEqual([403, 'csrf_failed']);
  });

  it('opens the live event stream with the sign-in cookie alone: no token-derived cookie is needed or set', async () => {
    const cookie = await sessionCookieOf(ada.context);
    const me = await call<{ csrfToken: string }>(server.baseUrl, 'GET', '/me', { headers: { cookie } });
    const session = await fetch(`${server.baseUrl}/events/session`, { method: 'POST', headers: { cookie, 'x-csrf-token': me.body.csrfToken } });
    expect(session.status).toBe(201);
    expect(session.headers.get('set-cookie')).toBeNull();
    const stream = await openEventStream(`${server.baseUrl}/events`, { cookie });
    try {
      expect(stream.status).toBe(200);
      await stream.next('ready');
    } finally {
      stream.close();
    }
  });

  it('refreshes the roles from the claims at the next sign-in once the session has expired, and records the change', async () => {
    provider.accounts.set('ada', { email: 'ada@example.com', name: 'Ada Lovelace', groups: ['engineers'] });
    clockOffsetMs += (sessionTtlSeconds + 1) * 1000;
    // The next request finds the session expired: the UI goes back to sign-in.
    await ada.page.goto('/#/reviews');
    await ada.page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    // The provider still knows Ada: no login form this time, straight back with the new claims.
    await ada.page.getByTestId('who').locator('.roles').getByText('requester', { exact: true }).waitFor();
    await expect(ada.page.getByRole('link', { name: 'Review queue' }).count()).resolves.toBe(0);
    const changes = await events('user.roles-changed');
    expect(changes.at(-1)).toMatchObject({ from: ['requester', 'ospo'], to: ['requester'] });
  });

  it('refuses the sign-in of someone whose groups no longer map to any role, and they lose access', async () => {
    provider.accounts.set('ada', { email: 'ada@example.com', name: 'Ada Lovelace', groups: ['former-staff'] });
    const cookie = await sessionCookieOf(ada.context);
    clockOffsetMs += (sessionTtlSeconds + 1) * 1000;
    expect((await call(server.baseUrl, 'GET', '/me', { headers: { cookie } })).status).toBe(401);
    // Ada may already be on her requests page, which (live, not polling) asks nothing until told:
    // the reload is her next request, which finds the session ended.
    await ada.page.goto('/#/requests');
    await ada.page.reload();
    await ada.page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await ada.page.getByText('grant no Clearance role').waitFor();
    await screenshot(ada.page, 'oidc-refused-no-role');
    await waitFor(async () => (await events('session.sign-in-refused')).some((event) => event.reason === 'no_role' && event.subject === 'ada'), { what: 'the refusal event' });
    expect((await events('user.roles-changed')).at(-1)).toMatchObject({ from: ['requester'], to: [] });
    await ada.context.close();
  });

  it('signs out: the session ends on the server and the browser goes to the provider to end its own', async () => {
    const context = await personContext(browser, server.baseUrl);
    const page = await context.newPage();
    await signInAtProvider(page, 'bob');
    await page.getByTestId('who').locator('strong').getByText('Bob Byte', { exact: true }).waitFor();
    const cookie = await sessionCookieOf(context);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${provider.issuer}/session/end`));
    expect((await call(server.baseUrl, 'GET', '/me', { headers: { cookie } })).status).toBe(401);
    expect(await events('session.signed-out')).toHaveLength(1);
    await context.close();
  });

  it('refuses a callback whose state is not the one this sign-in sent', async () => {
    const context = await personContext(browser, server.baseUrl);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await page.locator('input[name="login"]').waitFor();
    await page.goto('/auth/oidc/callback?code=stolen-code&state=forged-state');
    await page.getByText('state mismatch').waitFor();
    expect((await events('session.sign-in-refused')).some((event) => event.reason === 'state_mismatch')).toBe(true);
    await context.close();
  });

  it.each([
    ['other-nonce', 'nonce_mismatch', 'nonce mismatch'],
    ['forged-signature', 'id_token_invalid', 'failed its checks'],
    ['expired', 'id_token_expired', 'had expired'],
  ] as const)('refuses an ID token with %s', async (tampering, reason, message) => {
    const context = await personContext(browser, server.baseUrl);
    const page = await context.newPage();
    provider.tamperNextIdToken(tampering);
    await signInAtProvider(page, 'bob');
    await page.getByText(message).waitFor();
    expect((await events('session.sign-in-refused')).some((event) => event.reason === reason)).toBe(true);
    expect((await context.cookies(server.baseUrl)).some((entry) => entry.name === 'clearance_session')).toBe(false);
    await context.close();
  });

  it('never writes the client secret to the log', () => {
    expect(logLines.length).toBeGreaterThan(10);
    expect(logLines.join('')).not.toContain(provider.clientSecret);
  });
});
