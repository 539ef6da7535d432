import { describe, expect, it } from 'vitest';
import type { SbomComponent } from '../sbom/component.js';
import { evaluateSbom } from './evaluate-sbom.js';
import { licensePolicySchema } from './policy-schema.js';
import type { Waiver } from './waiver.js';
import { waiverGrantProblems } from './waiver-grant.js';

const category = (verdict: 'allow' | 'review' | 'deny', licenses: string[]) => ({ description: 'test', verdict, licenses });
const policy = licensePolicySchema.parse({
  schemaVersion: 1,
  outcomes: { missing: 'review', noassertion: 'review', none: 'review', unparsable: 'review', tooLarge: 'deny' },
  categories: {
    permissive: category('allow', ['MIT']),
    'public-domain': category('allow', []),
    'weak-copyleft': category('review', ['LGPL-2.1-only']),
    'strong-copyleft': category('deny', ['GPL-3.0-only']),
    'network-copyleft': category('deny', []),
    'non-commercial': category('deny', []),
    proprietary: category('review', []),
    unknown: category('review', []),
  },
  waivers: { maxDays: 90, allowedVerdicts: ['allow', 'review'] },
});

const now = new Date('2026-06-01T00:00:00Z');
const component = (purl: string | null, expression = 'GPL-3.0-only'): SbomComponent => ({
  ref: purl ?? 'no-purl',
  name: 'c',
  version: null,
  purl,
  parents: [],
  license: { source: 'cyclonedx', choices: [{ kind: 'expression', expression }] },
});
const waiver = (id: string, scope: Waiver['scope'], overrides: Partial<Waiver> = {}): Waiver => ({
  id,
  scope,
  verdict: 'allow',
  justification: 'legal approved internal use',
  expiresAt: '2026-12-31T00:00:00Z',
  revokedAt: null,
  ...overrides,
});
const findingOf = (purl: string | null, waivers: Waiver[], expression?: string) => {
  const [finding] = evaluateSbom([component(purl, expression)], policy, { waivers, now, policyVersion: 'v' }).findings;
  if (finding === undefined) throw new Error('no finding');
  return finding;
};

