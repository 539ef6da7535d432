import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { emptyHistory } from './enrichment.js';
import type { ClaHints, ContributionEnrichment, ContributionHistory, UpstreamInfo } from './enrichment.js';
import { contributionPolicySchema } from './policy-schema.js';
import type { ContributionPolicy, ContributionPolicyInput } from './policy-schema.js';
import { contributionRequestInputSchema } from './request-schema.js';
import type { ContributionRequest } from './request-schema.js';
import { route } from './route.js';
import type { RoutingPlan } from './routing-plan.js';
import { routingPlanSchema } from './routing-plan.js';

// The shipped defaults are what these tests route with, so a change to
// policies/contributions.yaml that alters behaviour shows up here.
const defaultPolicyInput = parseYaml(
  readFileSync(new URL('../../../../policies/contributions.yaml', import.meta.url), 'utf8'),
) as ContributionPolicyInput;
const defaultPolicy = contributionPolicySchema.parse(defaultPolicyInput);

const policyWith = (change: (input: ContributionPolicyInput) => void): ContributionPolicy => {
  const input = structuredClone(defaultPolicyInput);
  change(input);
  return contributionPolicySchema.parse(input);
};

const categories: Record<string, string> = {
  MIT: 'permissive',
  'Apache-2.0': 'permissive',
  Unlicense: 'public-domain',
  'LGPL-2.1-only': 'weak-copyleft',
  'GPL-3.0-only': 'strong-copyleft',
  'AGPL-3.0-only': 'network-copyleft',
  'CC-BY-NC-4.0': 'non-commercial',
};
const licenseCategory = (id: string): string | null => categories[id] ?? null;
const now = new Date('2025-06-02T10:00:00Z');

const request = (input: Record<string, unknown> = {}): ContributionRequest =>
  contributionRequestInputSchema.parse({
    tier: 'bug-fix',
    upstream: 'https://github.com/octo-org/widget',
    title: 'Fix pager',
    justification: 'Customers hit it',
    estimatedLinesChanged: 20,
    ...input,
  });

const upstream = (overrides: Partial<UpstreamInfo> = {}): UpstreamInfo => ({
  exists: true,
  archived: false,
  license: 'MIT',
  licenseStatus: 'detected',
  licenseNote: null,
  defaultBranch: 'main',
  visibility: 'public',
  ...overrides,
});

const enrichment = (overrides: Partial<ContributionEnrichment> = {}): ContributionEnrichment => ({
  upstream: upstream(),
  pullRequest: null,
  claHints: null,
  findings: [],
  ...overrides,
});

const known: ContributionHistory = { ...emptyHistory, upstreamApprovedContributions: 3, requesterUpstreamApprovedContributions: 1 };

const run = (
  req: ContributionRequest,
  enr: ContributionEnrichment = enrichment(),
  history: ContributionHistory = known,
  policy: ContributionPolicy = defaultPolicy,
  at: Date = now,
): RoutingPlan => route(req, enr, history, policy, { now: at, licenseCategory });

const stagesOf = (plan: RoutingPlan): Array<[string, string]> =>
  plan.kind === 'stages' ? plan.stages.map((stage) => [stage.roles.join('|'), stage.rule]) : [];
const rulesOf = (plan: RoutingPlan): Array<[string, string]> => plan.explanation.map((entry) => [entry.rule, entry.effect]);
const cla = (hints: Partial<ClaHints>): ClaHints => ({ cla: false, dco: false, claName: null, sources: ['CONTRIBUTING.md'], ...hints });

