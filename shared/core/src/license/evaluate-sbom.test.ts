import { describe, expect, it } from 'vitest';
import type { SbomComponent } from '../sbom/component.js';
import { evaluateSbom } from './evaluate-sbom.js';
import { licensePolicySchema } from './policy-schema.js';

const category = (verdict: 'allow' | 'review' | 'deny', licenses: string[]) => ({ description: 'test', verdict, licenses });
const policy = licensePolicySchema.parse({
  schemaVersion: 1,
  outcomes: { missing: 'review', noassertion: 'review', none: 'review', unparsable: 'review', tooLarge: 'deny' },
  categories: {
    permissive: category('allow', ['MIT', 'ISC', 'Apache-2.0']),
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

const component = (index: number, expression: string | null): SbomComponent => ({
  ref: `ref-${index}`,
  name: `c${index}`,
  version: '1.0.0',
  purl: `pkg:npm/c${index}@1.0.0`,
  parents: [],
  license: { source: 'cyclonedx', choices: expression === null ? [] : [{ kind: 'expression', expression }] },
});
const options = { waivers: [], now: new Date('2026-01-01T00:00:00Z'), policyVersion: 'abc123' };

describe('evaluateSbom', () => {
  it('passes when every component is allowed', () => {
    const result = evaluateSbom([component(1, 'MIT'), component(2, 'ISC OR GPL-3.0-only')], policy, options);
    expect(result).toMatchObject({ verdict: 'pass', counts: { total: 2, allow: 2, review: 0, deny: 0 }, policyVersion: 'abc123' });
    expect(result.findings[1]).toMatchObject({ ref: 'ref-2', purl: 'pkg:npm/c2@1.0.0', chosenBranch: 'ISC', decidedBy: { kind: 'rule', rule: { kind: 'category', category: 'permissive', license: 'ISC' } } });
  });

  it('needs review when something needs review and nothing is denied', () => {
    expect(evaluateSbom([component(1, 'MIT'), component(2, null)], policy, options)).toMatchObject({
      verdict: 'review',
      counts: { total: 2, allow: 1, review: 1, deny: 0 },
    });
  });

  it('fails when any component is denied', () => {
    const result = evaluateSbom([component(1, 'LGPL-2.1-only'), component(2, 'GPL-3.0-only AND MIT')], policy, options);
    expect(result).toMatchObject({ verdict: 'fail', counts: { review: 1, deny: 1 } });
  });

  it('gives each finding its own arrays, though evaluations are shared', () => {
    const result = evaluateSbom([component(1, 'MIT AND ISC'), component(2, 'MIT AND ISC')], policy, options);
    const [first, second] = result.findings;
    first?.notes.push('changed');
    first?.mappings.pop();
    expect(second?.notes).toEqual([]);
    expect(second?.mappings).toHaveLength(2);
  });

  it('reports progress up to the total', () => {
    const components = Array.from({ length: 2500 }, (_, index) => component(index, 'MIT'));
    const seen: [number, number][] = [];
    evaluateSbom(components, policy, { ...options, onProgress: (done, total) => seen.push([done, total]) });
    expect(seen).toEqual([
      [1000, 2500],
      [2000, 2500],
      [2500, 2500],
    ]);
  });

  it('evaluates 100k components over 300 distinct expressions, each like its first occurrence', () => {
    const expressions = Array.from({ length: 300 }, (_, index) =>
      index % 3 === 0 ? `MIT OR LicenseRef-x${index}` : index % 3 === 1 ? `GPL-3.0-only AND LicenseRef-y${index}` : `LicenseRef-z${index}`,
    );
    const components = Array.from({ length: 100_000 }, (_, index) => component(index, expressions[index % 300] ?? 'MIT'));
    const result = evaluateSbom(components, policy, options);
    // 333 full rounds of 300, then indexes 0-99: 34 of the first kind, 33 of each other.
    expect(result.counts).toEqual({ total: 100_000, allow: 33_334, review: 33_333, deny: 33_333 });
    expect(result.findings[99_999]?.expression).toBe(expressions[99_999 % 300]);
  });
});

describe('an SBOM with no components', () => {
  it('does not pass: a document finding with the policy\'s noComponents verdict decides', () => {
    const result = evaluateSbom([], policy, options);
    expect(result).toMatchObject({ verdict: 'review', counts: { total: 0, allow: 0, review: 0, deny: 0 }, findings: [] });
    expect(result.documentFindings).toEqual([
      {
        kind: 'no-components',
        verdict: 'review',
        decidedBy: { kind: 'rule', rule: { kind: 'outcome', outcome: 'noComponents' } },
        message: 'The document lists no components, so no license was checked.',
      },
    ]);
    const strict = licensePolicySchema.parse({ ...policy, outcomes: { ...policy.outcomes, noComponents: 'deny' } });
    expect(evaluateSbom([], strict, options).verdict).toBe('fail');
    expect(evaluateSbom([component(1, 'MIT')], policy, options)).toMatchObject({ verdict: 'pass', documentFindings: [] });
  });
});
