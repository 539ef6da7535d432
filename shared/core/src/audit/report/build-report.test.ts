import { describe, expect, it } from 'vitest';
import type { AuditEventBody, AuditEventRecord } from '../event-hash.js';
import { auditPayloadSchema } from '../payloads/index.js';
import { linkEvents } from '../link-events.js';
import { buildReport } from './build-report.js';
import { renderReportHtml } from './render-html.js';
import { renderReportMarkdown } from './render-markdown.js';

type Step = [at: string, actor: string, action: string, subject: string, payload: Record<string, unknown>, policy?: string];

const P1 = 'a'.repeat(64);
const P2 = 'b'.repeat(64);
const submitted = (requestId: string, tier: string, upstream: string | null) => ({ requestId, revision: 1, previousRevisionId: null, requester: 'someone', tier, upstream, title: `request ${requestId}` });
const stage = (index: number, roles: string[], dueInWorkingDays: number) => ({ index, roles, approvals: 1, dueInWorkingDays, rule: 'tier-stages', reason: 'tier' });
const plan = (requestId: string, stages: ReturnType<typeof stage>[]) => ({
  requestId,
  plan: { kind: 'stages', stages, effectiveTier: 'bug-fix', linesChanged: 10, explanation: [] },
  policyVersion: P1,
});
const decided = (requestId: string, stageIndex: number, decision: string, outcome: string, reason: string | null = null) => ({
  requestId,
  stage: stageIndex,
  decision,
  reason,
  by: 'someone',
  asRoles: ['manager'],
  outcome,
});
const counts = (allow: number, review: number, deny: number) => ({ total: allow + review + deny, allow, review, deny });
const waiver = (waiverId: string, expiresAt: string) => ({
  waiverId,
  scope: { purl: `pkg:npm/${waiverId}`, match: 'any-version' },
  verdict: 'allow',
  justification: 'vetted',
  expiresAt,
  grantedBy: 'legal-lead',
});

// Times are UTC; 2025-03-03 is a Monday. Payloads follow auditPayloadSchema, except where a test says otherwise.
const steps: Step[] = [
  ['2025-02-20T09:00:00Z', 'system', 'policy.activated', 'policy', { version: P1, previousVersion: null, files: [] }],
  ['2025-02-25T09:00:00Z', 'ann', 'contribution.submitted', 'c-old', submitted('c-old', 'bug-fix', 'github.com/nodejs/node')],
  ['2025-02-26T09:00:00Z', 'legal', 'waiver.granted', 'w-old', waiver('w-old', '2026-01-01T00:00:00Z')],
  // In the period from here on.
  ['2025-03-03T09:00:00Z', 'mgr', 'contribution.decided', 'c-old', decided('c-old', 0, 'approve', 'approved')],
  ['2025-03-03T10:00:00Z', 'bob', 'contribution.submitted', 'c-1', submitted('c-1', 'bug-fix', 'github.com/nodejs/node')],
  ['2025-03-03T10:00:01Z', 'system', 'contribution.routed', 'c-1', plan('c-1', [stage(0, ['manager'], 1), stage(1, ['legal'], 2)])],
  ['2025-03-03T15:00:00Z', 'mgr', 'contribution.decided', 'c-1', decided('c-1', 0, 'approve', 'stage-approved')],
  ['2025-03-07T15:00:00Z', 'lee', 'contribution.decided', 'c-1', decided('c-1', 1, 'reject', 'rejected', 'Patent risk: <script>alert("x")</script> | see memo')],
  ['2025-03-04T08:00:00Z', 'cy', 'contribution.submitted', 'c-2', submitted('c-2', 'new-feature', 'github.com/kubernetes/kubectl')],
  ['2025-03-04T08:00:01Z', 'system', 'contribution.auto-rejected', 'c-2', { requestId: 'c-2', rule: 'deny-archived', reason: 'upstream is archived' }],
  ['2025-03-04T09:00:00Z', 'dee', 'contribution.submitted', 'c-3', submitted('c-3', 'new-project', null)],
  ['2025-03-04T09:00:01Z', 'system', 'contribution.auto-approved', 'c-3', { requestId: 'c-3', rule: 'sandbox-projects' }],
  ['2025-03-05T09:00:00Z', 'eve', 'contribution.submitted', 'c-4', submitted('c-4', 'enhancement', 'github.com/nodejs/node')],
  ['2025-03-05T09:00:01Z', 'system', 'contribution.routed', 'c-4', plan('c-4', [stage(0, ['ospo'], 1)])],
  ['2025-03-06T09:00:00Z', 'ospo1', 'contribution.decided', 'c-4', decided('c-4', 0, 'request-changes', 'changes-requested', 'add tests')],
  ['2025-03-05T10:00:00Z', 'fay', 'contribution.submitted', 'c-5', submitted('c-5', 'enhancement', 'github.com/nodejs/node')],
  ['2025-03-05T10:00:01Z', 'system', 'contribution.routed', 'c-5', plan('c-5', [stage(0, ['ospo'], 1)])],
  ['2025-03-05T11:00:00Z', 'comp', 'sbom.evaluated', 'sbom-1', { sbomId: 'sbom-1', evaluation: 1, verdict: 'fail', counts: counts(10, 0, 1), categories: { permissive: counts(10, 0, 0), 'strong-copyleft': counts(0, 0, 1) }, waiversApplied: [], expiredWaiversIgnored: [] }],
  ['2025-03-05T12:00:00Z', 'comp', 'sbom.evaluated', 'sbom-2', { sbomId: 'sbom-2', evaluation: 1, verdict: 'pass', counts: counts(4, 0, 0), categories: { permissive: counts(4, 0, 0) }, waiversApplied: [], expiredWaiversIgnored: [] }],
  // Not a valid payload: the report counts it as unreadable instead of failing.
  ['2025-03-05T13:00:00Z', 'comp', 'sbom.evaluated', 'sbom-3', { verdict: 'weird' }],
  ['2025-03-06T10:00:00Z', 'legal', 'waiver.granted', 'w-1', waiver('w-1', '2025-12-31T00:00:00Z')],
  ['2025-03-06T11:00:00Z', 'legal', 'waiver.granted', 'w-2', waiver('w-2', '2025-03-08T00:00:00Z')],
  ['2025-03-06T12:00:00Z', 'legal', 'waiver.granted', 'w-3', waiver('w-3', '2025-09-01T00:00:00Z')],
  ['2025-03-07T12:00:00Z', 'legal', 'waiver.revoked', 'w-3', { waiverId: 'w-3', scope: { purl: 'pkg:npm/w-3', match: 'any-version' }, verdict: 'allow', reason: 'no longer needed', revokedBy: 'legal' }],
  ['2025-03-08T09:00:00Z', 'admin', 'policy.activated', 'policy', { version: P2, previousVersion: P1, files: [] }, P2],
  // After the period: ignored.
  ['2025-03-11T09:00:00Z', 'mgr', 'contribution.decided', 'c-5', decided('c-5', 0, 'approve', 'approved'), P2],
];