describe('the default policy', () => {
  it('is valid and has the documented tier shape', () => {
    const roles = (tier: keyof ContributionPolicy['tiers']) => defaultPolicy.tiers[tier].stages.map((stage) => stage.roles.join('|'));
    expect(roles('bug-fix')).toEqual(['manager']);
    expect(roles('enhancement')).toEqual(['manager']);
    expect(roles('new-feature')).toEqual(['manager', 'ospo']);
    expect(roles('new-project')).toEqual(['manager', 'ospo', 'legal', 'security']);
  });

  it('refuses unknown keys and incomplete blanket approvals', () => {
    const typo = structuredClone(defaultPolicyInput) as Record<string, unknown>;
    typo.autoAprove = {};
    expect(contributionPolicySchema.safeParse(typo).success).toBe(false);
    const noRepo = structuredClone(defaultPolicyInput);
    noRepo.blanketApprovals = [{ name: 'x', scope: 'repo', owner: 'o', tiers: ['bug-fix'] }];
    const result = contributionPolicySchema.safeParse(noRepo);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['blanketApprovals', 0, 'repo']);
    const twice = structuredClone(defaultPolicyInput);
    twice.blanketApprovals = [
      { name: 'x', scope: 'org', owner: 'o', tiers: ['bug-fix'] },
      { name: 'x', scope: 'org', owner: 'p', tiers: ['bug-fix'] },
    ];
    expect(contributionPolicySchema.safeParse(twice).error?.issues[0]?.message).toBe('duplicate blanket approval name "x"');
    const badRole = structuredClone(defaultPolicyInput);
    badRole.tiers.enhancement.stages = [{ roles: ['auditor' as 'ospo'], slaWorkingDays: 1 }];
    expect(contributionPolicySchema.safeParse(badRole).success).toBe(false);
  });
});

describe('route: automatic approval of bug fixes', () => {
  it('approves a small bug fix to a permissive upstream that asks for no agreement', () => {
    const plan = run(request());
    expect(plan.kind).toBe('auto-approved');
    expect(plan.kind === 'auto-approved' && plan.rule).toBe('auto-approve');
    expect(plan.explanation).toEqual([
      {
        rule: 'auto-approve',
        effect: 'approve',
        detail: 'bug-fix of 20 lines to https://github.com/octo-org/widget under MIT (permissive); no CLA or DCO is asked for',
      },
    ]);
    expect(routingPlanSchema.parse(plan)).toEqual(plan);
  });

  it('approves with a DCO or a pre-approved CLA', () => {
    expect(run(request(), enrichment({ claHints: cla({ dco: true }) })).kind).toBe('auto-approved');
    const plan = run(request(), enrichment({ claHints: cla({ cla: true, claName: 'google-cla' }) }));
    expect(plan.kind).toBe('auto-approved');
    expect(plan.explanation[0]?.detail).toContain('CLA "google-cla" is pre-approved');
  });

  it('sends a CLA that is not pre-approved to legal, and says why it did not auto-approve', () => {
    const plan = run(request(), enrichment({ claHints: cla({ cla: true, claName: 'acme-cla' }) }));
    expect(stagesOf(plan)).toEqual([
      ['manager', 'tier-stages'],
      ['legal', 'unapproved-cla'],
    ]);
    expect(rulesOf(plan)).toEqual([
      ['auto-approve', 'not-applied'],
      ['tier-stages', 'stages'],
      ['unapproved-cla', 'add-stage'],
    ]);
    expect(plan.explanation[0]?.detail).toBe('needs a person: unapproved-cla');
    expect(plan.explanation[2]?.detail).toContain('the CLA "acme-cla", which is not pre-approved');
  });

  it('treats the requester\'s CLA flag like a detected CLA, and their CLA name wins', () => {
    const flagged = run(request({ flags: { claRequired: true } }));
    expect(stagesOf(flagged)).toContainEqual(['legal', 'unapproved-cla']);
    expect(flagged.kind === 'stages' && flagged.stages[1]?.reason).toContain('a CLA that could not be identified');
    const named = run(request({ claName: 'apache-icla' }), enrichment({ claHints: cla({ cla: true, claName: 'acme-cla' }) }));
    expect(named.kind).toBe('auto-approved');
  });

  it('can require an accepted agreement', () => {
    const policy = policyWith((input) => {
      input.autoApprove.requireAgreement = true;
    });
    const plan = run(request(), enrichment(), known, policy);
    expect(stagesOf(plan)).toEqual([['manager', 'tier-stages']]);
    expect(plan.explanation[0]?.detail).toBe('the upstream asks for no CLA or DCO that policy accepts');
    expect(run(request(), enrichment({ claHints: cla({ dco: true }) }), known, policy).kind).toBe('auto-approved');
  });

  it('does not auto-approve copyleft upstreams, and the OSPO looks at them', () => {
    const plan = run(request(), enrichment({ upstream: upstream({ license: 'GPL-3.0-only' }) }));
    expect(stagesOf(plan)).toEqual([
      ['manager', 'tier-stages'],
      ['ospo', 'license-category:copyleft-upstream'],
    ]);
    expect(plan.explanation[0]?.detail).toContain('the upstream license GPL-3.0-only is strong-copyleft, not one of permissive, public-domain');
  });

  it('does not auto-approve when disabled', () => {
    const policy = policyWith((input) => {
      input.autoApprove.enabled = false;
    });
    const plan = run(request(), enrichment(), known, policy);
    expect(rulesOf(plan)).toEqual([['tier-stages', 'stages']]);
  });
});

