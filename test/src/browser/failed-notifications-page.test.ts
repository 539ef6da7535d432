import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, personContext, screenshot, signIn } from '../support/browser.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The admin's view of notices that failed after every retry, in a real
 * browser. The failed delivery is written as the delivery job leaves one
 * after its last try (test/src/notifications drives that whole path with a
 * receiver that keeps failing); here the page and its retry are under test.
 */
describe('web UI: failed notifications for admins (Chromium)', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page | undefined;
  const deliveryId = `ntf_${randomBytes(16).toString('hex')}`;

  beforeAll(async () => {
    browser = await launchChromium();
    srv = await startTestServer();
    await srv.server.db.query(
      `INSERT INTO notification_deliveries (id, event_key, event_kind, recipient, channel, notice, state, attempts, last_error)
       VALUES ($1, $1, 'stage.waiting', 'mona', 'ospo-slack', '{"title":"Review waiting: Fix the parser"}', 'failed', 6, 'the Slack webhook answered 503')`,
      [deliveryId],
    );
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) await screenshot(page, 'failed-notifications').catch(() => undefined);
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('lists the failed delivery with its channel and last error, and sends it again (audited); others do not see the page', async () => {
    const context = await personContext(browser, srv.baseUrl);
    page = await context.newPage();
    await signIn(page, srv.adminToken, 'admin');
    await page.getByRole('link', { name: 'Notifications' }).click();
    const row = page.getByTestId('failed-deliveries').locator(`tr[data-delivery="${deliveryId}"]`);
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual(
      expect.arrayContaining(['Review waiting: Fix the parser', 'mona', 'ospo-slack', '6', 'the Slack webhook answered 503']),
    );
    await screenshot(page, '30-failed-notifications');
    await row.getByRole('button', { name: 'Send again' }).click();
    await row.getByText('sent again').waitFor();
    const state = await srv.server.db.query<{ state: string; round: number }>('SELECT state, round FROM notification_deliveries WHERE id = $1', [deliveryId]);
    expect(state.rows[0]?.round).toBe(2);
    await waitFor(
      async () => {
        const events = await call<{ items: Array<{ action: string }> }>(srv.baseUrl, 'GET', '/audit/events?limit=200', { token: srv.adminToken });
        return events.body.items.some((event) => event.action === 'notification.retried') ? true : undefined;
      },
      { what: 'the retry audit event' },
    );

    const compliance = (await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user: 'carla', roles: ['compliance'] } })).body.token;
    const other = await (await personContext(browser, srv.baseUrl)).newPage();
    await signIn(other, compliance, 'carla');
    await other.getByRole('link', { name: 'SBOMs' }).waitFor();
    expect(await other.getByRole('link', { name: 'Notifications' }).count()).toBe(0);
  });
});
