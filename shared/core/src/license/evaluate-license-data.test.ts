import { describe, expect, it } from 'vitest';
import type { ComponentLicenseData, LicenseChoice } from '../sbom/component.js';
import { evaluateLicenseData, licenseEngineFor } from './license-engine.js';
import { type LicensePolicyInput, licensePolicySchema } from './policy-schema.js';

const category = (verdict: 'allow' | 'review' | 'deny', licenses: string[]) => ({ description: 'test', verdict, licenses });

const policyInput: LicensePolicyInput = {
  schemaVersion: 1,
  outcomes: { missing: 'review', noassertion: 'review', none: 'deny', unparsable: 'review', tooLarge: 'deny' },
  categories: {
    permissive: category('allow', ['MIT', 'Apache-2.0', 'ISC', 'BSD-3-Clause']),
    'public-domain': category('allow', ['CC0-1.0']),
    'weak-copyleft': category('review', ['LGPL-2.1-only', 'MPL-2.0', 'EPL-1.0']),
    'strong-copyleft': category('deny', ['GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0-only']),
    'network-copyleft': category('deny', ['AGPL-3.0-only']),
    'non-commercial': category('deny', ['CC-BY-NC-4.0']),
    proprietary: category('review', ['LicenseRef-acme-commercial']),
    unknown: category('review', []),
  },
  licenses: { 'EPL-1.0': { verdict: 'allow', reason: 'ids override categories' } },
  exceptions: [
    { licenses: ['GPL-2.0-only'], exception: 'Classpath-exception-2.0', verdict: 'allow', reason: 'linking exception' },
  ],
  aliases: { 'The MIT License': 'MIT', 'MPL 2.0': 'MPL-2.0', 'EPL 1.0': 'EPL-1.0' },
  waivers: { maxDays: 90, allowedVerdicts: ['allow', 'review'] },
};
const policy = licensePolicySchema.parse(policyInput);

const cdx = (...choices: LicenseChoice[]): ComponentLicenseData => ({ source: 'cyclonedx', choices });
const expr = (expression: string, acknowledgement?: 'declared' | 'concluded'): LicenseChoice =>
  acknowledgement === undefined ? { kind: 'expression', expression } : { kind: 'expression', expression, acknowledgement };
const evaluate = (data: ComponentLicenseData) => evaluateLicenseData(data, policy);
const ofExpression = (expression: string) => evaluate(cdx(expr(expression)));