describe('route: tiers', () => {
  it('routes an enhancement to a manager', () => {
    const plan = run(request({ tier: 'enhancement' }));
    expect(plan.kind === 'stages' && plan.stages).toEqual([
      { index: 0, roles: ['manager'], approvals: 1, dueInWorkingDays: 3, rule: 'tier-stages', reason: 'Manager sign-off' },
    ]);
    expect(rulesOf(plan)).toEqual([['tier-stages', 'stages']]);
    expect(plan.explanation[0]?.detail).toBe('enhancement: manager');
  });

  it('routes a new feature to a manager, then the OSPO', () => {
    const plan = run(request({ tier: 'new-feature', estimatedLinesChanged: 800 }));
    expect(stagesOf(plan)).toEqual([
      ['manager', 'tier-stages'],
      ['ospo', 'tier-stages'],
    ]);
    expect(plan.explanation[0]?.detail).toBe('new-feature: manager → ospo');
  });

  it('routes a new project to manager, OSPO, legal and security', () => {
    const plan = run(
      contributionRequestInputSchema.parse({
        tier: 'new-project',
        project: { name: 'widgets', outboundLicense: 'Apache-2.0', owningTeam: 'Platform', maintenanceCommitment: '2 people' },
        title: 'Open widgets',
        justification: 'Adoption',
        estimatedLinesChanged: 40_000,
        flags: { touchesCoreIp: true, securityFix: true },
      }),
      { upstream: null, pullRequest: null, claHints: null, findings: [] },
      emptyHistory,
    );
    expect(stagesOf(plan).map(([roles]) => roles)).toEqual(['manager', 'ospo', 'legal', 'security']);
    // Flags that the tier already covers add no stage, but they are listed.
    expect(rulesOf(plan)).toEqual([
      ['tier-stages', 'stages'],
      ['core-ip', 'covered'],
      ['security-fix', 'covered'],
    ]);
    expect(plan.explanation[1]?.detail).toBe('The change touches core intellectual property (already covered by stage 3: legal)');
  });

  it('rejects a new project under a license outside the outbound list', () => {
    const plan = run(
      contributionRequestInputSchema.parse({
        tier: 'new-project',
        project: { name: 'w', outboundLicense: 'GPL-3.0-only', owningTeam: 'T', maintenanceCommitment: 'M' },
        title: 't',
        justification: 'j',
        estimatedLinesChanged: 1,
      }),
      { upstream: null, pullRequest: null, claHints: null, findings: [] },
    );
    expect(plan.kind).toBe('auto-rejected');
    expect(plan.kind === 'auto-rejected' && plan.reason).toBe(
      'New projects are released under one of Apache-2.0, MIT, BSD-2-Clause, BSD-3-Clause, CC-BY-4.0, CC0-1.0; GPL-3.0-only needs an exception from the OSPO first.',
    );
  });
});