const events = (): AuditEventRecord[] => [
  ...linkEvents(
    steps.map(([occurredAt, actor, action, subjectId, payload, policy], index): AuditEventBody => ({
      seq: index + 1,
      occurredAt: new Date(occurredAt).toISOString(),
      actor,
      action,
      subjectType: action.split('.')[0] ?? '',
      subjectId,
      payload: { type: action, ...payload },
      policyVersion: policy ?? P1,
    })),
  ),
];

const period = { from: '2025-03-03T00:00:00.000Z', to: '2025-03-10T00:00:00.000Z' };

describe('buildReport', () => {
  it('runs on payloads of the real audit schemas', () => {
    const invalid = steps.filter(([, , action, , payload]) => !auditPayloadSchema.safeParse({ type: action, ...payload }).success);
    expect(invalid.map(([, , action, subject]) => `${action} ${subject}`)).toEqual(['sbom.evaluated sbom-3']);
  });

  it('counts contributions by outcome, tier and upstream as of the end of the period', async () => {
    const model = await buildReport(events(), period);
    expect(model.events).toMatchObject({ count: 22, firstSeq: 4, lastSeq: 25 });
    const c = model.contributions;
    expect(c.total).toBe(6);
    expect(Object.fromEntries(c.byOutcome.map((t) => [t.key, t.count]))).toEqual({
      approved: 1,
      'auto-approved': 1,
      rejected: 1,
      'auto-rejected': 1,
      'changes-requested': 1,
      withdrawn: 0,
      'in-review': 1,
    });
    expect(c.byTier).toEqual([
      { key: 'bug-fix', count: 2 },
      { key: 'enhancement', count: 2 },
      { key: 'new-feature', count: 1 },
      { key: 'new-project', count: 1 },
    ]);
    expect(c.byUpstream).toEqual([
      { key: 'github.com/nodejs/node', count: 4 },
      { key: '(new project)', count: 1 },
      { key: 'github.com/kubernetes/kubectl', count: 1 },
    ]);
    expect(c.changesRequested).toBe(1);
  });

  it('lists every "no" with its reason, stage and who said it', async () => {
    const { refusals } = (await buildReport(events(), period)).contributions;
    expect(refusals.map((no) => [no.seq, no.kind, no.subjectId, no.actor, no.stage])).toEqual([
      [8, 'rejected', 'c-1', 'lee', 'legal'],
      [10, 'auto-rejected', 'c-2', 'system', null],
    ]);
    expect(refusals[0]?.reason).toContain('Patent risk');
    expect(refusals[1]).toMatchObject({ reason: 'upstream is archived', tier: 'new-feature', upstream: 'github.com/kubernetes/kubectl' });
  });

  it('measures review times against the stage SLA and finds open stages past due', async () => {
    const { reviews } = await buildReport(events(), period);
    const byStage = Object.fromEntries(reviews.byStage.map((s) => [s.stage, s]));
    // c-1 manager: 5 h, within 1 working day; legal started Monday 15:00, due Wednesday 15:00, decided Friday: late.
    expect(byStage.manager).toMatchObject({ decided: 1, withinSla: 1, late: 0, medianHours: 5 });
    expect(byStage.legal).toMatchObject({ decided: 1, withinSla: 0, late: 1, medianHours: 96 });
    // c-4 ospo: decided 24 h later, due in 1 working day: within. c-old's decision has no known stage.
    expect(byStage.ospo).toMatchObject({ decided: 1, withinSla: 1 });
    expect(byStage['stage 1']).toMatchObject({ decided: 1, noSla: 1 });
    expect(reviews).toMatchObject({ decided: 4, withinSla: 2, late: 1, noSla: 1 });
    expect(reviews.openOverdue).toEqual([{ subjectId: 'c-5', stage: 'ospo', dueAt: '2025-03-06T10:00:01.000Z' }]);
  });

  it('sums SBOM verdicts by license category and notes what it could not read', async () => {
    const model = await buildReport(events(), period);
    expect(model.sboms.evaluated).toBe(2);
    expect(model.sboms.byVerdict).toEqual([
      { key: 'pass', count: 1 },
      { key: 'review', count: 0 },
      { key: 'fail', count: 1 },
    ]);
    expect(model.sboms.byCategory).toEqual([
      { category: 'permissive', count: 14, verdicts: [{ key: 'allow', count: 14 }, { key: 'review', count: 0 }, { key: 'deny', count: 0 }] },
      { category: 'strong-copyleft', count: 1, verdicts: [{ key: 'allow', count: 0 }, { key: 'review', count: 0 }, { key: 'deny', count: 1 }] },
    ]);
    expect(model.sboms.componentsByVerdict).toEqual([
      { key: 'allow', count: 14 },
      { key: 'review', count: 0 },
      { key: 'deny', count: 1 },
    ]);
    expect(model.unreadable).toEqual([{ key: 'sbom.evaluated', count: 1 }]);
  });

  it('reports waivers granted, revoked, lapsed and open', async () => {
    const { waivers } = await buildReport(events(), period);
    expect(waivers).toMatchObject({ granted: 3, revoked: 1, open: 2 });
    expect(waivers.lines.map((w) => [w.waiverId, w.status])).toEqual([
      ['w-old', 'open'],
      ['w-1', 'open'],
      ['w-2', 'expired'],
      ['w-3', 'revoked'],
    ]);
  });

  it('shows the policy in force at the start and when it changed', async () => {
    const { policies } = await buildReport(events(), period);
    expect(policies.inForceAtStart).toBe(P1);
    expect(policies.changes).toEqual([{ seq: 25, at: '2025-03-08T09:00:00.000Z', actor: 'admin', version: P2, previousVersion: P1 }]);
    expect(policies.eventsByVersion).toEqual([
      { key: P1, count: 21 },
      { key: P2, count: 1 },
    ]);
  });

  it('gives the same model from an async stream and from the same events again', async () => {
    async function* stream(): AsyncGenerator<AuditEventRecord> {
      for (const event of events()) yield await Promise.resolve(event);
    }
    expect(await buildReport(stream(), period)).toEqual(await buildReport(events(), period));
  });
});