describe('evaluation of expressions', () => {
  it('gives a leaf its rule; per-id rules override categories; unknown ids get the unknown verdict', () => {
    expect(ofExpression('MIT')).toMatchObject({ outcome: 'evaluated', verdict: 'allow', rule: { kind: 'category', category: 'permissive', license: 'MIT' } });
    expect(ofExpression('EPL-1.0')).toMatchObject({ verdict: 'allow', rule: { kind: 'license', id: 'EPL-1.0', license: 'EPL-1.0' } });
    expect(ofExpression('Zlib')).toMatchObject({ verdict: 'review', rule: { kind: 'unknown-license', license: 'Zlib' } });
    expect(ofExpression('LicenseRef-other')).toMatchObject({ verdict: 'review', rule: { kind: 'unknown-license', license: 'LicenseRef-other' } });
    expect(ofExpression('LicenseRef-acme-commercial')).toMatchObject({ verdict: 'review', rule: { kind: 'category', category: 'proprietary', license: 'LicenseRef-acme-commercial' } });
  });

  it('AND takes the worst child', () => {
    expect(ofExpression('MIT AND GPL-3.0-only AND MPL-2.0')).toMatchObject({
      verdict: 'deny',
      rule: { kind: 'category', category: 'strong-copyleft', license: 'GPL-3.0-only' },
      chosenBranch: null,
    });
  });

  it('OR takes the best child and records the chosen branch', () => {
    expect(ofExpression('GPL-3.0-only OR MPL-2.0 OR MIT')).toMatchObject({ verdict: 'allow', chosenBranch: 'MIT' });
    expect(ofExpression('GPL-3.0-only OR MPL-2.0')).toMatchObject({ verdict: 'review', chosenBranch: 'MPL-2.0' });
    // Each OR picks its own branch; the AND of the choices is what the licensee takes.
    expect(ofExpression('(GPL-3.0-only OR MIT) AND (MPL-2.0 OR AGPL-3.0-only)')).toMatchObject({
      verdict: 'review',
      chosenBranch: 'MIT AND MPL-2.0',
      rule: { kind: 'category', category: 'weak-copyleft', license: 'MPL-2.0' },
    });
  });

  it('judges WITH as the pair when a rule names it, else by the base license', () => {
    expect(ofExpression('GPL-2.0-only WITH Classpath-exception-2.0')).toMatchObject({ verdict: 'allow', rule: { kind: 'exception', index: 0, license: 'GPL-2.0-only WITH Classpath-exception-2.0' } });
    expect(ofExpression('GPL-2.0-or-later WITH Classpath-exception-2.0')).toMatchObject({ verdict: 'deny', rule: { kind: 'category', category: 'strong-copyleft', license: 'GPL-2.0-or-later WITH Classpath-exception-2.0' } });
    // An exception SPDX does not know is no better than an unknown license.
    expect(ofExpression('MIT WITH Acme-exception')).toMatchObject({ verdict: 'review', rule: { kind: 'unknown-license', license: 'MIT WITH Acme-exception' } });
  });

  it('judges `+` by the stated version, and maps GNU `+` to -or-later', () => {
    expect(ofExpression('MPL-2.0+')).toMatchObject({ verdict: 'review', expression: 'MPL-2.0+' });
    expect(ofExpression('GPL-2.0+')).toMatchObject({ verdict: 'deny', expression: 'GPL-2.0-or-later' });
  });

  it('memoizes: the same canonical expression is evaluated once', () => {
    const engine = licenseEngineFor(policy);
    const first = engine.evaluateExpression({ type: 'license', license: 'ISC', plus: false, exception: null });
    const again = engine.evaluateExpression({ type: 'license', license: 'ISC', plus: false, exception: null });
    expect(again).toBe(first);
    expect(ofExpression('mit or isc')).toBe(ofExpression('mit or isc'));
  });
});