describe('route: size thresholds', () => {
  it('routes a bug fix above its limit as an enhancement', () => {
    const plan = run(request({ estimatedLinesChanged: 201 }));
    expect(plan.effectiveTier).toBe('enhancement');
    expect(stagesOf(plan)).toEqual([['manager', 'tier-stages']]);
    expect(rulesOf(plan)).toEqual([
      ['tier-threshold', 'escalate-tier'],
      ['auto-approve', 'not-applied'],
      ['tier-stages', 'stages'],
    ]);
    expect(plan.explanation[0]?.detail).toBe('201 lines changed exceeds the bug-fix limit of 200; routed as enhancement');
    expect(plan.explanation[1]?.detail).toBe('routed as enhancement because of its size');
  });

  it('keeps escalating until the size fits', () => {
    const plan = run(request({ estimatedLinesChanged: 6000 }));
    expect(plan.effectiveTier).toBe('new-project');
    expect(rulesOf(plan).filter(([rule]) => rule === 'tier-threshold')).toHaveLength(3);
    expect(stagesOf(plan).map(([roles]) => roles)).toEqual(['manager', 'ospo', 'legal', 'security']);
  });

  it('uses the pull request size when it is larger than the estimate', () => {
    const plan = run(
      request({ estimatedLinesChanged: 10 }),
      enrichment({ pullRequest: { additions: 900, deletions: 200, changedFiles: 12, merged: false, state: 'open', mergedAt: null } }),
    );
    expect(plan.linesChanged).toBe(1100);
    expect(plan.effectiveTier).toBe('new-feature');
    expect(plan.explanation[0]).toEqual({
      rule: 'pull-request-size',
      effect: 'note',
      detail: 'The pull request changes 1100 lines (900 added, 200 deleted), more than the estimated 10; 1100 is used',
    });
  });

  it('notes a pull request merged before approval', () => {
    const plan = run(
      request(),
      enrichment({ pullRequest: { additions: 1, deletions: 1, changedFiles: 1, merged: true, state: 'closed', mergedAt: '2025-05-01T00:00:00Z' } }),
    );
    expect(plan.explanation[0]).toEqual({
      rule: 'pull-request-merged',
      effect: 'note',
      detail: 'The pull request was already merged at 2025-05-01T00:00:00Z, before this approval',
    });
  });
});

describe('route: deny rules', () => {
  it.each([
    ['archived', { archived: true }, 'deny.archived', 'is archived'],
    ['no license', { license: null, licenseStatus: 'none' as const }, 'deny.no-license', 'has no license'],
    ['AGPL by id and category', { license: 'AGPL-3.0-only' }, 'deny.license', 'AGPL-3.0-only (network-copyleft)'],
    ['non-commercial by category', { license: 'CC-BY-NC-4.0' }, 'deny.license', 'CC-BY-NC-4.0 (non-commercial)'],
    ['not found', { exists: false, license: null, licenseStatus: 'none' as const }, 'deny.not-found', 'was not found'],
  ])('rejects an upstream that is %s, with the reason the requester reads', (_name, facts, rule, text) => {
    const plan = run(request({ tier: 'enhancement' }), enrichment({ upstream: upstream(facts) }));
    expect(plan.kind).toBe('auto-rejected');
    if (plan.kind !== 'auto-rejected') return;
    expect(plan.rule).toBe(rule);
    expect(plan.reason).toContain(text);
    expect(plan.reason).toContain('https://github.com/octo-org/widget');
    expect(rulesOf(plan)).toEqual([[rule, 'reject']]);
  });

  it('lists every deny rule that fired, and wins over blanket approvals', () => {
    const policy = policyWith((input) => {
      input.blanketApprovals = [{ name: 'octo', scope: 'org', owner: 'octo-org', tiers: ['bug-fix'] }];
    });
    const plan = run(request(), enrichment({ upstream: upstream({ archived: true, license: null, licenseStatus: 'none' }) }), known, policy);
    expect(plan.kind === 'auto-rejected' && plan.rule).toBe('deny.archived');
    expect(rulesOf(plan)).toEqual([
      ['deny.archived', 'reject'],
      ['deny.no-license', 'reject'],
    ]);
  });

  it('applies an explicitly denied id whatever its category', () => {
    const policy = policyWith((input) => {
      input.deny.licenses.ids = ['MIT'];
    });
    expect(run(request(), enrichment(), known, policy).kind).toBe('auto-rejected');
  });

  it('asks the OSPO about a missing upstream when deny.notFound is disabled', () => {
    const policy = policyWith((input) => {
      input.deny.notFound.enabled = false;
    });
    const plan = run(request({ tier: 'enhancement' }), enrichment({ upstream: upstream({ exists: false, license: null, licenseStatus: 'none' }) }), known, policy);
    expect(stagesOf(plan)).toEqual([
      ['manager', 'tier-stages'],
      ['ospo', 'missing-enrichment'],
    ]);
  });

  it('does not reject when the rule is disabled', () => {
    const policy = policyWith((input) => {
      input.deny.archived.enabled = false;
    });
    expect(run(request(), enrichment({ upstream: upstream({ archived: true }) }), known, policy).kind).toBe('auto-approved');
  });
});