describe('report rendering', () => {
  it('renders a standalone HTML page with accessible SVG charts and escaped reasons', async () => {
    const html = renderReportHtml(await buildReport(events(), period), { provenance: [{ label: 'Bundle', value: '<dossier>' }] });
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<svg');
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="chart-outcome-title chart-outcome-desc"/);
    expect(html).toContain('<title id="chart-outcome-title">');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;dossier&gt;');
    expect(html).not.toMatch(/<link|src=/);
  });

  it('renders Markdown tables that a reason cannot break', async () => {
    const markdown = renderReportMarkdown(await buildReport(events(), period));
    expect(markdown).toContain('## Every “no” and its reason');
    expect(markdown).toContain('Patent risk: &lt;script&gt;alert("x")&lt;/script&gt; \\| see memo');
    expect(markdown).not.toContain('<script');
  });

  it('counts in words that agree with the number: "1 time", "6 requests"', async () => {
    const model = await buildReport(events(), period);
    for (const text of [renderReportMarkdown(model), renderReportHtml(model)]) {
      expect(text).toContain('6 requests had activity in the period; outcomes as of its end. 1 time a reviewer asked for changes.');
    }
  });

  it('renders an empty period without charts failing', async () => {
    const model = await buildReport([], {});
    expect(renderReportHtml(model)).toContain('No data in this period.');
    expect(renderReportMarkdown(model)).toContain('No rejections in the period.');
  });
});
