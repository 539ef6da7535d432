import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { SbomComponent } from './component.js';
import { parseSbom } from './parse-sbom.js';

const corpus = (path: string): Buffer =>
  readFileSync(fileURLToPath(new URL(`../../../../test/fixtures/corpus/${path}`, import.meta.url)));

const identity = (c: SbomComponent) => JSON.stringify([c.ref, c.name, c.version, c.purl, c.license]);
/** The converters that made the twins reorder packages, so compare as sets. */
const identities = (components: SbomComponent[]) => components.map(identity).sort();

describe('SPDX tag-value (real files)', () => {
  it.each([
    'bom-shelter/flux_0.26.3_sbom',
    'bom-shelter/flagger_1.18.0_sbom',
    'bom-shelter/helm-controller_0.16.0_sbom',
    'bom-shelter/powershell',
  ])('%s.spdx yields exactly the components of its SPDX JSON twin', (stem) => {
    const tagValue = parseSbom(corpus(`${stem}.spdx`));
    const json = parseSbom(corpus(`${stem}.spdx.json`));
    expect(tagValue.format).toEqual({ ...json.format, encoding: 'tag-value' });
    expect(tagValue.documentId).toBe(json.documentId);
    expect(identities(tagValue.components)).toEqual(identities(json.components));
  });

  it('reads multi-line <text>, ExternalRef purl, concluded and declared (julia.spdx), and its LicenseID/LicenseName', () => {
    const parsed = parseSbom(corpus('bom-shelter/julia.spdx'));
    expect(parsed.components).toHaveLength(34);
    const suiteSparse = parsed.components.find((c) => c.ref === 'SPDXRef-LibSuiteSparse');
    expect(suiteSparse?.license.choices).toEqual([
      { kind: 'expression', expression: 'GPL-2.0-or-later', acknowledgement: 'concluded' },
      { kind: 'expression', expression: '(LGPL-2.0-or-later AND GPL-2.0-or-later AND BSD-3 AND Apache-2.0)', acknowledgement: 'declared' },
    ]);
    expect(parsed.extractedLicenses).toEqual(parseSbom(corpus('bom-shelter/julia.spdx.json')).extractedLicenses);
    expect(parsed.extractedLicenses?.[0]?.id).toMatch(/^LicenseRef-/u);
  });

  it('reads CR-only line ends (Dart sbom package) and trivy tag-value', () => {
    const cbor = parseSbom(corpus('bom-shelter/cbor-sbom.spdx'));
    expect(cbor.components.map((c) => [c.ref, c.version])).toEqual([['SPDXRef-Package-cbor', '5.0.0']]);
    const centos = parseSbom(corpus('trivy/centos-7-spdx.txt'));
    const refsAndPurls = (components: SbomComponent[]) => components.map((c) => [c.ref, c.purl, c.license.choices.length]);
    expect(refsAndPurls(centos.components)).toEqual(refsAndPurls(parseSbom(corpus('trivy/centos-7-spdx.json')).components));
  });

  it('names the line of an element it cannot read (vast: SPDXID before FileName)', () => {
    expect(() => parseSbom(corpus('bom-shelter/vast-sbom.spdx'))).toThrow(/tag-value failed validation at line 7: SPDXID is given twice/u);
  });
});

describe('SPDX 3.0 JSON-LD (real files)', () => {
  it.each([
    ['software_example14_spdx3.0_examplemaven-0.0.1-enriched.spdx3.json', 'software_example14_spdx2.3_examplemaven-0.0.1-enriched.spdx.json'],
    ['software_example9_spdx3.0_appbomination.spdx3.json', 'software_example9_spdx2.2_appbomination.spdx.json'],
    ['software_example4_spdx3.0_example4-bin.json', 'software_example4_spdx2.2_example4-bin.spdx'],
  ])('%s has the packages, versions, purls and license kinds of its SPDX 2 original', (v3, v2) => {
    const next = parseSbom(corpus(`spdx-examples/${v3}`));
    const before = parseSbom(corpus(`spdx-examples/${v2}`));
    expect(next.format).toEqual({ kind: 'spdx', encoding: 'json-ld', specVersion: '3.0.1' });
    // The converter rewrote some expressions (operand order, parentheses), so the license data compared is which fields are set.
    const shape = (c: SbomComponent) => JSON.stringify([c.name, c.version, c.purl, c.license.choices.map((choice) => choice.acknowledgement)]);
    expect(next.components.map(shape).sort()).toEqual(before.components.map(shape).sort());
  });

  it('example14 (Maven, enriched): the same license expressions, concluded and declared, as its SPDX 2.3 original', () => {
    const full = (c: SbomComponent) => JSON.stringify([c.name, c.version, c.purl, c.license.choices]);
    const next = parseSbom(corpus('spdx-examples/software_example14_spdx3.0_examplemaven-0.0.1-enriched.spdx3.json'));
    const before = parseSbom(corpus('spdx-examples/software_example14_spdx2.3_examplemaven-0.0.1-enriched.spdx.json'));
    expect(next.components.map(full).sort()).toEqual(before.components.map(full).sort());
    expect(next.components.some((c) => c.license.choices.some((choice) => choice.kind === 'expression' && choice.expression === 'Apache-2.0'))).toBe(true);
  });

  it('reads AI and dataset packages, inline duplicates, and custom licenses as extracted licenses', () => {
    const ai = parseSbom(corpus('spdx-examples/ai_example01_spdx3.0_simplehtr-example.json'));
    expect(ai.components).toHaveLength(13);
    expect(ai.extractedLicenses).toHaveLength(1);
    expect(parseSbom(corpus('spdx-examples/dataset_example01_spdx3.0_example01.spdx3.json')).components).toHaveLength(1);
  });
});

describe('gzip', () => {
  it('inflates gzip-compressed tag-value and JSON-LD transparently and says so in the format', () => {
    const flux = parseSbom(corpus('gzip/flux_0.26.3_sbom.spdx.gz'));
    expect(flux.format).toEqual({ kind: 'spdx', encoding: 'tag-value', specVersion: '2.2', compression: 'gzip' });
    expect(flux.components.map(identity)).toEqual(parseSbom(corpus('bom-shelter/flux_0.26.3_sbom.spdx')).components.map(identity));
    expect(parseSbom(corpus('gzip/example11-sbom.spdx3.json.gz')).format.encoding).toBe('json-ld');
  });

  it('inflates gzip-compressed CycloneDX XML (keycloak, with its line-broken license name)', () => {
    const xml = corpus('bom-examples/SBOM_keycloak-10.0.2_bom.xml');
    const parsed = parseSbom(gzipSync(xml));
    expect(parsed.format).toEqual({ kind: 'cyclonedx', encoding: 'xml', specVersion: '1.2', compression: 'gzip' });
    expect(parsed.components).toHaveLength(903);
    const servlet = parsed.components.find((c) => c.ref === 'pkg:maven/org.apache.tomcat/tomcat-servlet-api@7.0.92?type=jar');
    // xs:normalizedString: the line break became a space, the indentation stays.
    expect(servlet?.license.choices[0]).toMatchObject({ kind: 'name', name: expect.stringMatching(/^Apache License, Version 2\.0 and +Common Development/u) });
  });
});
