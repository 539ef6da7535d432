import { readFile } from 'node:fs/promises';
import type { AuditEvent } from '@clearance/contract';
import { findSbom } from '@clearance/db';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, personContext, screenshot, signIn } from '../support/browser.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The compliance engineer's release job in a real browser: the dropwizard
 * SBOM's obligations on its page, a release created from it, each obligation
 * fulfilled with evidence or waived with a reason until the release is cleared.
 */
describe('web UI: SBOM obligations and a release checklist (Chromium)', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page | undefined;
  let sbomId: string;
  let compliance: string;

  beforeAll(async () => {
    browser = await launchChromium();
    srv = await startTestServer();
    compliance = (await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user: 'carla', roles: ['compliance'] } })).body.token;
    const upload = await call<{ id: string }>(srv.baseUrl, 'POST', '/sboms', {
      token: compliance,
      rawBody: await readFile(new URL('../../fixtures/real-sboms/dropwizard/bom.json', import.meta.url)),
    });
    sbomId = upload.body.id;
    await waitFor(async () => ((await findSbom(srv.server.db, sbomId))?.status === 'evaluated' ? true : undefined), { what: 'SBOM evaluated' });
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) await screenshot(page, 'failed-release').catch(() => undefined);
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('shows the obligations on the SBOM page, grouped and cited, and creates a release from them', async () => {
    const context = await personContext(browser, srv.baseUrl);
    page = await context.newPage();
    await signIn(page, compliance, 'carla');
    await page.goto(`${srv.baseUrl}/#/sboms/${sbomId}`);
    const obligations = page.getByTestId('sbom-obligations');
    const attribution = obligations.getByRole('region', { name: 'Keep the copyright and attribution notices' });
    const apache = attribution.locator('tr[data-key="attribution:Apache-2.0"]');
    await apache.waitFor();
    expect(await apache.locator('td').nth(1).textContent()).toBe('Apache-2.0 §4(c), §4(d)');
    expect(await apache.locator('td').nth(3).textContent()).toContain('jackson');
    await screenshot(page, '20-sbom-obligations');

    await page.getByLabel('Product name').fill('widget');
    await page.getByLabel('Version').fill('3.1.0');
    await page.getByRole('button', { name: 'Create release' }).click();
    await page.getByRole('heading', { name: 'Release', exact: true }).waitFor();
    await page.getByTestId('release-status').getByText('open').waitFor();
  });

  it('works the checklist to cleared: NOTICE evidence, a URL, waivers with reasons, an error named when evidence is bad', async () => {
    if (!page) throw new Error('no page');
    const items = page.getByTestId('checklist').locator('li[data-key]');
    await items.first().waitFor();
    const count = await items.count();
    expect(count).toBeGreaterThan(2);

    const first = items.nth(0);
    await first.getByLabel('Evidence').selectOption('url');
    await first.getByLabel('URL or SHA-256').fill('not a url');
    await first.getByRole('button', { name: 'Mark fulfilled' }).click();
    await page.getByRole('alert').getByText(/evidence\.url/).waitFor();

    await first.getByLabel('Evidence').selectOption('notice');
    await first.getByRole('button', { name: 'Mark fulfilled' }).click();
    await items.nth(0).getByText(/The release NOTICE \(SHA-256 [0-9a-f]{64}\)/).waitFor();
    await screenshot(page, '21-release-checklist');

    const second = items.nth(1);
    await second.getByLabel('Evidence').selectOption('url');
    await second.getByLabel('URL or SHA-256').fill('https://example.com/widget/3.1.0/NOTICE');
    await second.getByRole('button', { name: 'Mark fulfilled' }).click();
    await items.nth(1).getByText('https://example.com/widget/3.1.0/NOTICE').waitFor();

    for (let index = 2; index < count; index += 1) {
      const item = items.nth(index);
      await item.getByLabel('Reason to waive').fill(`not shipped (${index})`);
      await item.getByRole('button', { name: 'Waive' }).click();
      await items.nth(index).getByText(`Waived: not shipped (${index})`).waitFor();
    }
    await page.getByTestId('release-status').getByText('cleared').waitFor();
    await page.getByText('Release widget 3.1.0 is cleared.').waitFor();
    expect(await page.getByRole('button', { name: 'Mark fulfilled' }).count()).toBe(0);
    await screenshot(page, '22-release-cleared');

    const releases = await call<{ items: Array<{ id: string }> }>(srv.baseUrl, 'GET', '/releases', { token: compliance });
    const id = releases.body.items[0]?.id ?? '';
    const events = await call<{ items: AuditEvent[] }>(srv.baseUrl, 'GET', `/audit/subjects/release/${id}`, { token: srv.adminToken });
    expect(events.body.items.map((event) => event.action)).toEqual(['release.created', ...Array.from({ length: count }, () => 'release.obligation_updated'), 'release.cleared']);

    await page.getByRole('link', { name: 'Releases', exact: true }).click();
    await page.getByTestId('releases').getByRole('link', { name: 'widget 3.1.0' }).waitFor();
    expect(await page.getByTestId('releases').getByText('0 of').textContent()).toBe(`0 of ${count}`);
  });
});
