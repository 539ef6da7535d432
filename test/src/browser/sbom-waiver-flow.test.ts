import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, personContext, screenshot, signIn } from '../support/browser.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';

const juiceShop = fileURLToPath(new URL('../../fixtures/real-sboms/juice-shop/bom.1.4.json', import.meta.url));

/**
 * The inbound-license story in a real browser: a compliance engineer uploads
 * the juice-shop SBOM (1000+ components), watches it being evaluated, works
 * the findings (filter, search, sort, pages) and grants a waiver from a
 * finding, after which the re-evaluated finding names the waiver.
 */
describe('web UI: SBOM upload, findings and a waiver (Chromium)', () => {
  let srv: TestServer;
  let browser: Browser;
  let dataDir: string;
  let page: Page | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
    dataDir = await mkdtemp(join(tmpdir(), 'clearance-browser-'));
    srv = await startTestServer({ CLEARANCE_DATA_DIR: dataDir });
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) await screenshot(page, 'failed-carla').catch(() => undefined);
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('uploads with a progress bar and follows the status to the verdict', async () => {
    const created = await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user: 'carla', roles: ['compliance'] } });
    const context = await personContext(browser, srv.baseUrl);
    page = await context.newPage();
    await signIn(page, created.body.token, 'carla');
    await page.getByRole('heading', { name: 'SBOMs', exact: true }).waitFor();
    await page.getByLabel('SBOM file').setInputFiles(juiceShop);
    await screenshot(page, '12-sboms');
    expect(await page.locator('#upload-progress').isVisible()).toBe(false);
    // The bar is gone once the page moves on to the SBOM, so the test records what it showed.
    await page.evaluate(`(() => {
      const bar = document.getElementById('upload-progress');
      window.seenProgress = [];
      new MutationObserver(() => window.seenProgress.push(Number(bar.value))).observe(bar, { attributes: true, attributeFilter: ['value'] });
    })()`);
    await page.getByRole('button', { name: 'Upload and evaluate' }).click();
    await page.getByRole('heading', { name: 'SBOM', exact: true }).waitFor();
    const seen = await page.evaluate<number[]>('window.seenProgress');
    expect(seen.at(-1)).toBe(100);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    await page.getByTestId('sbom-status').getByText('Verdict:').waitFor({ timeout: 60_000 });
    const rows = page.getByTestId('findings').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(100);
    // Deny first by default: the one denied component heads the list, then those that need review.
    expect(await rows.nth(0).getAttribute('data-verdict')).toBe('deny');
    expect(await rows.nth(1).getAttribute('data-verdict')).toBe('review');
    await page.getByText(/^Rows 1–100 of 1,\d{3}$/).waitFor();
    // What a laptop screen shows: the status and the first findings (the full page is 100 rows long).
    await screenshot(page, '13-sbom-findings', { fullPage: false });
  });

  it('filters, searches, sorts and pages through the findings on the server', async () => {
    if (!page) throw new Error('no page');
    const rows = page.getByTestId('findings').locator('tbody tr');
    await page.getByRole('button', { name: 'Next page →' }).click();
    await page.getByText(/^Rows 101–200 of/).waitFor();
    await page.getByRole('button', { name: '← Previous page' }).click();
    await page.getByText(/^Rows 1–100 of/).waitFor();

    await page.getByLabel('Sort by').selectOption('severity');
    await page.getByLabel('Verdict', { exact: true }).selectOption('review');
    await page.getByText(/^Rows 1–\d+ of \d+$/).waitFor();
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await page.getByTestId('findings').locator('tbody tr:not([data-verdict="review"])').count()).toBe(0);

    await page.getByLabel('Verdict', { exact: true }).selectOption('');
    await page.getByLabel('Search').fill('express');
    // A search has no known total: the range shows the rows only.
    await page.getByText(/^Rows 1–\d+$/).waitFor();
    const components = await rows.locator('td:nth-child(2)').allTextContents();
    expect(components.length).toBeGreaterThan(0);
    for (const text of components) expect(text.toLowerCase()).toContain('express');
    await page.getByLabel('Search').fill('');
    await page.getByText(/^Rows 1–100 of 1,\d{3}$/).waitFor();
  });

  it('grants a waiver from a finding; the new evaluation shows the finding decided by it', async () => {
    if (!page) throw new Error('no page');
    const row = page.getByTestId('findings').locator('tbody tr[data-verdict="review"]').first();
    const name = (await row.locator('td:nth-child(2) strong').textContent()) ?? '';
    // The accessible name starts with the visible text, so "click Grant waiver" (speech input) finds it.
    expect(await row.getByRole('button', { name: 'Grant waiver' }).textContent()).toBe('Grant waiver');
    await row.getByRole('button', { name: `Grant waiver for ${name}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: /^Grant a waiver for/ }).waitFor();
    // Submitting without a justification shows the API's message next to the field.
    await dialog.getByRole('button', { name: 'Grant waiver' }).click();
    await dialog.locator('.field.has-error', { has: page.getByLabel('Justification') }).getByText('a justification is required').waitFor();
    await dialog.getByLabel('Justification').fill('Legal reviewed this package on 2026-11-01; its license is acceptable for internal tooling.');
    // The dialog is fixed on screen: a viewport picture shows it as people see it.
    await screenshot(page, '14-waiver-dialog', { fullPage: false });
    await dialog.getByRole('button', { name: 'Grant waiver' }).click();
    await page.locator('#main').getByText(/^Waiver wvr_[0-9a-f]{16} granted for/).waitFor();

    // The page asked for a new evaluation; once it is done, the finding is decided by the waiver.
    await page.getByLabel('Verdict', { exact: true }).selectOption('');
    await page.getByLabel('Search').fill(name);
    const waived = page.getByTestId('findings').locator('tbody tr', { hasText: name }).first();
    await waived.getByText(/^Waiver wvr_/).waitFor({ timeout: 60_000 });
    await screenshot(page, '15-sbom-waived');
  });
});
