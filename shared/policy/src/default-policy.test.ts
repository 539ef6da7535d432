import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ComponentLicenseData,
  type LicenseChoice,
  type LicensePolicy,
  currentLicenseIds,
  evaluateLicenseData,
} from '@clearance/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicyDir } from './default-policy.js';
import { loadPolicyDir } from './load-policy-dir.js';

let policy: LicensePolicy;
beforeAll(async () => {
  // licenses.yaml alone, from a copy: the other files in policies/ are other tests' business.
  const dir = await mkdtemp(join(tmpdir(), 'clearance-default-'));
  try {
    await copyFile(join(defaultPolicyDir(), 'licenses.yaml'), join(dir, 'licenses.yaml'));
    policy = (await loadPolicyDir(dir)).licenses;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// The spdx-license-ids list, as core loads it.
const spdxIds = currentLicenseIds;
const categoryOf = (id: string): string | undefined =>
  Object.entries(policy.categories).find(([, category]) => category.licenses.includes(id))?.[0];

describe('the default license policy', () => {
  it('lists only real, current SPDX ids (and LicenseRefs that an alias reaches)', () => {
    const listed = [
      ...Object.values(policy.categories).flatMap((category) => category.licenses),
      ...Object.keys(policy.licenses),
      ...policy.exceptions.flatMap((rule) => rule.licenses),
    ];
    const refs = listed.filter((id) => id.startsWith('LicenseRef-'));
    expect(listed.filter((id) => !id.startsWith('LicenseRef-') && !spdxIds.has(id))).toEqual([]);
    const aliasTargets = new Set(Object.values(policy.aliases));
    expect(refs.filter((ref) => !aliasTargets.has(ref))).toEqual([]);
  });

  it('gives the verdicts a company shipping proprietary software needs', () => {
    const verdicts = Object.fromEntries(Object.entries(policy.categories).map(([name, category]) => [name, category.verdict]));
    expect(verdicts).toMatchObject({
      permissive: 'allow',
      'public-domain': 'allow',
      'weak-copyleft': 'review',
      'strong-copyleft': 'deny',
      'network-copyleft': 'deny',
      'non-commercial': 'deny',
      proprietary: 'review',
      unknown: 'review',
    });
    expect(policy.outcomes).toEqual({ missing: 'review', noassertion: 'review', none: 'review', unparsable: 'review', tooLarge: 'deny', noComponents: 'review' });
    expect(policy.multipleLicenses).toBe('all');
  });

  it('classifies every current GPL, LGPL, AGPL, MPL, EPL, CDDL, EUPL, OSL and CC id', () => {
    const families = /^(A?GPL|LGPL|MPL|EPL|CDDL|EUPL|OSL|CC-BY|CC0|GFDL)-/;
    const missing = [...spdxIds].filter((id) => families.test(id) && categoryOf(id) === undefined);
    // Jurisdiction ports of CC licenses (-AT, -DE, -IGO, …) are left to the unknown verdict on purpose.
    expect(missing.filter((id) => !/-(AT|AU|DE|FR|IGO|JP|NL|UK|US)$/.test(id))).toEqual([]);
  });

  it('puts the common ids where one expects them', () => {
    const expected: Record<string, string[]> = {
      permissive: ['MIT', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'ISC', 'Zlib', 'BSL-1.0', 'PostgreSQL', 'Python-2.0'],
      'public-domain': ['CC0-1.0', 'Unlicense', '0BSD', 'WTFPL', 'MIT-0'],
      'weak-copyleft': ['LGPL-2.1-only', 'LGPL-3.0-or-later', 'MPL-2.0', 'EPL-2.0', 'CDDL-1.1'],
      'strong-copyleft': ['GPL-2.0-only', 'GPL-3.0-or-later'],
      'network-copyleft': ['AGPL-3.0-only', 'SSPL-1.0', 'EUPL-1.2', 'OSL-3.0'],
      'non-commercial': ['CC-BY-NC-4.0', 'CC-BY-NC-SA-4.0', 'PolyForm-Noncommercial-1.0.0'],
      proprietary: ['BUSL-1.1', 'Elastic-2.0'],
    };
    for (const [category, ids] of Object.entries(expected)) {
      for (const id of ids) expect(categoryOf(id), id).toBe(category);
    }
  });
});

/** Every license entry of the real CycloneDX SBOMs in test/fixtures, read the way the SBOM parsers hand them over. */
const fixtureChoices = async (): Promise<Map<string, LicenseChoice[]>> => {
  interface CdxLicense {
    license?: { id?: string; name?: string };
    expression?: string;
  }
  interface CdxComponent {
    purl?: string;
    name: string;
    licenses?: CdxLicense[];
    components?: CdxComponent[];
  }
  const byComponent = new Map<string, LicenseChoice[]>();
  for (const file of ['dropwizard/bom.json', 'juice-shop/bom.1.4.json', 'laravel/bom.1.4.json']) {
    const url = new URL(`../../../test/fixtures/real-sboms/${file}`, import.meta.url);
    const bom = JSON.parse(await readFile(url, 'utf8')) as { components?: CdxComponent[] };
    const walk = (components: CdxComponent[] = []): void => {
      for (const component of components) {
        const choices = (component.licenses ?? []).map((entry): LicenseChoice => {
          if (entry.expression !== undefined) return { kind: 'expression', expression: entry.expression };
          if (entry.license?.id !== undefined) return { kind: 'id', id: entry.license.id };
          return { kind: 'name', name: entry.license?.name ?? '' };
        });
        byComponent.set(`${file} ${component.purl ?? component.name}`, choices);
        walk(component.components);
      }
    };
    walk(bom.components);
  }
  return byComponent;
};

describe('the default policy on real SBOMs', () => {
  it('recognizes every license written in the dropwizard, juice-shop and laravel SBOMs but the ambiguous names', async () => {
    const unknown = new Set<string>();
    const verdicts = { allow: 0, review: 0, deny: 0 };
    for (const choices of (await fixtureChoices()).values()) {
      const data: ComponentLicenseData = { source: 'cyclonedx', choices };
      const result = evaluateLicenseData(data, policy);
      expect(['evaluated', 'missing']).toContain(result.outcome);
      verdicts[result.verdict] += 1;
      for (const note of result.notes) {
        const match = /^"?(.+?)"? is not an SPDX id, alias or name/.exec(note);
        if (match?.[1] !== undefined) unknown.add(match[1]);
      }
    }
    // None says which version: a reviewer reads the component's license text.
    expect([...unknown].sort()).toEqual(['Apache Software Licenses', 'Common Development and Distribution License', 'GNU Lesser General Public License']);
    expect(verdicts.allow).toBeGreaterThan(1000);
    expect(verdicts.deny).toBeGreaterThan(0);
  });

  it('explains the dropwizard names it maps', () => {
    const name = (text: string) => evaluateLicenseData({ source: 'cyclonedx', choices: [{ kind: 'name', name: text }] }, policy);
    expect(name('GNU General Public License (GPL), version 2, with the Classpath exception')).toMatchObject({
      expression: 'GPL-2.0-only WITH Classpath-exception-2.0',
      verdict: 'allow',
      mappings: [{ method: 'known-name', source: 'policies/licenses.yaml aliases before issue 20 (names in dropwizard, juice-shop, Maven and npm metadata)' }],
    });
    expect(name('Eclipse Public License v2.0')).toMatchObject({ expression: 'EPL-2.0', verdict: 'review' });
    expect(name('MPL 2.0 or EPL 1.0')).toMatchObject({ expression: 'MPL-2.0 OR EPL-1.0', verdict: 'review', chosenBranch: 'MPL-2.0' });
    expect(name('BSD licence')).toMatchObject({ expression: 'LicenseRef-clearance-BSD-unversioned', verdict: 'allow' });
    expect(name('MIT/X11')).toMatchObject({ expression: 'MIT', verdict: 'allow' });
  });
});
