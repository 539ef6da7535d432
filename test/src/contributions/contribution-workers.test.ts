import { listAuditEvents } from '@clearance/db';
import { loadDefaultPolicy } from '@clearance/policy';
import { createRedis, jobIdOf, QueueRegistry } from '@clearance/queue';
import {
  enrichAndRouteContribution,
  escalateOverdueContributionStage,
  overdueNoticeFor,
  postNotice,
  sweepContributionDrift,
  actOnContributionDecision,
  type ContributionServiceDeps,
} from '@clearance/services';
import { createContributionGitHub } from '@clearance/workers';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWebhook, type FakeWebhook } from '../support/fake-webhook.js';
import { testRedisUrl } from '../support/test-redis.js';
import { waitFor } from '../support/wait-for.js';
import {
  actionsOf,
  api,
  decide,
  routed,
  startContributionWorld,
  submit,
  upstreamRequest,
  type ContributionBody,
  type ContributionWorld,
} from './contribution-harness.js';

/** An ISO 8601 UTC timestamp as the API writes it, as milliseconds; anything else fails the test. */
const instantOf = (value: string | null | undefined): number => {
  expect(value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  return Date.parse(value ?? '');
};

/** The contribution jobs against the real stack, with GitHub played by the fake. */
describe('contribution workers: enrich, SLA, after-decision, drift', () => {
  let world: ContributionWorld;
  let deps: ContributionServiceDeps;
  let producer: Redis;
  let queues: QueueRegistry;
  let webhook: FakeWebhook;

  const noticesFor = (requestId: string): Array<Record<string, unknown>> => webhook.received.filter((body) => body.requestId === requestId);
  const get = async (id: string): Promise<ContributionBody> => (await api(world, 'audrey', 'GET', `/contributions/${id}`)).body;
  const github = () => createContributionGitHub({ apiUrl: world.github.baseUrl, token: null, host: 'github.com' });

  /** Runs a delayed job now, as if its time had come, on the real workers. */
  const promoteAndWait = async (name: 'contribution.sla', payload: { requestId: string; stageIndex: number }): Promise<void> => {
    const job = await queues.get(name).getJob(jobIdOf(name, payload));
    if (job === undefined) throw new Error(`no job for ${JSON.stringify(payload)}`);
    expect(await job.getState()).toBe('delayed');
    await job.promote();
    await waitFor(async () => (await job.getState()) === 'completed', { what: `${name} to complete` });
  };

  beforeAll(async () => {
    webhook = await startFakeWebhook();
    world = await startContributionWorld({ CLEARANCE_NOTIFY_WEBHOOK_URL: webhook.url });
    const loaded = await loadDefaultPolicy();
    deps = { db: world.srv.server.db, policy: { version: loaded.version, licenses: loaded.licenses, contributions: loaded.contributions, obligations: loaded.obligations } };
    producer = createRedis({ url: testRedisUrl, prefix: world.srv.redisPrefix }, 'producer');
    queues = new QueueRegistry(producer, world.srv.redisPrefix);
    world.github.addRepo({ owner: 'octo-org', name: 'widget', license: 'MIT' });
    world.github.addPullRequest('octo-org', 'widget', { number: 1, additions: 30, deletions: 5, changedFiles: 2 });
    world.github.addPullRequest('octo-org', 'widget', { number: 2, additions: 10, deletions: 0, changedFiles: 1 });
    world.github.addPullRequest('octo-org', 'widget', { number: 4, additions: 9, deletions: 1, changedFiles: 1 });
    world.github.addPullRequest('octo-org', 'widget', { number: 5, additions: 8, deletions: 2, changedFiles: 1 });
  });
  afterAll(async () => {
    await queues.close();
    producer.disconnect();
    await world.close();
    await webhook.close();
  });

  it('enrich retries a 502 from GitHub with backoff, then routes with what GitHub said', async () => {
    world.github.addRepo({ owner: 'octo-org', name: 'flaky', license: 'Apache-2.0' });
    world.github.failNext({ status: 502, times: 2, path: '/repos/octo-org/flaky' });
    const request = await submit(world, 'erin', upstreamRequest({ upstream: 'https://github.com/octo-org/flaky' }));
    const result = await routed(world, request.id);
    expect(result.status).toBe('in-review');
    expect(result.enrichment?.upstream).toMatchObject({ exists: true, license: 'Apache-2.0' });
    expect(world.github.requests.filter((entry) => entry.path === '/repos/octo-org/flaky')).toHaveLength(3);
    expect(await actionsOf(world.srv.server.db, request.id)).not.toContain('contribution.enrichment-failed');
  });

  it('enrich turns a 404 upstream into a finding that routing sees: a clear "no"', async () => {
    const request = await submit(world, 'erin', upstreamRequest({ upstream: 'https://github.com/octo-org/missing' }));
    const result = await routed(world, request.id);
    expect(result).toMatchObject({ status: 'auto-rejected', autoOutcome: { rule: 'deny.not-found' } });
    expect(result.enrichment?.upstream).toMatchObject({ exists: false });
    expect(result.enrichment?.findings.join(' ')).toContain('404');
    expect(result.plan?.explanation.map((entry) => entry.rule)).toEqual(expect.arrayContaining(['enrichment-finding', 'deny.not-found']));
  });

  it('enrich records what GitHub refused for good and routes to a person who checks by hand', async () => {
    world.github.addRepo({ owner: 'octo-org', name: 'locked', license: 'MIT' });
    world.github.failNext({ status: 403, path: '/repos/octo-org/locked' });
    const request = await submit(world, 'erin', upstreamRequest({ upstream: 'https://github.com/octo-org/locked' }));
    const result = await routed(world, request.id);
    expect(result.status).toBe('in-review');
    expect(result.enrichment?.upstream).toBeNull();
    // The OSPO stage checks by hand (here the trust ladder's stage already covers it).
    expect(result.plan?.explanation.map((entry) => entry.rule)).toContain('missing-enrichment');
    expect(result.stages.some((stage) => stage.roles.includes('ospo'))).toBe(true);
    expect(await actionsOf(world.srv.server.db, request.id)).toContain('contribution.enrichment-failed');
  });

  it('on its last try, enrich routes despite a GitHub that keeps failing, instead of leaving the request waiting', async () => {
    world.github.addRepo({ owner: 'octo-org', name: 'down', license: 'MIT' });
    world.github.failNext({ status: 503, times: 1_000, path: /^\/repos\/octo-org\/down/ });
    const request = await submit(world, 'erin', upstreamRequest({ upstream: 'https://github.com/octo-org/down' }));
    // The worker keeps retrying; the last attempt is played here with the same service.
    await waitFor(() => world.github.requests.some((entry) => entry.path === '/repos/octo-org/down'), { what: 'a first attempt' });
    const outcome = await enrichAndRouteContribution(deps, { requestId: request.id, github: github(), finalAttempt: true });
    expect(outcome).toEqual({ kind: 'routed', status: 'in-review' });
    const result = await get(request.id);
    // The OSPO stage checks by hand (here the trust ladder's stage already covers it).
    expect(result.plan?.explanation.map((entry) => entry.rule)).toContain('missing-enrichment');
    expect(result.stages.some((stage) => stage.roles.includes('ospo'))).toBe(true);
    expect(result.enrichment?.findings.join(' ')).toContain('did not answer');
    // A retry that comes later finds the request routed and leaves it alone.
    expect(await enrichAndRouteContribution(deps, { requestId: request.id, github: github(), finalAttempt: true })).toEqual({ kind: 'skipped', status: 'in-review' });
  });

  it('the SLA job escalates an overdue stage when its time comes, once', async () => {
    const request = await submit(world, 'erin', upstreamRequest({ tier: 'enhancement', links: ['https://github.com/octo-org/widget/pull/1'] }));
    const before = await routed(world, request.id);
    const stage = before.stages[0];
    // Due after the stage started (two working days for the manager's stage of an enhancement).
    expect(instantOf(stage?.dueAt)).toBeGreaterThan(instantOf(stage?.startedAt));
    // Before the due time the job does nothing.
    expect(await escalateOverdueContributionStage(deps, { requestId: request.id, stageIndex: 0, now: new Date(Date.parse(stage?.dueAt ?? '') - 60_000) })).toBe('not-due');

    // Time passes (moved in the database, as the clock would) and the delayed job runs on the real worker.
    await world.srv.server.db.query("UPDATE contribution_stages SET due_at = now() - interval '1 minute' WHERE request_id = $1 AND idx = 0", [request.id]);
    await promoteAndWait('contribution.sla', { requestId: request.id, stageIndex: 0 });
    const after = await get(request.id);
    expect(after.stages[0]).toMatchObject({ status: 'pending', escalatedRoles: ['ospo'], overdue: true });
    // Escalated after the (moved) due time, and not in the future.
    expect(instantOf(after.stages[0]?.escalatedAt)).toBeGreaterThanOrEqual(instantOf(after.stages[0]?.dueAt));
    expect(instantOf(after.stages[0]?.escalatedAt)).toBeLessThanOrEqual(Date.now());
    expect(await escalateOverdueContributionStage(deps, { requestId: request.id, stageIndex: 0 })).toBe('already-escalated');
    const escalations = await listAuditEvents(world.srv.server.db, { subjectId: request.id, action: 'contribution.stage-escalated' }, 10);
    expect(escalations).toHaveLength(1);
    expect(escalations[0]?.payload).toMatchObject({ stage: 0, escalatedTo: ['ospo'] });

    // The notification webhook hears of it once, with who may decide now.
    const [notice, ...more] = await waitFor(() => noticesFor(request.id).length > 0 && noticesFor(request.id), { what: 'the overdue notice' });
    expect(more).toEqual([]);
    expect(notice).toMatchObject({
      event: 'contribution.stage-overdue',
      requester: 'erin',
      tier: 'enhancement',
      stage: 0,
      roles: ['manager'],
      escalatedTo: ['ospo'],
      text: expect.stringMatching(new RegExp(`^Overdue: contribution request ${request.id} .*ospo may now decide it too\\.$`)),
    });

    // Now the OSPO may decide the manager's overdue stage too, and sees it in its queue.
    const queue = await api<{ items: Array<{ id: string; overdue: boolean }> }>(world, 'otto', 'GET', '/reviews?limit=200');
    expect(queue.body.items.find((item) => item.id === request.id)).toMatchObject({ overdue: true });
    const byOspo = await decide(world, 'otto', request.id, { decision: 'approve', stageIndex: 0 });
    expect(byOspo.body.decision).toMatchObject({ stageIndex: 0 });
    expect(byOspo.body.request.decisions[0]?.asRoles).toEqual(['ospo']);
  });

  it('the SLA job does nothing for a stage decided before its due time', async () => {
    const request = await submit(world, 'erin', upstreamRequest({ tier: 'enhancement', title: 'Decided in time' }));
    await routed(world, request.id);
    await decide(world, 'mona', request.id, { decision: 'approve', stageIndex: 0 });
    await promoteAndWait('contribution.sla', { requestId: request.id, stageIndex: 0 });
    const after = await get(request.id);
    expect(after.stages[0]).toMatchObject({ status: 'approved', escalatedAt: null, escalatedRoles: [] });
    expect(await escalateOverdueContributionStage(deps, { requestId: request.id, stageIndex: 0, now: new Date(Date.now() + 365 * 86_400_000) })).toBe('stage-not-current');
    expect(await actionsOf(world.srv.server.db, request.id)).not.toContain('contribution.stage-escalated');
    // A notice that arrives after the stage was decided is not sent.
    expect(await overdueNoticeFor(world.srv.server.db, { requestId: request.id, stageIndex: 0 })).toBeNull();
    expect(noticesFor(request.id)).toEqual([]);
  });

  it('an overdue notice keeps request text inert for chat markup, and a webhook that refuses is an error (so the job retries)', async () => {
    const request = await submit(world, 'erin', upstreamRequest({ tier: 'enhancement', title: 'Fix <!channel> & <https://evil.example|click>' }));
    await routed(world, request.id);
    await world.srv.server.db.query("UPDATE contribution_stages SET due_at = now() - interval '1 minute' WHERE request_id = $1 AND idx = 0", [request.id]);
    const notice = await overdueNoticeFor(world.srv.server.db, { requestId: request.id, stageIndex: 0 });
    if (notice === null) throw new Error('no notice for an overdue stage');
    expect(notice.text).toContain('"Fix &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;"');
    expect(notice.title).toBe('Fix <!channel> & <https://evil.example|click>');

    webhook.failNext(503);
    const refused = postNotice(webhook.url, notice);
    await expect(refused).rejects.toThrow('the notification webhook answered 503');
    await expect(refused).rejects.not.toThrow(webhook.url);
    const before = webhook.received.length;
    await postNotice(webhook.url, notice);
    expect(webhook.received.slice(before)).toEqual([JSON.parse(JSON.stringify(notice))]);
  });

  it('after a decision: comments on the approved PR once, and keeps a "no" off the public upstream', async () => {
    const approved = await submit(world, 'omar', upstreamRequest({ tier: 'enhancement', links: ['https://github.com/octo-org/widget/pull/2'] }));
    await routed(world, approved.id);
    await decide(world, 'mona', approved.id, { decision: 'approve' });
    await decide(world, 'olga', approved.id, { decision: 'approve' });
    const comment = await waitFor(() => world.github.comments.find((entry) => entry.number === 2), { what: 'the comment' });
    expect(comment.body).toContain(approved.id);
    const recorded = await waitFor(async () => ((await get(approved.id)).github.comment === undefined ? undefined : get(approved.id)));
    expect(recorded.github.comment).toMatchObject({ number: 2, url: expect.stringContaining('#issuecomment-') });
    // A second run (a retried job) does not comment again.
    expect(await actOnContributionDecision(deps, { requestId: approved.id, github: github(), org: null })).toEqual([]);
    expect(world.github.comments.filter((entry) => entry.number === 2)).toHaveLength(1);

    // A try that posted and died before recording it (the record wiped here, as the crash would leave it):
    // the retry finds its comment among the others on the pull request instead of posting a second one.
    for (let n = 0; n < 3; n++) world.github.addComment({ owner: 'octo-org', repo: 'widget', number: 2, body: `LGTM ${n}`, user: 'someone' });
    await world.srv.server.db.query("UPDATE contribution_requests SET github_actions = github_actions - 'comment' WHERE id = $1", [approved.id]);
    expect(await actOnContributionDecision(deps, { requestId: approved.id, github: github(), org: null })).toEqual(['commented']);
    expect(world.github.comments.filter((entry) => entry.number === 2 && entry.user !== 'someone')).toHaveLength(1);
    expect((await get(approved.id)).github.comment).toMatchObject({ id: comment.id });

    const rejected = await submit(world, 'omar', upstreamRequest({ tier: 'enhancement', links: ['https://github.com/octo-org/widget/pull/5'] }));
    await routed(world, rejected.id);
    await decide(world, 'mona', rejected.id, { decision: 'reject', reason: 'Not now' });
    expect(await actOnContributionDecision(deps, { requestId: rejected.id, github: github(), org: null })).toEqual([]);
    expect(world.github.comments.filter((entry) => entry.number === 5)).toEqual([]);
  });

  it('drift: flags a merged pull request that grew past what its approved tier allows, once', async () => {
    // A small fix, auto-approved (the upstream now has an approved contribution).
    const small = await submit(world, 'erin', upstreamRequest({ estimatedLinesChanged: 10, links: ['https://github.com/octo-org/widget/pull/4'] }));
    expect((await routed(world, small.id)).status).toBe('auto-approved');
    const fine = await submit(world, 'erin', upstreamRequest({ title: 'Another fix', estimatedLinesChanged: 10, links: ['https://github.com/octo-org/widget/pull/5'] }));
    expect((await routed(world, fine.id)).status).toBe('auto-approved');

    // Still open: nothing to say yet.
    expect((await sweepContributionDrift(deps, { github: github() })).flagged).toEqual([]);
    // Then #4 is merged at 450 lines (a bug fix allows 200), #5 merged as approved.
    world.github.addPullRequest('octo-org', 'widget', { number: 4, additions: 400, deletions: 50, changedFiles: 12, merged: true });
    world.github.addPullRequest('octo-org', 'widget', { number: 5, additions: 8, deletions: 2, changedFiles: 1, merged: true });
    const sweptFrom = Date.now();
    const sweep = await sweepContributionDrift(deps, { github: github() });
    expect(sweep.flagged).toEqual([small.id]);
    const flagged = await listAuditEvents(world.srv.server.db, { subjectId: small.id, action: 'contribution.drift-flagged' }, 10);
    expect(flagged.map((event) => event.payload)).toEqual([
      expect.objectContaining({ pullRequestUrl: 'https://github.com/octo-org/widget/pull/4', approvedTier: 'bug-fix', allowedLines: 200, actualLines: 450 }),
    ]);
    // Flagged by this sweep: a real time within it (the database's clock may lag this process's by a little).
    const flaggedAt = instantOf((await get(small.id)).driftFlaggedAt);
    expect(flaggedAt).toBeGreaterThanOrEqual(sweptFrom - 1_000);
    expect(flaggedAt).toBeLessThanOrEqual(Date.now());
    // Merged pull requests are not read again.
    const requestsBefore = world.github.requests.length;
    expect(await sweepContributionDrift(deps, { github: github() })).toMatchObject({ flagged: [] });
    expect(world.github.requests.slice(requestsBefore).filter((entry) => /pulls\/[45]$/.test(entry.path))).toEqual([]);
  });
});
