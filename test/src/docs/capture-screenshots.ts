/**
 * Regenerates the README's screenshots (docs/images/*.png): the real
 * all-in-one server on the local PostgreSQL and Redis (own schema and prefix,
 * dropped at the end), a local fake GitHub, requests seeded through the API
 * and decided by reviewers, then Debian's Chromium showing a manager's review
 * queue and the auditor's due-diligence report.
 *
 * `npm run build && npm run screenshots -w @clearance/test`
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, personContext, signIn } from '../support/browser.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';
import { repoRoot } from './markdown-docs.js';

const imagesDir = join(repoRoot, 'docs', 'images');

const people: Record<string, string[]> = {
  erin: ['requester'],
  omar: ['requester'],
  mia: ['manager'],
  oscar: ['ospo'],
  lee: ['legal'],
  sam: ['security'],
  audrey: ['auditor'],
};

const upstreams = [
  { owner: 'acme-oss', name: 'widgets', license: 'MIT' },
  { owner: 'octo-org', name: 'pager', license: 'BSD-3-Clause' },
  { owner: 'pixel-labs', name: 'imagekit', license: 'Apache-2.0' },
  { owner: 'gnu-tools', name: 'formatter', license: 'GPL-3.0-only' },
  { owner: 'cloudy', name: 'tsdb', license: 'AGPL-3.0-only' },
];

type Outcome = 'pending' | 'approve' | 'reject' | 'request-changes';

interface Seed {
  by: string;
  body: Record<string, unknown>;
  outcome: Outcome;
  reason?: string;
}

const upstreamRequest = (tier: string, repo: string, title: string, lines: number, pullRequest?: number): Record<string, unknown> => ({
  tier,
  upstream: `https://github.com/${repo}`,
  title,
  justification: 'Our product depends on it and the maintainers asked for the change.',
  estimatedLinesChanged: lines,
  links: pullRequest === undefined ? [] : [`https://github.com/${repo}/pull/${pullRequest}`],
});

const seeds: Seed[] = [
  { by: 'omar', body: upstreamRequest('bug-fix', 'octo-org/pager', 'Fix the off-by-one in the page count', 12, 3), outcome: 'approve' },
  {
    by: 'omar',
    body: {
      tier: 'new-project',
      project: { name: 'build-cache-client', outboundLicense: 'Apache-2.0', owningTeam: 'developer-tools', maintenanceCommitment: 'Two engineers for two years' },
      title: 'Release the build cache client',
      justification: 'Customers ask for a supported client; nothing in it is core IP.',
      estimatedLinesChanged: 4_000,
    },
    outcome: 'approve',
  },
  { by: 'erin', body: upstreamRequest('enhancement', 'acme-oss/widgets', 'Expose download progress events', 90), outcome: 'reject', reason: 'The maintainers prefer a plugin: contribute it there instead.' },
  { by: 'omar', body: upstreamRequest('bug-fix', 'pixel-labs/imagekit', 'Handle truncated PNG headers', 30), outcome: 'request-changes', reason: 'Split the refactoring from the fix.' },
  { by: 'erin', body: upstreamRequest('enhancement', 'cloudy/tsdb', 'Faster compaction for small series', 200), outcome: 'pending' },
  { by: 'erin', body: upstreamRequest('enhancement', 'acme-oss/widgets', 'Retry failed widget downloads', 150, 42), outcome: 'pending' },
  { by: 'omar', body: upstreamRequest('new-feature', 'pixel-labs/imagekit', 'Add AVIF decoding', 400, 7), outcome: 'pending' },
  { by: 'erin', body: upstreamRequest('new-feature', 'octo-org/pager', 'Keyboard shortcuts for paging', 260), outcome: 'pending' },
  { by: 'omar', body: upstreamRequest('enhancement', 'gnu-tools/formatter', 'Configurable line width', 80), outcome: 'pending' },
];

interface Request {
  id: string;
  status: string;
  currentStage: number | null;
  stages: { roles: string[] }[];
}

async function seed(srv: TestServer, tokens: Record<string, string>): Promise<void> {
  const tokenOf = (user: string): string => {
    const token = tokens[user];
    if (token === undefined) throw new Error(`no token for ${user}`);
    return token;
  };
  const reviewerFor = (roles: readonly string[]): string => {
    const user = Object.keys(people).find((name) => people[name]?.some((role) => roles.includes(role)));
    if (user === undefined) throw new Error(`nobody holds ${roles.join(', ')}`);
    return user;
  };
  const routed = (id: string, by: string): Promise<Request> =>
    waitFor(
      async () => {
        const { body } = await call<Request>(srv.baseUrl, 'GET', `/contributions/${id}`, { token: tokenOf(by) });
        return body.status === 'submitted' || body.status === 'enriching' ? undefined : body;
      },
      { what: `request ${id} to be routed` },
    );
  for (const { by, body, outcome, reason } of seeds) {
    const submitted = await call<Request>(srv.baseUrl, 'POST', '/contributions', { token: tokenOf(by), body });
    if (submitted.status !== 202) throw new Error(`submitting "${String(body.title)}" answered ${submitted.status}: ${JSON.stringify(submitted.body)}`);
    let request = await routed(submitted.body.id, by);
    if (outcome === 'pending') continue;
    // Approve stage by stage; a rejection or change request is the first stage's reviewer's.
    while (request.status === 'in-review' && request.currentStage !== null) {
      const stage = request.stages[request.currentStage];
      if (stage === undefined) throw new Error(`request ${request.id} has no stage ${request.currentStage}`);
      const decision = { decision: outcome, stageIndex: request.currentStage, ...(reason === undefined ? {} : { reason }) };
      const decided = await call<Request>(srv.baseUrl, 'POST', `/contributions/${request.id}/decisions`, { token: tokenOf(reviewerFor(stage.roles)), body: decision });
      if (decided.status !== 201) throw new Error(`deciding ${request.id} answered ${decided.status}: ${JSON.stringify(decided.body)}`);
      request = (await call<Request>(srv.baseUrl, 'GET', `/contributions/${request.id}`, { token: tokenOf(by) })).body;
    }
  }
}

async function open(browser: Browser, srv: TestServer, token: string, user: string): Promise<Page> {
  const page = await (await personContext(browser, srv.baseUrl)).newPage();
  await signIn(page, token, user);
  return page;
}

async function main(): Promise<void> {
  let github: FakeGitHub | undefined;
  let srv: TestServer | undefined;
  let browser: Browser | undefined;
  const dataDir = await mkdtemp(join(tmpdir(), 'clearance-screenshots-'));
  try {
    github = await startFakeGitHub();
    for (const repo of upstreams) github.addRepo(repo);
    github.addPullRequest('acme-oss', 'widgets', { number: 42, additions: 120, deletions: 30, changedFiles: 4 });
    github.addPullRequest('octo-org', 'pager', { number: 3, additions: 9, deletions: 3, changedFiles: 1 });
    github.addPullRequest('pixel-labs', 'imagekit', { number: 7, additions: 380, deletions: 20, changedFiles: 9 });
    srv = await startTestServer({ GITHUB_API_URL: github.baseUrl, CLEARANCE_GITHUB_HOST: 'github.com', CLEARANCE_DATA_DIR: dataDir });
    const tokens: Record<string, string> = {};
    for (const [user, roles] of Object.entries(people)) {
      const created = await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user, roles } });
      tokens[user] = created.body.token;
    }
    await seed(srv, tokens);

    browser = await launchChromium();
    await mkdir(imagesDir, { recursive: true });

    const mia = await open(browser, srv, tokens.mia ?? '', 'mia');
    const queue = mia.getByTestId('review-queue');
    await queue.getByRole('link', { name: 'Retry failed widget downloads' }).waitFor();
    await queue.getByRole('link', { name: 'Add AVIF decoding' }).waitFor();
    // The queue is short: a laptop-wide picture without the empty half below it.
    await mia.setViewportSize({ width: 1366, height: 420 });
    await mia.screenshot({ path: join(imagesDir, 'review-queue.png') });

    const audrey = await open(browser, srv, tokens.audrey ?? '', 'audrey');
    await audrey.getByRole('heading', { name: 'Audit', exact: true }).waitFor();
    const popup = audrey.context().waitForEvent('page');
    await audrey.getByRole('button', { name: 'Open the due-diligence report' }).click();
    const report = await popup;
    // The contributions section: its charts by outcome, by tier and by upstream.
    const section = report.locator('section[aria-labelledby="contributions"]');
    await section.locator('#chart-tier-title').waitFor({ state: 'attached' });
    await section.screenshot({ path: join(imagesDir, 'report-chart.png') });
    process.stdout.write(`wrote ${join(imagesDir, 'review-queue.png')} and ${join(imagesDir, 'report-chart.png')}\n`);
  } finally {
    await browser?.close();
    await srv?.close();
    await github?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
