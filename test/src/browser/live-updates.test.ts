import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, personContext, screenshot, signIn } from '../support/browser.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Live updates in real browsers, each person in their own context: what one
 * does appears on the others' open pages through the event stream, with no
 * reload (a marker set on each page before the change is still there after).
 */
describe('web UI: live updates across browsers (Chromium, Server-Sent Events)', () => {
  let github: FakeGitHub;
  let srv: TestServer;
  let browser: Browser;
  const tokens: Record<string, string> = {};
  const pages: Record<string, Page> = {};

  const open = async (user: string, hash: string): Promise<Page> => {
    const context = await personContext(browser, srv.baseUrl);
    const page = await context.newPage();
    await signIn(page, tokens[user] ?? '', user);
    await page.goto(`/#${hash}`);
    pages[user] = page;
    return page;
  };
  const notReloaded = async (page: Page): Promise<boolean> =>
    (await page.evaluate(() => (globalThis as unknown as { clearanceMarker?: string }).clearanceMarker)) === 'still here';
  const submit = async (title: string): Promise<string> => {
    const answer = await call<{ id: string }>(srv.baseUrl, 'POST', '/contributions', {
      token: tokens.erin,
      body: { tier: 'bug-fix', upstream: 'https://github.com/acme-oss/gadgets', title, justification: 'Users hit it', estimatedLinesChanged: 10 },
    });
    expect(answer.status).toBe(202);
    await waitFor(async () => (await call<{ status: string }>(srv.baseUrl, 'GET', `/contributions/${answer.body.id}`, { token: tokens.erin })).body.status === 'in-review', {
      what: `${title} in review`,
    });
    return answer.body.id;
  };

  beforeAll(async () => {
    browser = await launchChromium();
    github = await startFakeGitHub();
    github.addRepo({ owner: 'acme-oss', name: 'gadgets', license: 'MIT' });
    srv = await startTestServer({ GITHUB_API_URL: github.baseUrl, CLEARANCE_GITHUB_HOST: 'github.com' });
    for (const [user, roles] of Object.entries({ erin: ['requester'], mia: ['manager'], max: ['manager'] })) {
      tokens[user] = (await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user, roles } })).body.token;
    }
  });
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    for (const [user, page] of Object.entries(pages)) await screenshot(page, `live-failed-${user}`).catch(() => undefined);
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    await github?.close();
  });

  it("a new request appears in the reviewers' open queues, and an approval in one browser shows in the others without a reload", async () => {
    const first = await submit('Fix the gadget counter');
    const mia = await open('mia', '/reviews');
    const max = await open('max', '/reviews');
    const erin = await open('erin', `/requests/${first}`);
    await mia.getByTestId('review-queue').getByRole('link', { name: 'Fix the gadget counter' }).waitFor();
    await max.getByTestId('review-queue').getByRole('link', { name: 'Fix the gadget counter' }).waitFor();
    await erin.getByRole('heading', { name: 'Fix the gadget counter' }).waitFor();
    // A reload would clear this.
    for (const page of [mia, max, erin]) {
      await page.evaluate(() => {
        (globalThis as unknown as { clearanceMarker?: string }).clearanceMarker = 'still here';
      });
    }

    // Submitted elsewhere: both open queues show it.
    await submit('Fix the gadget timer');
    await mia.getByTestId('review-queue').getByRole('link', { name: 'Fix the gadget timer' }).waitFor();
    await max.getByTestId('review-queue').getByRole('link', { name: 'Fix the gadget timer' }).waitFor();

    // Mia approves the first in her browser (the same page, opened from her queue).
    await mia.getByTestId('review-queue').getByRole('link', { name: 'Fix the gadget counter' }).click();
    await mia.getByRole('heading', { name: 'Routing explanation' }).waitFor();
    await mia.getByLabel('Approve', { exact: true }).check();
    await mia.getByRole('button', { name: 'Record decision' }).click();
    await mia.locator('#main').getByText('Your decision (approve) is recorded.').waitFor();

    // Max's queue drops it (the OSPO's trust-ladder stage is next); Erin's request page shows Mia's approval.
    await max.getByTestId('review-queue').getByRole('link', { name: 'Fix the gadget counter' }).waitFor({ state: 'detached' });
    await max.getByTestId('review-queue').getByRole('link', { name: 'Fix the gadget timer' }).waitFor();
    await erin.getByTestId('request-timeline').getByText('approved stage 1 of revision 1').waitFor();
    await screenshot(erin, 'live-approved-without-reload');
    expect(await notReloaded(max)).toBe(true);
    expect(await notReloaded(erin)).toBe(true);
  });
});