describe('route: escalations', () => {
  it('asks legal about an unrecognized license file and about a license the engine does not know', () => {
    const noassertion = run(
      request({ tier: 'enhancement' }),
      enrichment({ upstream: upstream({ license: null, licenseStatus: 'unrecognized', licenseNote: 'NOASSERTION' }) }),
    );
    expect(stagesOf(noassertion)).toEqual([
      ['manager', 'tier-stages'],
      ['legal', 'unrecognized-license'],
    ]);
    const unknown = run(request({ tier: 'enhancement' }), enrichment({ upstream: upstream({ license: 'WTFPL' }) }));
    expect(unknown.kind === 'stages' && unknown.stages[1]?.reason).toBe(
      'https://github.com/octo-org/widget is licensed under WTFPL, which the license policy does not classify',
    );
  });

  it('asks legal when the license engine files the id under unknown', () => {
    const plan = route(request({ tier: 'enhancement' }), enrichment({ upstream: upstream({ license: 'Foo-1.0' }) }), known, defaultPolicy, {
      now,
      licenseCategory: () => 'unknown',
    });
    expect(stagesOf(plan)).toEqual([
      ['manager', 'tier-stages'],
      ['legal', 'license-category:unusual-license'],
    ]);
  });

  it('adds legal once for core IP and patents, and security for a security fix', () => {
    const plan = run(request({ tier: 'enhancement', flags: { touchesCoreIp: true, patentRelevant: true, securityFix: true } }));
    expect(stagesOf(plan)).toEqual([
      ['manager', 'tier-stages'],
      ['legal', 'core-ip'],
      ['security', 'security-fix'],
    ]);
    expect(rulesOf(plan)).toEqual([
      ['tier-stages', 'stages'],
      ['core-ip', 'add-stage'],
      ['patent-relevant', 'covered'],
      ['security-fix', 'add-stage'],
    ]);
    expect(plan.kind === 'stages' && plan.stages.map((stage) => stage.dueInWorkingDays)).toEqual([3, 5, 2]);
  });

  it('blocks auto-approval of a flagged bug fix', () => {
    const plan = run(request({ flags: { patentRelevant: true } }));
    expect(plan.kind).toBe('stages');
    expect(plan.explanation[0]).toEqual({ rule: 'auto-approve', effect: 'not-applied', detail: 'needs a person: patent-relevant' });
  });

  it('asks the OSPO to check by hand when GitHub data is missing', () => {
    const plan = run(request(), enrichment({ upstream: null, findings: ['GitHub was unreachable'] }));
    expect(stagesOf(plan)).toEqual([
      ['manager', 'tier-stages'],
      ['ospo', 'missing-enrichment'],
    ]);
    expect(rulesOf(plan)[0]).toEqual(['enrichment-finding', 'note']);
    expect(plan.explanation[1]?.detail).toContain('the upstream license is not known');
  });
});

describe('route: trust ladder', () => {
  it('adds an OSPO stage to the first contribution to an upstream', () => {
    const plan = run(request(), enrichment(), emptyHistory);
    expect(stagesOf(plan)).toEqual([
      ['manager', 'tier-stages'],
      ['ospo', 'trust-ladder'],
    ]);
    expect(plan.explanation[0]?.detail).toBe('needs a person: trust-ladder');
    expect(plan.kind === 'stages' && plan.stages[1]?.reason).toBe(
      "First contribution to https://github.com/octo-org/widget: the OSPO checks the project's governance and contribution terms once",
    );
  });

  it('is covered by an OSPO stage the tier already has', () => {
    const plan = run(request({ tier: 'new-feature' }), enrichment(), emptyHistory);
    expect(stagesOf(plan).map(([roles]) => roles)).toEqual(['manager', 'ospo']);
    expect(rulesOf(plan)).toContainEqual(['trust-ladder', 'covered']);
  });

  it('can count this requester\'s contributions only', () => {
    const policy = policyWith((input) => {
      input.trustLadder.per = 'requester';
    });
    const someoneElses = { ...emptyHistory, upstreamApprovedContributions: 5, requesterUpstreamApprovedContributions: 0 };
    expect(stagesOf(run(request(), enrichment(), someoneElses, policy))).toContainEqual(['ospo', 'trust-ladder']);
    expect(run(request(), enrichment(), someoneElses).kind).toBe('auto-approved');
  });
});