describe('waivers', () => {
  it('exact: same purl, version included; stated qualifiers must match', () => {
    const exact = waiver('w1', { purl: 'pkg:maven/org.acme/lib@1.2.3', match: 'exact' });
    expect(findingOf('pkg:maven/org.acme/lib@1.2.3?type=jar', [exact])).toMatchObject({ verdict: 'allow', decidedBy: { kind: 'waiver', waiverId: 'w1' } });
    expect(findingOf('pkg:maven/org.acme/lib@1.2.4', [exact])).toMatchObject({ verdict: 'deny', decidedBy: { kind: 'rule' } });
    const withQualifier = waiver('w2', { purl: 'pkg:maven/org.acme/lib@1.2.3?type=pom', match: 'exact' });
    expect(findingOf('pkg:maven/org.acme/lib@1.2.3?type=jar', [withQualifier]).verdict).toBe('deny');
  });

  it('any-version: the same package at any version, qualifiers ignored', () => {
    const any = waiver('w1', { purl: 'pkg:npm/%40acme/widget@1.0.0', match: 'any-version' });
    expect(findingOf('pkg:npm/@acme/widget@9.9.9', [any]).verdict).toBe('allow');
    expect(findingOf('pkg:NPM/@acme/widget', [any]).verdict).toBe('allow');
    expect(findingOf('pkg:npm/@acme/widget-extra@1.0.0', [any]).verdict).toBe('deny');
    expect(findingOf(null, [any]).verdict).toBe('deny');
  });

  it('prefix: every purl that starts with the text', () => {
    const prefix = waiver('w1', { purl: 'pkg:npm/@angular/', match: 'prefix' });
    expect(findingOf('pkg:npm/%40angular/core@17.0.0', [prefix]).verdict).toBe('allow');
    expect(findingOf('pkg:npm/@angularx/core@17.0.0', [prefix]).verdict).toBe('deny');
  });

  it('with a license expression, applies only while the normalized expression is the same', () => {
    const scoped = waiver('w1', { purl: 'pkg:npm/left-pad', match: 'any-version', licenseExpression: 'gpl-3.0' });
    expect(findingOf('pkg:npm/left-pad@1.0.0', [scoped], 'GPL-3.0-only').verdict).toBe('allow');
    expect(findingOf('pkg:npm/left-pad@1.0.0', [scoped], 'GPL-3.0-only AND MIT').verdict).toBe('deny');
  });

  it('an expired waiver does not apply, and the finding says so', () => {
    const expired = waiver('w-old', { purl: 'pkg:npm/left-pad', match: 'any-version' }, { expiresAt: '2026-05-31T23:59:59Z' });
    const finding = findingOf('pkg:npm/left-pad@1.0.0', [expired]);
    expect(finding.verdict).toBe('deny');
    expect(finding.decidedBy).toEqual({ kind: 'expired-waiver-ignored', waiverId: 'w-old', rule: { kind: 'category', category: 'strong-copyleft', license: 'GPL-3.0-only' } });
    expect(finding.notes.at(-1)).toMatch(/w-old expired/);
  });

  it('a revoked waiver never applies, expired or not', () => {
    const revoked = waiver('w1', { purl: 'pkg:npm/left-pad', match: 'any-version' }, { revokedAt: '2026-05-01T00:00:00Z' });
    expect(findingOf('pkg:npm/left-pad@1.0.0', [revoked])).toMatchObject({ verdict: 'deny', decidedBy: { kind: 'rule' } });
  });

  it('the most specific waiver wins, and an active one beats an expired one', () => {
    const waivers = [
      waiver('prefix', { purl: 'pkg:npm/left', match: 'prefix' }, { verdict: 'review' }),
      waiver('exact', { purl: 'pkg:npm/left-pad@1.0.0', match: 'exact' }),
      waiver('old-exact', { purl: 'pkg:npm/left-pad@1.0.0', match: 'exact' }, { expiresAt: '2026-01-01T00:00:00Z', verdict: 'review' }),
    ];
    expect(findingOf('pkg:npm/left-pad@1.0.0', waivers)).toMatchObject({ verdict: 'allow', decidedBy: { waiverId: 'exact' } });
    expect(findingOf('pkg:npm/left-pad@2.0.0', waivers)).toMatchObject({ verdict: 'review', decidedBy: { waiverId: 'prefix' } });
  });
});

describe('granting a waiver', () => {
  const request = {
    scope: { purl: 'pkg:npm/left-pad', match: 'any-version' as const },
    verdict: 'allow' as const,
    justification: 'used in an internal tool only',
    expiresAt: '2026-07-01T00:00:00Z',
  };

  it('accepts a waiver within the policy limits', () => {
    expect(waiverGrantProblems(request, policy, now)).toEqual([]);
  });

  it('refuses a verdict the policy does not allow, a far or past expiry, an unreadable expression', () => {
    expect(waiverGrantProblems({ ...request, verdict: 'deny' }, policy, now)).toEqual(['a waiver may set allow or review, not deny']);
    expect(waiverGrantProblems({ ...request, expiresAt: '2027-01-01T00:00:00Z' }, policy, now)).toEqual([
      'expiresAt is more than 90 days away (waivers.maxDays)',
    ]);
    expect(waiverGrantProblems({ ...request, expiresAt: '2026-01-01T00:00:00Z' }, policy, now)).toEqual(['expiresAt must be in the future']);
    expect(waiverGrantProblems({ ...request, scope: { ...request.scope, licenseExpression: 'MIT AND' } }, policy, now)).toEqual([
      'scope.licenseExpression cannot be read: MIT AND',
    ]);
  });
});
