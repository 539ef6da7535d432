import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ComponentFinding, type LicensePolicy, evaluateSbom, parseSbom } from '@clearance/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicyDir } from './default-policy.js';
import { loadPolicyDir } from './load-policy-dir.js';

let policy: LicensePolicy;
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'clearance-semantics-'));
  try {
    await copyFile(join(defaultPolicyDir(), 'licenses.yaml'), join(dir, 'licenses.yaml'));
    policy = (await loadPolicyDir(dir)).licenses;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

const fixture = (path: string): Promise<Buffer> => readFile(new URL(`../../../test/fixtures/${path}`, import.meta.url));
const options = { waivers: [], now: new Date('2026-06-01T00:00:00Z'), policyVersion: 'test' };
const evaluateFile = async (path: string, using: LicensePolicy = policy) => {
  const parsed = parseSbom(await fixture(path));
  return evaluateSbom(parsed.components, using, options);
};
const byPurl = (findings: readonly ComponentFinding[], purl: string): ComponentFinding => {
  const found = findings.find((finding) => finding.purl === purl);
  if (found === undefined) throw new Error(`no finding for ${purl}`);
  return found;
};
const component = (purl: string | null, choices: ComponentFinding['raw']['choices']) => ({
  ref: 'c',
  name: 'c',
  version: null,
  purl,
  parents: [],
  license: { source: 'cyclonedx' as const, choices },
});

describe('several license entries on one component', () => {
  it('reads a Maven component\'s licenses as a choice (dropwizard: rabbitmq amqp-client "ASL 2.0", "GPL v2", MPL-1.1)', async () => {
    const { findings } = await evaluateFile('real-sboms/dropwizard/bom.json');
    const amqp = byPurl(findings, 'pkg:maven/com.rabbitmq/amqp-client@4.4.1?type=jar');
    expect(amqp).toMatchObject({
      expression: 'Apache-2.0 OR GPL-2.0-only OR MPL-1.1',
      verdict: 'allow',
      chosenBranch: 'Apache-2.0',
      combination: { selection: 'all', join: 'maven-choice', from: 'licenses', splitLists: 0 },
      decidedBy: { kind: 'rule', rule: { kind: 'category', category: 'permissive', license: 'Apache-2.0' } },
    });
    expect(amqp.notes).toContain('3 license entries combined with OR: a Maven POM lists licenses to choose from');
    // CDDL-1.1 or GPL-2.0 with the Classpath exception: the choice is the weak copyleft one.
    expect(byPurl(findings, 'pkg:maven/javax.ws.rs/javax.ws.rs-api@2.0.1?type=jar')).toMatchObject({
      verdict: 'allow',
      chosenBranch: 'GPL-2.0-only WITH Classpath-exception-2.0',
    });
  });

  it('lets a concluded license win over declared ones (CycloneDX 1.7 spec: declared/concluded mix)', async () => {
    const parsed = parseSbom(await fixture('cyclonedx-spec/1.7/valid-license-declared-concluded-mix-1.7.json'));
    const { findings } = evaluateSbom(parsed.components, policy, options);
    expect(findings.map((f) => [f.name, f.expression, f.verdict, f.combination.selection])).toEqual([
      ['situation-A', 'MIT OR PostgreSQL OR Apache-2.0', 'allow', 'concluded-over-declared'],
      ['situation-B', 'GPL-3.0-only AND LGPL-2.0-only', 'deny', 'concluded-over-declared'],
      ['situation-C', 'GPL-3.0-only', 'deny', 'concluded-over-declared'],
      ['situation-D', 'GPL-3.0-only', 'deny', 'concluded-over-declared'],
      ['situation-E', 'MIT AND PostgreSQL AND Apache-2.0', 'allow', 'concluded-over-declared'],
    ]);
  });

  it('otherwise follows multipleLicenses: all (the default) is AND, any is OR', () => {
    const choices = [
      { kind: 'id' as const, id: 'MIT' },
      { kind: 'id' as const, id: 'GPL-3.0-only' },
    ];
    const all = evaluateSbom([component('pkg:npm/x@1', choices)], policy, options).findings[0];
    expect(all).toMatchObject({ expression: 'MIT AND GPL-3.0-only', verdict: 'deny', combination: { join: 'policy-all' } });
    const anyPolicy: LicensePolicy = { ...policy, multipleLicenses: 'any' };
    const any = evaluateSbom([component('pkg:npm/x@1', choices)], anyPolicy, options).findings[0];
    expect(any).toMatchObject({ expression: 'MIT OR GPL-3.0-only', verdict: 'allow', combination: { join: 'policy-any' } });
    expect(any?.notes).toContain('2 license entries combined with OR (policy multipleLicenses: any)');
  });
});

describe('evidence.licenses', () => {
  it('is used when a component states no license (cyclonedx-gomod: minikube 1.23.1, 137 components)', async () => {
    const { findings, counts } = await evaluateFile('real-sboms/cyclonedx-gomod/bin_minikube-v1.23.1.bom.json');
    expect(counts.total).toBe(137);
    const fromEvidence = findings.filter((f) => f.combination.from === 'evidence');
    expect(fromEvidence).toHaveLength(132);
    expect(findings.filter((f) => f.outcome === 'missing')).toHaveLength(5);
    expect(fromEvidence.every((f) => f.notes.includes('licenses taken from evidence.licenses: the component states none itself'))).toBe(true);
    expect(counts).toMatchObject({ allow: 125, review: 12, deny: 0 });
  });

  it("gives a module's packages the module's license (cyclonedx-gomod: harp, 705 components, licenses on the 152 modules only)", async () => {
    const { findings } = evaluateSbom(
      parseSbom(await fixture('corpus/bom-shelter/harp-darwin-amd64.sbom.json')).components,
      policy,
      options,
    );
    const age = findings.filter((f) => f.version === 'v1.0.0' && (f.name === 'filippo.io/age' || f.name.startsWith('filippo.io/age/')));
    expect(age.map((f) => f.name).sort()).toEqual([
      'filippo.io/age', 'filippo.io/age', 'filippo.io/age/armor', 'filippo.io/age/internal/bech32', 'filippo.io/age/internal/format', 'filippo.io/age/internal/stream',
    ]);
    // The module states BSD-Source-Code in evidence; each of its packages inherits it and says so.
    expect(age.map((f) => [f.expression, f.combination.from])).toEqual(
      expect.arrayContaining([['BSD-Source-Code', 'evidence'], ...Array(5).fill(['BSD-Source-Code', 'enclosing'])]),
    );
    const inherited = findings.filter((f) => f.combination.from === 'enclosing');
    expect(inherited.every((f) => f.notes.includes('license of the enclosing module: this package of it states none itself'))).toBe(true);
  });

  it('never gives a nested component of another version the enclosing license', () => {
    const parsed = parseSbom(
      Buffer.from(
        JSON.stringify({
          bomFormat: 'CycloneDX',
          specVersion: '1.5',
          components: [{ type: 'library', name: 'app', version: '1', licenses: [{ license: { id: 'MIT' } }], components: [
            { type: 'library', name: 'app/sub', version: '1' },
            { type: 'library', name: 'app/vendored', version: '2' },
            { type: 'library', name: 'other', version: '1' },
          ] }],
        }),
      ),
    );
    expect(parsed.components.map((c) => [c.name, c.license.choices.length, c.license.from ?? 'licenses'])).toEqual([
      ['app', 1, 'licenses'], ['app/sub', 1, 'enclosing'], ['app/vendored', 0, 'licenses'], ['other', 0, 'licenses'],
    ]);
  });

  it('never overrides licenses the component states', () => {
    const parsed = parseSbom(
      Buffer.from(
        JSON.stringify({
          bomFormat: 'CycloneDX',
          specVersion: '1.5',
          components: [{ type: 'library', name: 'x', licenses: [{ license: { id: 'MIT' } }], evidence: { licenses: [{ license: { id: 'GPL-3.0-only' } }] } }],
        }),
      ),
    );
    expect(parsed.components[0]?.license).toEqual({ source: 'cyclonedx', choices: [{ kind: 'id', id: 'MIT' }] });
  });
});

describe('comma- and slash-separated lists', () => {
  // Values of real package metadata (termux-packages TERMUX_PKG_LICENSE for rpm,
  // thunar, neon; Cargo's old "MIT/Apache-2.0"), as Trivy copies them into SBOMs.
  const one = (name: string, purl = 'pkg:generic/x@1', using = policy) =>
    evaluateSbom([component(purl, [{ kind: 'name', name }])], using, options).findings[0];

  it('splits a list whose every part maps, and joins it by the rule for several entries', () => {
    expect(one('GPL-2.0, LGPL-2.0')).toMatchObject({
      outcome: 'evaluated',
      expression: 'GPL-2.0-only AND LGPL-2.0-only',
      verdict: 'deny',
      combination: { join: 'policy-all', splitLists: 1 },
    });
    expect(one('GPL-2.0, LGPL-2.0')?.notes).toContain('"GPL-2.0, LGPL-2.0" read as a list of 2 licenses');
    expect(one('MIT/Apache-2.0')).toMatchObject({ expression: 'MIT AND Apache-2.0', verdict: 'allow' });
    expect(one('MIT/Apache-2.0', 'pkg:maven/a/b@1')).toMatchObject({ expression: 'MIT OR Apache-2.0', combination: { join: 'maven-choice' } });
    // Written as an expression, the same list is no longer "unparsable".
    const asExpression = evaluateSbom([component(null, [{ kind: 'expression', expression: 'GPL-2.0, LGPL-2.0' }])], policy, options).findings[0];
    expect(asExpression).toMatchObject({ outcome: 'evaluated', expression: 'GPL-2.0-only AND LGPL-2.0-only' });
  });

  it('maps first: names that hold a comma or slash are read whole, and a list with an unknown part is not split', () => {
    expect(one('LGPL, version 2.1')).toMatchObject({ expression: 'LGPL-2.1-only', combination: { splitLists: 0 } });
    expect(one('MIT/X11')).toMatchObject({ expression: 'MIT', combination: { splitLists: 0 } });
    expect(one('Apache License, Version 2.0')).toMatchObject({ expression: 'Apache-2.0', combination: { splitLists: 0 } });
    const partly = one('MIT, Acme Internal License');
    expect(partly).toMatchObject({ verdict: 'review', combination: { splitLists: 0 } });
    expect(partly?.expression).toBe('"MIT, Acme Internal License"');
  });
});

describe('SPDX extracted licensing info', () => {
  // The SPDX 2.3 JSON example's hasExtractedLicensingInfos, as the SPDX readers hand them over.
  const extractedLicenses = [
    { id: 'LicenseRef-1', name: null },
    { id: 'LicenseRef-Beerware-4.2', name: 'Beer-Ware License (Version 42)' },
    { id: 'LicenseRef-3', name: 'CyberNeko License' },
    { id: 'LicenseRef-9', name: 'Apache License 2.0' },
  ];
  const spdx = (expression: string) => ({
    ref: 'SPDXRef-x',
    name: 'x',
    version: null,
    purl: null,
    parents: [],
    license: { source: 'spdx' as const, choices: [{ kind: 'expression' as const, expression, acknowledgement: 'concluded' as const }] },
  });

  it('maps a LicenseRef through the name the document gives it, and says so', () => {
    const [apache, beer] = evaluateSbom([spdx('LicenseRef-9'), spdx('MIT AND LicenseRef-Beerware-4.2')], policy, { ...options, extractedLicenses }).findings;
    expect(apache).toMatchObject({
      expression: 'Apache-2.0',
      verdict: 'allow',
      mappings: [
        { from: 'LicenseRef-9', to: 'LicenseRef-9', method: 'exact' },
        { from: 'LicenseRef-9', to: 'Apache-2.0', method: 'extracted-name', source: 'Apache License 2.0' },
      ],
    });
    expect(beer).toMatchObject({ expression: 'MIT AND Beerware', verdict: 'allow' });
  });

  it('keeps a LicenseRef whose name maps to nothing, naming it for the reviewer; without the document\'s names nothing changes', () => {
    const [neko] = evaluateSbom([spdx('LGPL-2.0-only OR LicenseRef-3')], policy, { ...options, extractedLicenses }).findings;
    expect(neko).toMatchObject({ expression: 'LGPL-2.0-only OR LicenseRef-3', verdict: 'review' });
    expect(neko?.notes).toContain('LicenseRef-3 is "CyberNeko License" (the document\'s extracted licensing info)');
    expect(evaluateSbom([spdx('LicenseRef-9')], policy, options).findings[0]).toMatchObject({ expression: 'LicenseRef-9', verdict: 'review' });
  });
});