describe('route: blanket approvals', () => {
  const withBlanket = (entry: Record<string, unknown>): ContributionPolicy =>
    policyWith((input) => {
      input.blanketApprovals = [{ name: 'octo', scope: 'org', owner: 'octo-org', tiers: ['bug-fix', 'enhancement'], ...entry } as never];
    });

  it('approves a covered upstream, even a first contribution, and records the rule name', () => {
    const plan = run(request({ tier: 'enhancement', upstream: 'https://github.com/Octo-Org/other' }), enrichment(), emptyHistory, withBlanket({}));
    expect(plan.kind === 'auto-approved' && plan.rule).toBe('blanket:octo');
    expect(plan.explanation).toEqual([
      {
        rule: 'blanket:octo',
        effect: 'approve',
        detail: 'https://github.com/Octo-Org/other: blanket approval "octo" covers every repository of github.com/octo-org for bug-fix, enhancement (no expiry)',
      },
    ]);
  });

  it('applies through its expiry day and is ignored after it', () => {
    const policy = withBlanket({ expires: '2025-06-02' });
    const enhancement = request({ tier: 'enhancement' });
    expect(run(enhancement, enrichment(), known, policy, new Date('2025-06-02T23:59:59Z')).kind).toBe('auto-approved');
    const late = run(enhancement, enrichment(), known, policy, new Date('2025-06-03T00:00:00Z'));
    expect(late.kind).toBe('stages');
    expect(rulesOf(late)).toEqual([
      ['blanket:octo', 'ignored'],
      ['tier-stages', 'stages'],
    ]);
    expect(late.explanation[0]?.detail).toContain('(until 2025-06-02); it expired');
  });

  it('covers only its tiers, its host and, for scope repo, its repo', () => {
    expect(rulesOf(run(request({ tier: 'new-feature', estimatedLinesChanged: 300 }), enrichment(), known, withBlanket({})))[0]).toEqual([
      'blanket:octo',
      'not-applied',
    ]);
    expect(run(request({ tier: 'enhancement', upstream: 'https://ghe.example.com/octo-org/widget' }), enrichment(), known, withBlanket({})).kind).toBe(
      'stages',
    );
    const repoScoped = withBlanket({ scope: 'repo', repo: 'widget' });
    expect(run(request({ tier: 'enhancement' }), enrichment(), known, repoScoped).kind).toBe('auto-approved');
    expect(run(request({ tier: 'enhancement', upstream: 'octo-org/gadget' }), enrichment(), known, repoScoped).kind).toBe('stages');
  });

  it('does not override core IP, patent or CLA escalations', () => {
    const plan = run(request({ tier: 'enhancement', flags: { touchesCoreIp: true } }), enrichment(), known, withBlanket({}));
    expect(rulesOf(plan)).toEqual([
      ['blanket:octo', 'not-applied'],
      ['tier-stages', 'stages'],
      ['core-ip', 'add-stage'],
    ]);
    expect(plan.explanation[0]?.detail).toContain('needs a person: core-ip');
  });
});

describe('route: determinism', () => {
  it('gives equal plans for equal inputs and does not change its inputs', () => {
    const req = request({ flags: { touchesCoreIp: true } });
    const enr = enrichment({ claHints: cla({ cla: true, claName: 'acme-cla' }) });
    const before = JSON.stringify({ req, enr, defaultPolicy });
    expect(run(req, enr, emptyHistory)).toEqual(run(req, enr, emptyHistory));
    expect(JSON.stringify({ req, enr, defaultPolicy })).toBe(before);
  });
});
