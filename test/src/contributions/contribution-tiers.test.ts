import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import {
  actionsOf,
  api,
  decide,
  expectIntactChain,
  GITHUB_ORG,
  routed,
  startContributionWorld,
  submit,
  upstreamRequest,
  type ContributionWorld,
} from './contribution-harness.js';

/**
 * Each tier end to end through the HTTP API, with the real PostgreSQL, Redis
 * and workers and GitHub played by a local fake: submit → enrich → route →
 * decisions by the right roles → final state → audit events present and
 * chained. Routing uses the shipped policies/contributions.yaml.
 */
describe('contribution tiers end to end (real PostgreSQL, Redis, workers; fake GitHub)', () => {
  let world: ContributionWorld;

  beforeAll(async () => {
    world = await startContributionWorld();
    world.github.addRepo({ owner: 'octo-org', name: 'widget', license: 'MIT', files: { 'CONTRIBUTING.md': 'Open a pull request. Every commit needs a Signed-off-by: line (DCO).\n' } });
    world.github.addPullRequest('octo-org', 'widget', { number: 7, additions: 15, deletions: 5, changedFiles: 2 });
    world.github.addPullRequest('octo-org', 'widget', { number: 8, additions: 3, deletions: 1, changedFiles: 1 });
    world.github.addRepo({ owner: 'data-co', name: 'engine', license: 'Apache-2.0' });
    world.github.addRepo({ owner: 'net-co', name: 'server', license: 'AGPL-3.0' });
  });
  afterAll(async () => {
    await world.close();
  });

  it('bug fix: the first one to an upstream needs manager and OSPO (trust ladder); the next one is auto-approved', async () => {
    const first = await submit(world, 'erin', upstreamRequest({ links: ['https://github.com/octo-org/widget/pull/7'] }));
    expect(first).toMatchObject({ status: 'submitted', requester: 'erin', tier: 'bug-fix', revision: 1 });

    const plan = await routed(world, first.id);
    expect(plan.status).toBe('in-review');
    expect(plan.stages.map((stage) => [stage.roles, stage.rule, stage.status])).toEqual([
      [['manager'], 'tier-stages', 'pending'],
      [['ospo'], 'trust-ladder', 'waiting'],
    ]);
    expect(plan.enrichment?.upstream).toMatchObject({ exists: true, license: 'MIT', archived: false });
    expect(plan.enrichment?.pullRequest).toMatchObject({ additions: 15, deletions: 5, merged: false });
    expect(plan.plan?.explanation.map((entry) => entry.rule)).toContain('trust-ladder');
    expect(plan.policyVersion).toMatch(/^[0-9a-f]{64}$/);

    // The OSPO cannot take the manager's stage: stages go in order, and each belongs to its roles.
    expect((await decide(world, 'olga', first.id, { decision: 'approve' })).status).toBe(403);
    const managerSays = await decide(world, 'mona', first.id, { decision: 'approve', stageIndex: 0 });
    expect(managerSays.status).toBe(201);
    expect(managerSays.body.outcome).toBe('stage-approved');
    const ospoSays = await decide(world, 'olga', first.id, { decision: 'approve', stageIndex: 1 });
    expect(ospoSays.body).toMatchObject({ outcome: 'approved', request: { status: 'approved', currentStage: null } });

    // After the decision, the worker comments on the pull request with the reference.
    const comment = await waitFor(() => world.github.comments.find((entry) => entry.number === 7), { what: 'the PR comment' });
    expect(comment.body).toContain(first.id);
    expect(comment.body).not.toContain('mona');
    expect(await waitFor(async () => (await actionsOf(world.srv.server.db, first.id)).includes('github.commented'))).toBe(true);
    expect(await actionsOf(world.srv.server.db, first.id)).toEqual([
      'contribution.submitted',
      'contribution.enriched',
      'contribution.routed',
      'contribution.decided',
      'contribution.decided',
      'github.commented',
    ]);

    // Now the company has a contribution to this upstream: a small fix with an accepted DCO goes straight through.
    const second = await submit(world, 'omar', upstreamRequest({ title: 'Fix a typo', estimatedLinesChanged: 4, links: ['https://github.com/octo-org/widget/pull/8'] }));
    const auto = await routed(world, second.id);
    expect(auto).toMatchObject({ status: 'auto-approved', autoOutcome: { rule: 'auto-approve', reason: null }, stages: [], decisions: [] });
    await waitFor(() => world.github.comments.find((entry) => entry.number === 8), { what: 'the auto-approval comment' });
    // The worker records the comment after GitHub has answered.
    expect(await waitFor(async () => (await actionsOf(world.srv.server.db, second.id)).includes('github.commented'))).toBe(true);
    expect(await actionsOf(world.srv.server.db, second.id)).toEqual([
      'contribution.submitted',
      'contribution.enriched',
      'contribution.routed',
      'contribution.auto-approved',
      'github.commented',
    ]);
  });

  it('bug fix to an AGPL upstream: auto-rejected with the reason the requester reads', async () => {
    const request = await submit(world, 'erin', upstreamRequest({ upstream: 'https://github.com/net-co/server' }));
    const result = await routed(world, request.id);
    expect(result.status).toBe('auto-rejected');
    expect(result.autoOutcome?.rule).toBe('deny.license');
    expect(result.autoOutcome?.reason).toContain('AGPL-3.0');
    expect(await actionsOf(world.srv.server.db, request.id)).toEqual([
      'contribution.submitted',
      'contribution.enriched',
      'contribution.routed',
      'contribution.auto-rejected',
    ]);
  });

  it('enhancement: one manager sign-off once the upstream is known', async () => {
    const request = await submit(world, 'erin', upstreamRequest({ tier: 'enhancement', title: 'Add a retry option', estimatedLinesChanged: 300 }));
    const plan = await routed(world, request.id);
    expect(plan.stages.map((stage) => stage.roles)).toEqual([['manager']]);
    const decided = await decide(world, 'max', request.id, { decision: 'approve' });
    expect(decided.body.request).toMatchObject({ status: 'approved', decisions: [{ by: 'max', decision: 'approve', asRoles: ['manager'] }] });
  });

  it('new feature touching core IP: manager, then OSPO (first time for this upstream), then legal, each a different person', async () => {
    const request = await submit(world, 'erin', upstreamRequest({
      tier: 'new-feature',
      upstream: 'https://github.com/data-co/engine',
      title: 'Add columnar export',
      estimatedLinesChanged: 2_000,
      flags: { touchesCoreIp: true },
    }));
    const plan = await routed(world, request.id);
    expect(plan.stages.map((stage) => [stage.roles, stage.rule])).toEqual([
      [['manager'], 'tier-stages'],
      [['ospo'], 'tier-stages'],
      [['legal'], 'core-ip'],
    ]);
    // The OSPO stage of the tier already covers the trust ladder's OSPO look.
    expect(plan.plan?.explanation.find((entry) => entry.rule === 'trust-ladder')?.effect).toBe('covered');
    expect((await decide(world, 'mona', request.id, { decision: 'approve' })).body.outcome).toBe('stage-approved');
    expect((await decide(world, 'otto', request.id, { decision: 'approve' })).body.outcome).toBe('stage-approved');
    const last = await decide(world, 'lee', request.id, { decision: 'approve', reason: 'No patent claims involved' });
    expect(last.body.request.status).toBe('approved');
    expect(last.body.request.decisions.map((decision) => [decision.stageIndex, decision.by])).toEqual([
      [0, 'mona'],
      [1, 'otto'],
      [2, 'lee'],
    ]);
  });

  it('new project: manager, OSPO, legal and security; then the repository is created in the org with its license', async () => {
    const request = await submit(world, 'erin', {
      tier: 'new-project',
      project: { name: 'fast-widgets', outboundLicense: 'apache-2.0', owningTeam: 'Widgets team', maintenanceCommitment: 'Two engineers, reviewed quarterly' },
      title: 'Open source the widget renderer',
      justification: 'Hiring and community fixes',
      estimatedLinesChanged: 12_000,
    });
    const plan = await routed(world, request.id);
    expect(plan.enrichment).toMatchObject({ upstream: null, pullRequest: null });
    expect(plan.stages.map((stage) => stage.roles)).toEqual([['manager'], ['ospo'], ['legal'], ['security']]);
    for (const reviewer of ['mona', 'olga', 'lee', 'sam']) {
      expect((await decide(world, reviewer, request.id, { decision: 'approve' })).status).toBe(201);
    }
    const created = await waitFor(() => world.github.createdRepos.find((repo) => repo.name === 'fast-widgets'), { what: 'the new repository' });
    expect(created).toMatchObject({ org: GITHUB_ORG, licenseTemplate: 'apache-2.0', private: true });
    const final = await waitFor(
      async () => {
        const response = await api(world, 'erin', 'GET', `/contributions/${request.id}`);
        return response.body.github.repository === undefined ? undefined : response.body;
      },
      { what: 'the repository to be recorded' },
    );
    expect(final).toMatchObject({ status: 'approved', github: { repository: { url: `https://github.com/${GITHUB_ORG}/fast-widgets`, created: true } } });
    expect(await actionsOf(world.srv.server.db, request.id)).toEqual([
      'contribution.submitted',
      'contribution.enriched',
      'contribution.routed',
      'contribution.decided',
      'contribution.decided',
      'contribution.decided',
      'contribution.decided',
      'github.repo-created',
    ]);
  });

  it('keeps every event in one intact hash chain, each recorded under the policy version', async () => {
    const events = await expectIntactChain(world.srv.server.db);
    const contributionEvents = events.filter((event) => event.subjectType === 'contribution');
    expect(contributionEvents.length).toBeGreaterThan(20);
    const version = contributionEvents[0]?.policyVersion;
    expect(version).toMatch(/^[0-9a-f]{64}$/);
    expect(contributionEvents.every((event) => event.policyVersion === version)).toBe(true);
  });
});
