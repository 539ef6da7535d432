import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contributionAuditPayloads } from '../audit/payloads/contribution.js';

const schema = z.discriminatedUnion('type', [...contributionAuditPayloads]);

describe('contribution audit payloads', () => {
  it('has one schema per type', () => {
    const types = contributionAuditPayloads.map((payload) => payload.shape.type.value);
    expect(new Set(types).size).toBe(types.length);
    expect(types).toEqual(
      expect.arrayContaining([
        'contribution.submitted',
        'contribution.enriched',
        'contribution.routed',
        'contribution.auto-approved',
        'contribution.auto-rejected',
        'contribution.decided',
        'contribution.withdrawn',
        'contribution.resubmitted',
        'contribution.stage-escalated',
        'contribution.drift-flagged',
        'github.commented',
        'github.repo-created',
      ]),
    );
  });

  it('accepts a routed plan with its explanation and refuses unknown fields', () => {
    const routed = {
      type: 'contribution.routed',
      requestId: 'req-1',
      policyVersion: 'sha256:abc',
      plan: {
        kind: 'stages',
        stages: [{ index: 0, roles: ['manager'], approvals: 1, dueInWorkingDays: 3, rule: 'tier-stages', reason: 'Manager sign-off' }],
        effectiveTier: 'enhancement',
        linesChanged: 40,
        explanation: [{ rule: 'tier-stages', effect: 'stages', detail: 'enhancement: manager' }],
      },
    };
    expect(schema.parse(routed)).toEqual(routed);
    expect(schema.safeParse({ ...routed, extra: 1 }).success).toBe(false);
    expect(schema.safeParse({ ...routed, plan: { ...routed.plan, kind: 'maybe' } }).success).toBe(false);
  });

  it('requires the decision facts', () => {
    const decided = {
      type: 'contribution.decided',
      requestId: 'req-1',
      stage: 0,
      decision: 'reject',
      reason: 'Competes with our product',
      by: 'mona',
      asRoles: ['manager'],
      outcome: 'rejected',
    };
    expect(schema.parse(decided)).toEqual(decided);
    const { by: _by, ...withoutDecider } = decided;
    expect(schema.safeParse(withoutDecider).success).toBe(false);
  });
});
