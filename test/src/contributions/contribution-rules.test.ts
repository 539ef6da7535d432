import { listAuditEvents } from '@clearance/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  type ErrorBody,
} from './contribution-harness.js';

interface QueueBody {
  items: Array<{
    id: string;
    requester: string;
    stage: { index: number; roles: string[]; dueAt: string | null };
    dueAt: string | null;
    overdue: boolean;
    upstream: { license: string | null; licenseCategory: string | null; archived: boolean } | null;
    pullRequest: { additions: number; deletions: number; merged: boolean } | null;
    claHints: { cla: boolean; dco: boolean } | null;
    history: { requester: { approved: number; rejected: number }; upstream: { approved: number; rejected: number } | null };
    explanation: Array<{ rule: string; effect: string }>;
    mayDecide: boolean;
    blockedBecause: string | null;
  }>;
}

/** The decision rules, refusals and revisions, through the HTTP API against the real stack. */
describe('contribution decisions: the rules that must hold', () => {
  let world: ContributionWorld;

  /** A request routed to manager → OSPO (first contribution to the upstream). */
  const inReview = async (user = 'erin', overrides: Record<string, unknown> = {}): Promise<ContributionBody> => {
    const request = await submit(world, user, upstreamRequest({ tier: 'enhancement', estimatedLinesChanged: 100, ...overrides }));
    const result = await routed(world, request.id);
    expect(result.status).toBe('in-review');
    return result;
  };

  const errorOf = (response: { status: number; body: unknown }): [number, string] => [response.status, (response.body as ErrorBody).error.code];

  beforeAll(async () => {
    world = await startContributionWorld();
    world.github.addRepo({ owner: 'octo-org', name: 'widget', license: 'LGPL-2.1', files: { 'CONTRIBUTING.md': 'Sign the CLA at https://cla.developers.google.com/ first.\n' } });
    world.github.addPullRequest('octo-org', 'widget', { number: 3, additions: 40, deletions: 2, changedFiles: 3 });
  });
  afterAll(async () => {
    await world.close();
  });

  it('refuses a request that is not valid with 422 naming the field, and unknown fields too', async () => {
    const missing = await api<ErrorBody>(world, 'erin', 'POST', '/contributions', { tier: 'bug-fix', upstream: 'https://github.com/octo-org/widget', title: 'x' });
    expect(missing.status).toBe(422);
    expect(JSON.stringify(missing.body)).toContain('Justification is required');
    const badUpstream = await api<ErrorBody>(world, 'erin', 'POST', '/contributions', upstreamRequest({ upstream: 'https://github.com/octo-org/widget/tree/main' }));
    expect(badUpstream.status).toBe(422);
    const unknown = await api<ErrorBody>(world, 'erin', 'POST', '/contributions', upstreamRequest({ approvedBy: 'me' }));
    expect(unknown.status).toBe(422);
    // Reviewers and auditors do not file requests.
    expect((await api(world, 'audrey', 'POST', '/contributions', upstreamRequest())).status).toBe(403);
  });

  it('nobody decides their own request, and the attempt is audited', async () => {
    const own = await inReview('rita');
    const attempt = await decide(world, 'rita', own.id, { decision: 'approve', stageIndex: 0 });
    expect(errorOf(attempt)).toEqual([403, 'forbidden']);
    expect(attempt.body.error.message).toBe('Nobody decides their own request');
    const denials = await listAuditEvents(world.srv.server.db, { action: 'access.denied', actor: 'rita' }, 10);
    expect(denials.at(-1)?.payload).toMatchObject({ reason: 'forbidden', route: '/contributions/:id/decisions' });
    // Nor does it wait in their queue.
    const queue = await api<QueueBody>(world, 'rita', 'GET', '/reviews');
    expect(queue.body.items.map((item) => item.id)).not.toContain(own.id);
  });

  it('only holders of a stage\'s role decide it, and stages go in order', async () => {
    const request = await inReview();
    expect(errorOf(await decide(world, 'lee', request.id, { decision: 'approve' }))).toEqual([403, 'forbidden']);
    // The OSPO's stage waits for the manager's.
    const early = await decide(world, 'olga', request.id, { decision: 'approve', stageIndex: 1 });
    expect(errorOf(early)).toEqual([409, 'conflict']);
    expect(early.body.error.message).toContain('Stages go in order');
    expect((await decide(world, 'mona', request.id, { decision: 'approve', stageIndex: 0 })).status).toBe(201);
    // Stage 0 is done: deciding it again is a conflict, not a second approval.
    expect(errorOf(await decide(world, 'max', request.id, { decision: 'approve', stageIndex: 0 }))).toEqual([409, 'conflict']);
  });

  it('one person cannot sign two stages of a request', async () => {
    const request = await inReview();
    expect((await decide(world, 'mo', request.id, { decision: 'approve', stageIndex: 0 })).body.outcome).toBe('stage-approved');
    const second = await decide(world, 'mo', request.id, { decision: 'approve', stageIndex: 1 });
    expect(errorOf(second)).toEqual([403, 'forbidden']);
    expect(second.body.error.message).toContain('one person cannot sign two stages');
    // The queue says so too, instead of offering a decision that would be refused.
    const queue = await api<QueueBody>(world, 'mo', 'GET', '/reviews');
    expect(queue.body.items.find((item) => item.id === request.id)).toMatchObject({ mayDecide: false, blockedBecause: expect.stringContaining('two stages') });
    expect((await decide(world, 'olga', request.id, { decision: 'approve', stageIndex: 1 })).body.request.status).toBe('approved');
  });

  it('a rejection or a change request without a reason is 422', async () => {
    const request = await inReview();
    const reject = await decide(world, 'mona', request.id, { decision: 'reject' });
    expect(errorOf(reject)).toEqual([422, 'validation_failed']);
    expect(reject.body.error.message).toContain('needs a reason');
    expect(errorOf(await decide(world, 'mona', request.id, { decision: 'request-changes', reason: '   ' }))).toEqual([422, 'validation_failed']);
    expect(errorOf(await decide(world, 'mona', request.id, { decision: 'maybe' }))).toEqual([422, 'validation_failed']);
    expect(errorOf(await decide(world, 'mona', request.id, { decision: 'approve', comment: 'x' }))).toEqual([422, 'validation_failed']);
    const state = await api(world, 'mona', 'GET', `/contributions/${request.id}`);
    expect(state.body.decisions).toEqual([]);
  });

  it('a decision on a withdrawn or already final request is 409', async () => {
    const withdrawn = await inReview();
    expect((await api(world, 'omar', 'POST', `/contributions/${withdrawn.id}/withdraw`)).status).toBe(404);
    const taken = await api(world, 'erin', 'POST', `/contributions/${withdrawn.id}/withdraw`);
    expect(taken.body).toMatchObject({ status: 'withdrawn', currentStage: null });
    expect(errorOf(await decide(world, 'mona', withdrawn.id, { decision: 'approve' }))).toEqual([409, 'conflict']);
    expect(errorOf(await api(world, 'erin', 'POST', `/contributions/${withdrawn.id}/withdraw`))).toEqual([409, 'conflict']);

    const rejected = await inReview();
    expect((await decide(world, 'mona', rejected.id, { decision: 'reject', reason: 'Not aligned with our roadmap' })).body.request.status).toBe('rejected');
    const after = await decide(world, 'olga', rejected.id, { decision: 'approve', stageIndex: 1 });
    expect(errorOf(after)).toEqual([409, 'conflict']);
    expect(after.body.error.message).toContain('final');
    expect(await actionsOf(world.srv.server.db, withdrawn.id)).toContain('contribution.withdrawn');
  });

  it('two reviewers deciding the same stage at the same moment produce exactly one decision', async () => {
    for (let round = 0; round < 4; round += 1) {
      const request = await inReview();
      const [a, b] = await Promise.all([
        decide(world, 'mona', request.id, { decision: 'approve', stageIndex: 0 }),
        decide(world, 'max', request.id, { decision: round % 2 === 0 ? 'approve' : 'reject', reason: 'Too broad', stageIndex: 0 }),
      ]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      const { rows } = await world.srv.server.db.query<{ count: number }>('SELECT count(*)::int AS count FROM contribution_decisions WHERE request_id = $1', [request.id]);
      expect(rows[0]?.count).toBe(1);
      const decided = await listAuditEvents(world.srv.server.db, { subjectId: request.id, action: 'contribution.decided' }, 10);
      expect(decided).toHaveLength(1);
    }
  });

  it('resubmission after a rejection is a new revision linked to the old one, whose "no" stays visible', async () => {
    const first = await inReview();
    await decide(world, 'mona', first.id, { decision: 'reject', reason: 'Split the refactoring from the fix' });
    // Only the requester resubmits: another engineer cannot even see the request.
    expect((await api(world, 'omar', 'POST', `/contributions/${first.id}/revisions`, {})).status).toBe(404);
    const again = await api(world, 'erin', 'POST', `/contributions/${first.id}/revisions`, upstreamRequest({ tier: 'enhancement', title: 'Only the fix', estimatedLinesChanged: 40 }));
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ revision: 2, previousRevisionId: first.id, status: 'submitted', title: 'Only the fix' });
    const second = await routed(world, again.body.id);
    expect(second.status).toBe('in-review');
    expect(second.revisions?.map((revision) => [revision.revision, revision.status])).toEqual([
      [1, 'rejected'],
      [2, 'in-review'],
    ]);
    expect(second.revisions?.[0]?.decisions).toEqual([expect.objectContaining({ decision: 'reject', reason: 'Split the refactoring from the fix' })]);
    const old = await api(world, 'erin', 'GET', `/contributions/${first.id}`);
    expect(old.body).toMatchObject({ status: 'rejected', nextRevisionId: second.id, decisions: [{ decision: 'reject', by: 'mona' }] });
    // The chain never forks, and an approved or open request is not resubmitted.
    expect(errorOf(await api(world, 'erin', 'POST', `/contributions/${first.id}/revisions`, {}))).toEqual([409, 'conflict']);
    expect(errorOf(await api(world, 'erin', 'POST', `/contributions/${second.id}/revisions`, {}))).toEqual([409, 'conflict']);
    expect(await actionsOf(world.srv.server.db, second.id)).toEqual(expect.arrayContaining(['contribution.submitted', 'contribution.resubmitted', 'contribution.routed']));
  });

  it('decisions are never edited: the database refuses to change or delete one', async () => {
    const request = await inReview();
    await decide(world, 'mona', request.id, { decision: 'approve', stageIndex: 0 });
    await expect(world.srv.server.db.query("UPDATE contribution_decisions SET decision = 'reject' WHERE request_id = $1", [request.id])).rejects.toThrow(/append-only/);
    await expect(world.srv.server.db.query('DELETE FROM contribution_decisions WHERE request_id = $1', [request.id])).rejects.toThrow(/append-only/);
  });

  it('keeps requests private to their requester, reviewers and auditors', async () => {
    const mine = await inReview('erin');
    const peek = await api<ErrorBody>(world, 'omar', 'GET', `/contributions/${mine.id}`);
    expect(errorOf(peek)).toEqual([404, 'not_found']);
    const denials = await listAuditEvents(world.srv.server.db, { action: 'access.denied', actor: 'omar' }, 10);
    expect(denials.map((event) => event.payload)).toContainEqual(expect.objectContaining({ reason: 'not_owner', route: '/contributions/:id' }));
    expect((await api(world, 'audrey', 'GET', `/contributions/${mine.id}`)).status).toBe(200);
    expect((await api(world, 'lee', 'GET', `/contributions/${mine.id}`)).status).toBe(200);

    const listed = await api<{ items: ContributionBody[] }>(world, 'omar', 'GET', '/contributions');
    expect(listed.body.items.every((item) => item.requester === 'omar')).toBe(true);
    expect((await api(world, 'omar', 'GET', '/contributions?requester=erin')).status).toBe(403);
    const byAuditor = await api<{ items: ContributionBody[] }>(world, 'audrey', 'GET', '/contributions?requester=erin&status=rejected');
    expect(byAuditor.body.items.length).toBeGreaterThan(0);
    expect(byAuditor.body.items.every((item) => item.requester === 'erin' && item.status === 'rejected')).toBe(true);
    const byUpstream = await api<{ items: ContributionBody[] }>(world, 'audrey', 'GET', '/contributions?upstream=octo-org/Widget&limit=2');
    expect(byUpstream.body.items).toHaveLength(2);
    // Reviewers only: a requester has no review queue.
    expect((await api(world, 'erin', 'GET', '/reviews')).status).toBe(403);
  });

  it('shows a reviewer what waits for their roles, oldest first, with what they need to decide', async () => {
    const request = await inReview('omar', { links: ['https://github.com/octo-org/widget/pull/3'], estimatedLinesChanged: 10 });
    const queue = await api<QueueBody>(world, 'max', 'GET', '/reviews?limit=200');
    expect(queue.status).toBe(200);
    const dueTimes = queue.body.items.map((item) => item.stage.dueAt ?? '');
    expect(queue.body.items.every((item) => item.stage.roles.includes('manager'))).toBe(true);
    const item = queue.body.items.find((entry) => entry.id === request.id);
    expect(item).toMatchObject({
      requester: 'omar',
      overdue: false,
      upstream: { license: 'LGPL-2.1', licenseCategory: 'weak-copyleft', archived: false },
      pullRequest: { additions: 40, deletions: 2, merged: false },
      claHints: { cla: true, dco: false },
      history: { requester: { approved: 0 }, upstream: { approved: expect.any(Number) } },
      mayDecide: true,
    });
    expect(item?.dueAt).toBe(item?.stage.dueAt);
    expect(item?.explanation.map((entry) => entry.rule)).toEqual(expect.arrayContaining(['tier-stages', 'license-category:copyleft-upstream']));
    // Oldest first: the newest request comes last among those that started together.
    expect(queue.body.items.at(-1)?.id).toBe(request.id);
    expect(dueTimes.length).toBeGreaterThan(1);
    // The OSPO sees the request only once the manager has signed.
    const ospoBefore = await api<QueueBody>(world, 'otto', 'GET', '/reviews?limit=200');
    expect(ospoBefore.body.items.map((entry) => entry.id)).not.toContain(request.id);
    await decide(world, 'max', request.id, { decision: 'approve' });
    const ospoAfter = await api<QueueBody>(world, 'otto', 'GET', '/reviews?limit=200');
    expect(ospoAfter.body.items.map((entry) => entry.id)).toContain(request.id);
  });
});
