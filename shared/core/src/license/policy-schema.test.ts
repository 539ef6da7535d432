import { describe, expect, it } from 'vitest';
import { type LicensePolicyInput, licensePolicySchema, requiredLicenseCategories } from './policy-schema.js';

const category = (licenses: string[] = []) => ({ description: 'test', verdict: 'allow' as const, licenses });
const valid = (): LicensePolicyInput => ({
  schemaVersion: 1,
  outcomes: { missing: 'review', noassertion: 'review', none: 'review', unparsable: 'review', tooLarge: 'deny' },
  categories: Object.fromEntries(requiredLicenseCategories.map((name) => [name, category()])),
  waivers: { maxDays: 30, allowedVerdicts: ['allow'] },
});

const problemsOf = (input: unknown) => {
  const result = licensePolicySchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => [issue.path.join('.'), issue.message]);
};

describe('licensePolicySchema', () => {
  it('accepts a minimal policy and fills the optional parts', () => {
    const policy = licensePolicySchema.parse(valid());
    expect(policy).toMatchObject({ licenses: {}, exceptions: [], aliases: {} });
  });

  it('names the missing required category', () => {
    const input = valid();
    delete input.categories['network-copyleft'];
    expect(problemsOf(input)).toEqual([['categories', 'missing category "network-copyleft"']]);
  });

  it('rejects ids that are not current SPDX ids, at their index', () => {
    const input = valid();
    input.categories.permissive = category(['MIT', 'GPL-2.0', 'mit', 'Apache-2', 'LicenseRef-acme']);
    expect(problemsOf(input)).toEqual([
      ['categories.permissive.licenses.1', 'GPL-2.0 is a deprecated SPDX id: use GPL-2.0-only'],
      ['categories.permissive.licenses.2', 'mit is spelled MIT in SPDX'],
      ['categories.permissive.licenses.3', 'Apache-2 is not an SPDX license id (a license of your own must be named LicenseRef-…)'],
    ]);
  });

  it('rejects an id in two categories', () => {
    const input = valid();
    input.categories.permissive = category(['MIT']);
    input.categories.unknown = category(['MIT']);
    expect(problemsOf(input)).toEqual([['categories.unknown.licenses.0', 'MIT is already in category "permissive"']]);
  });

  it('checks exception rules, aliases and unknown keys', () => {
    const input = {
      ...valid(),
      exceptions: [{ licenses: ['GPL-2.0-only'], exception: 'Classpath-exception', verdict: 'allow', reason: 'x' }],
      aliases: { 'Apache 2': 'Apache-2.0', 'apache  2': 'Apache-2.0', MIT: 'MIT', Broken: 'MIT AND', Lax: 'gpl-2.0' },
      extra: true,
    };
    // Every problem at once, so one run of `policy validate` shows them all.
    expect(problemsOf(input)).toEqual([
      ['', 'Unrecognized key: "extra"'],
      ['exceptions.0.exception', 'Classpath-exception is not a current SPDX exception id'],
      ['aliases.apache  2', 'same alias as "Apache 2" (aliases ignore case and spacing)'],
      ['aliases.MIT', '"MIT" is an SPDX id already; an alias would never be used'],
      ['aliases.Broken', 'not an SPDX expression: expression ends with an operator'],
      ['aliases.Lax', 'write the target with current SPDX ids exactly (as GPL-2.0-only)'],
    ]);
  });
});