describe('picking and combining license entries', () => {
  it('combines several CycloneDX entries with AND and says so', () => {
    const result = evaluate(cdx({ kind: 'id', id: 'MIT' }, { kind: 'name', name: 'GNU General Public License v3.0 only' }));
    expect(result).toMatchObject({ expression: 'MIT AND GPL-3.0-only', verdict: 'deny' });
    expect(result.notes).toContain('2 license entries combined with AND');
  });

  it('lets a concluded entry win over declared ones', () => {
    const result = evaluate(cdx({ kind: 'id', id: 'GPL-3.0-only', acknowledgement: 'declared' }, { kind: 'id', id: 'MIT', acknowledgement: 'concluded' }));
    expect(result).toMatchObject({ expression: 'MIT', verdict: 'allow' });
    expect(result.notes).toContain('the concluded license used over the declared license');
  });

  it('SPDX: licenseConcluded, else licenseDeclared; NOASSERTION concluded falls back', () => {
    const spdx = (concluded: string, declared: string): ComponentLicenseData => ({
      source: 'spdx',
      choices: [expr(concluded, 'concluded'), expr(declared, 'declared')],
    });
    expect(evaluate(spdx('MIT', 'GPL-3.0-only'))).toMatchObject({ expression: 'MIT', verdict: 'allow' });
    const fallback = evaluate(spdx('NOASSERTION', 'GPL-3.0-only'));
    expect(fallback).toMatchObject({ expression: 'GPL-3.0-only', verdict: 'deny' });
    expect(fallback.notes[0]).toMatch(/licenseConcluded says nothing/);
    expect(evaluate(spdx('NOASSERTION', 'NOASSERTION'))).toMatchObject({ outcome: 'noassertion', verdict: 'review' });
    expect(evaluate({ source: 'spdx', choices: [expr('NONE', 'concluded'), expr('MIT', 'declared')] })).toMatchObject({ outcome: 'none', verdict: 'deny' });
  });

  it('has its own outcome for missing, NOASSERTION, NONE, empty, unparsable', () => {
    expect(evaluate(cdx())).toMatchObject({ outcome: 'missing', verdict: 'review', rule: { kind: 'outcome', outcome: 'missing' }, expression: null });
    expect(evaluate(cdx(expr('')))).toMatchObject({ outcome: 'missing', verdict: 'review' });
    expect(evaluate(cdx({ kind: 'name', name: '   ' }))).toMatchObject({ outcome: 'missing' });
    expect(ofExpression('NOASSERTION')).toMatchObject({ outcome: 'noassertion', verdict: 'review', rule: { kind: 'outcome', outcome: 'noassertion' } });
    expect(ofExpression('noassertion')).toMatchObject({ outcome: 'noassertion' });
    expect(ofExpression('NONE')).toMatchObject({ outcome: 'none', verdict: 'deny', rule: { kind: 'outcome', outcome: 'none' } });
    expect(ofExpression('MIT OR OR ISC')).toMatchObject({ outcome: 'unparsable', verdict: 'review', rule: { kind: 'outcome', outcome: 'unparsable' } });
  });

  it('never lets an unreadable entry hide a deny beside it', () => {
    const result = evaluate(cdx(expr('GPL-3.0-only'), expr('MIT AND (')));
    expect(result).toMatchObject({ outcome: 'unparsable', verdict: 'deny', expression: 'GPL-3.0-only' });
  });

  it('sets NOASSERTION aside when another entry states a license, and drops duplicates', () => {
    const result = evaluate(cdx({ kind: 'id', id: 'MIT' }, { kind: 'id', id: 'MIT' }, { kind: 'name', name: 'NOASSERTION' }));
    expect(result).toMatchObject({ expression: 'MIT', verdict: 'allow' });
    expect(result.notes).toEqual(['MIT is listed more than once', 'NOASSERTION / NONE entries set aside: other entries state a license']);
  });

  it('reads names: SPDX full names, aliases, expressions written as names; unknown names stay unknown', () => {
    expect(evaluate(cdx({ kind: 'name', name: 'the mit license' }))).toMatchObject({ expression: 'MIT', mappings: [{ method: 'alias' }] });
    const h2 = evaluate(cdx({ kind: 'name', name: 'MPL 2.0 or EPL 1.0' }));
    expect(h2).toMatchObject({ expression: 'MPL-2.0 OR EPL-1.0', verdict: 'allow', chosenBranch: 'EPL-1.0' });
    expect(h2.notes).toContain('an expression was written as a license name: "MPL 2.0 or EPL 1.0"');
    expect(evaluate(cdx({ kind: 'name', name: 'MIT OR Apache-2.0' }))).toMatchObject({ expression: 'MIT OR Apache-2.0' });
    expect(evaluate(cdx({ kind: 'name', name: 'Common Development and Distribution License' }))).toMatchObject({
      outcome: 'evaluated',
      expression: '"Common Development and Distribution License"',
      verdict: 'review',
      // Unversioned, so the name table marks it ambiguous (CDDL-1.0 or CDDL-1.1) and maps nothing.
      mappings: [{ method: 'ambiguous', to: '"Common Development and Distribution License"' }],
    });
    expect(evaluate(cdx({ kind: 'id', id: 'GPL-2.0-with-classpath-exception' }))).toMatchObject({ verdict: 'allow' });
  });

  it('rejects hostile input as too-large, never throwing', () => {
    const parens = `${'('.repeat(5000)}MIT${')'.repeat(5000)}`;
    const operators = `${'MIT AND '.repeat(10_000)}MIT`;
    for (const text of [parens, operators]) {
      expect(ofExpression(text)).toMatchObject({ outcome: 'too-large', verdict: 'deny', rule: { kind: 'outcome', outcome: 'tooLarge' } });
      expect(evaluate(cdx({ kind: 'name', name: text }))).toMatchObject({ outcome: 'too-large' });
    }
    const manyEntries = cdx(...Array.from({ length: 5000 }, () => ({ kind: 'id', id: 'MIT' }) as const));
    expect(evaluate(manyEntries)).toMatchObject({ outcome: 'too-large' });
  });
});
