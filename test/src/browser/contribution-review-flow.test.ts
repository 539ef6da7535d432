import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, personContext, screenshot, signIn } from '../support/browser.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';

const upstream = 'https://github.com/acme-oss/widgets';
const title = 'Retry failed widget downloads';
const rejection = 'The OSPO needs the maintainers to confirm they accept retry logic: link their answer & resubmit. <b>not bold</b>';

/**
 * The outbound-contribution story in a real browser against the real
 * all-in-one server: an engineer submits an enhancement to an upstream the
 * company never contributed to (manager sign-off, then the OSPO's trust-ladder
 * stage), the OSPO says no with a reason, the engineer reads it and
 * resubmits, a manager and the OSPO approve, and an auditor finds all of it
 * and verifies the chain. Each person has their own browser context.
 */
describe('web UI: contribution request, review, resubmission and audit (Chromium)', () => {
  let github: FakeGitHub;
  let srv: TestServer;
  let browser: Browser;
  let dataDir: string;
  const tokens: Record<string, string> = {};
  const pages: Record<string, Page> = {};

  const open = async (user: string): Promise<Page> => {
    const context = await personContext(browser, srv.baseUrl);
    const page = await context.newPage();
    const token = tokens[user];
    if (!token) throw new Error(`no token for ${user}`);
    await signIn(page, token, user);
    pages[user] = page;
    return page;
  };

  beforeAll(async () => {
    browser = await launchChromium();
    github = await startFakeGitHub();
    github.addRepo({ owner: 'acme-oss', name: 'widgets', license: 'MIT' });
    github.addPullRequest('acme-oss', 'widgets', { number: 42, additions: 120, deletions: 30, changedFiles: 4 });
    // Its own data folder: the signing key and the checkpoint files outside the database are this server's alone.
    dataDir = await mkdtemp(join(tmpdir(), 'clearance-browser-'));
    srv = await startTestServer({ GITHUB_API_URL: github.baseUrl, CLEARANCE_GITHUB_HOST: 'github.com', CLEARANCE_DATA_DIR: dataDir });
    const people: Record<string, string[]> = { erin: ['requester'], mia: ['manager'], oscar: ['ospo'], audrey: ['auditor'] };
    for (const [user, roles] of Object.entries(people)) {
      const created = await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user, roles } });
      tokens[user] = created.body.token;
    }
    tokens.admin = srv.adminToken;
  });
  // A failed step leaves a picture of every open page, to see what the person saw.
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    for (const [user, page] of Object.entries(pages)) await screenshot(page, `failed-${user}`).catch(() => undefined);
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    await github?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('a requester submits through the form; the API\'s messages appear next to the fields first', async () => {
    const context = await personContext(browser, srv.baseUrl);
    const erin = await context.newPage();
    await erin.goto('/');
    await erin.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(erin, '01-sign-in');
    await signIn(erin, tokens.erin ?? '', 'erin');
    pages.erin = erin;
    expect(await erin.getByTestId('who').textContent()).toContain('requester');

    await erin.getByRole('link', { name: 'New request' }).click();
    await erin.getByLabel(/^Enhancement/).check();
    await erin.getByLabel('Upstream repository URL').fill('not a url');
    await erin.getByRole('button', { name: 'Submit request' }).click();
    // Each message sits in the field's own error slot, tied to it by aria-describedby.
    await erin.locator('.field.has-error', { has: erin.getByLabel('Title', { exact: true }) }).getByText('Title must not be empty').waitFor();
    expect(await erin.getByLabel('Title', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await erin.locator('.field.has-error', { has: erin.getByLabel('Estimated lines changed') }).getByText('Estimated lines changed is required').waitFor();
    await erin.locator('.field.has-error', { has: erin.getByLabel('Upstream repository URL') }).locator('.field-error').waitFor();
    await screenshot(erin, '02-request-form-errors');

    await erin.getByLabel('Upstream repository URL').fill(upstream);
    await erin.getByLabel('Title', { exact: true }).fill(title);
    await erin.getByLabel('Justification', { exact: true }).fill('Downloads fail on flaky networks; customers asked for retries.');
    await erin.getByLabel('Links (one per line)').fill(`${upstream}/pull/42`);
    await erin.getByLabel('Estimated lines changed').fill('150');
    await erin.getByRole('button', { name: 'Submit request' }).click();
    await erin.getByRole('heading', { name: title }).waitFor();
    // The worker reads GitHub and routes it: manager first, then the OSPO's first-contribution stage.
    await erin.locator('.stages').getByText('Manager sign-off').waitFor();
    await erin.locator('.stages').getByText(/First contribution to/).waitFor();
    await erin.getByText('trust-ladder', { exact: false }).first().waitFor();
    await screenshot(erin, '03-request-in-review');
  });

  it('the OSPO queue updates live when the manager approves; the OSPO rejects with a reason', async () => {
    const oscar = await open('oscar');
    await oscar.getByRole('heading', { name: 'Review queue' }).waitFor();
    await oscar.getByText('Nothing is waiting for your roles.').waitFor();

    const mia = await open('mia');
    await mia.getByTestId('review-queue').getByRole('link', { name: title }).waitFor();
    await screenshot(mia, '04-review-queue');
    await mia.getByTestId('review-queue').getByRole('link', { name: title }).click();
    await mia.getByRole('heading', { name: 'Routing explanation' }).waitFor();
    // No decision is chosen for the reviewer: recording one without a choice asks for it.
    const decisionForm = mia.getByRole('form', { name: 'Your decision' });
    expect(await decisionForm.getByRole('radio').count()).toBe(3);
    expect(await decisionForm.getByRole('radio', { checked: true }).count()).toBe(0);
    await mia.getByRole('button', { name: 'Record decision' }).click();
    await decisionForm.getByText('Choose a decision: approve, reject or request changes.').waitFor();
    await mia.getByLabel('Approve', { exact: true }).check();
    await mia.getByRole('button', { name: 'Record decision' }).click();
    await mia.locator('#main').getByText('Your decision (approve) is recorded.').waitFor();

    // No reload: oscar's open queue page polls and shows the request once stage 2 starts.
    await oscar.getByTestId('review-queue').getByRole('link', { name: title }).waitFor();
    await oscar.getByTestId('review-queue').getByRole('link', { name: title }).click();
    await oscar.getByTestId('decisions').getByText('mia').waitFor();
    await oscar.getByLabel('Reject', { exact: true }).check();
    await oscar.getByRole('button', { name: 'Record decision' }).click();
    await oscar.getByText('A rejection needs a reason: the requester reads it.').waitFor();
    await oscar.getByLabel('Reason').fill(rejection);
    await screenshot(oscar, '05-review-detail');
    await oscar.getByRole('button', { name: 'Record decision' }).click();
    await oscar.locator('#main').getByText('Your decision (reject) is recorded.').waitFor();
  });

  it('the requester sees the "no" and its reason, and resubmits', async () => {
    const erin = pages.erin;
    if (!erin) throw new Error('erin has no page');
    // Erin's request page is still open: it polls until the request is decided.
    const outcome = erin.getByTestId('outcome');
    await outcome.getByText('Rejected by oscar').waitFor();
    // The reason is text: the <b> stays literal, nothing from the request is parsed as HTML.
    expect(await outcome.locator('blockquote').textContent()).toBe(rejection);
    expect(await outcome.locator('b').count()).toBe(0);
    await screenshot(erin, '06-request-rejected');

    await erin.getByRole('link', { name: 'Resubmit' }).click();
    await erin.getByRole('heading', { name: `Resubmit: ${title}` }).waitFor();
    expect(await erin.getByLabel('Upstream repository URL').inputValue()).toBe(upstream);
    await erin.getByLabel('Justification', { exact: true }).fill('Downloads fail on flaky networks. The maintainers agreed in acme-oss/widgets#41.');
    await erin.getByRole('button', { name: 'Resubmit as a new revision' }).click();
    await erin.getByText('revision 2').first().waitFor();
    await erin.locator('.stages').getByText('Manager sign-off').waitFor();
    // The old "no" stays visible in the new revision's timeline.
    await erin.getByTestId('request-timeline').getByText(rejection).waitFor();
  });

  it('a manager and the OSPO approve revision 2, and the requester sees it approved', async () => {
    const mia = pages.mia;
    const oscar = pages.oscar;
    const erin = pages.erin;
    if (!mia || !oscar || !erin) throw new Error('pages missing');
    for (const reviewer of [mia, oscar]) {
      await reviewer.goto('/#/reviews');
      const link = reviewer.getByTestId('review-queue').getByRole('link', { name: title });
      await link.waitFor();
      await link.click();
      await reviewer.getByLabel('Approve', { exact: true }).check();
      await reviewer.getByRole('button', { name: 'Record decision' }).click();
      await reviewer.locator('#main').getByText('Your decision (approve) is recorded.').waitFor();
    }
    await erin.getByTestId('outcome').getByText('Approved.').waitFor();
    await erin.goto('/#/requests');
    await erin.getByTestId('my-requests').getByText('approved').waitFor();
    await screenshot(erin, '07-my-requests');
  });

  it('the auditor finds the whole story, reads its timeline, verifies the chain, exports and opens the report', async () => {
    const audrey = await open('audrey');
    await audrey.getByRole('heading', { name: 'Audit', exact: true }).waitFor();
    await audrey.getByRole('button', { name: 'Verify the audit chain' }).click();
    await audrey.getByTestId('verify-result').getByText('Intact: the audit log verifies.').waitFor();

    await audrey.getByLabel('Upstream', { exact: true }).fill('acme-oss/widgets');
    await audrey.getByRole('button', { name: 'Search' }).click();
    const results = audrey.getByTestId('audit-results');
    await results.getByText(rejection).first().waitFor();
    expect(await results.getByText('contribution.submitted', { exact: true }).count()).toBe(2);
    expect(await results.getByText('contribution.decided', { exact: true }).count()).toBe(4);
    await screenshot(audrey, '08-audit');

    await results.getByRole('link').first().click();
    const timeline = audrey.getByTestId('timeline');
    await timeline.getByText('contribution.submitted', { exact: true }).waitFor();
    await timeline.getByText(rejection).first().waitFor();
    await screenshot(audrey, '09-audit-timeline');

    await audrey.goto('/#/audit');
    const download = audrey.waitForEvent('download');
    await audrey.getByRole('button', { name: 'Download dossier (.tar.gz)' }).click();
    const file = await (await download).path();
    expect((await readFile(file)).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

    const popup = audrey.context().waitForEvent('page');
    await audrey.getByRole('button', { name: 'Open the due-diligence report' }).click();
    const report = await popup;
    await report.locator('svg').first().waitFor();
    await report.getByText(rejection).first().waitFor();
    await screenshot(report, '10-audit-report');
  });

  it('an admin opens the queue dashboard through the session cookie; without it the dashboard refuses', async () => {
    const anonymous = await (await personContext(browser, srv.baseUrl)).newPage();
    const refused = await anonymous.goto('/admin/queues');
    expect(refused?.status()).toBe(401);

    const admin = await open('admin');
    const popup = admin.context().waitForEvent('page');
    await admin.getByRole('button', { name: 'Queue dashboard' }).click();
    const dashboard = await popup;
    await dashboard.getByText('contribution.enrich', { exact: false }).first().waitFor();
    await dashboard.getByText('Loading...').waitFor({ state: 'hidden' });
    const cookies = await admin.context().cookies();
    expect(cookies.find((cookie) => cookie.name === 'clearance_ui_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin/queues' });
    await screenshot(dashboard, '11-queue-dashboard');
  });
});
