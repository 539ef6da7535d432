import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSbom } from './parse-sbom.js';

const fixture = (path: string): Buffer =>
  readFileSync(fileURLToPath(new URL(`../../../../test/fixtures/${path}`, import.meta.url)));

describe('real SBOMs', () => {
  it.each([
    ['real-sboms/dropwizard/bom.json', 'json', '1.2', 167, true],
    ['real-sboms/dropwizard/bom.xml', 'xml', '1.2', 167, true],
    ['real-sboms/juice-shop/bom.1.2.json', 'json', '1.2', 1115, false],
    ['real-sboms/juice-shop/bom.1.4.json', 'json', '1.4', 1115, false],
    ['real-sboms/juice-shop/bom.1.4.xml', 'xml', '1.4', 1115, false],
    ['real-sboms/laravel/bom.1.4.json', 'json', '1.4', 62, false],
    ['real-sboms/laravel/bom.1.4.xml', 'xml', '1.4', 62, false],
  ] as const)('%s: CycloneDX %s %s with %i components', (path, encoding, specVersion, count, hasSerial) => {
    const parsed = parseSbom(fixture(path));
    expect(parsed.format).toEqual({ kind: 'cyclonedx', encoding, specVersion });
    expect(parsed.components).toHaveLength(count);
    if (hasSerial) expect(parsed.documentId).toMatch(/^urn:uuid:/);
    else expect(parsed.documentId).toBeNull();
  });

  it.each(['real-sboms/juice-shop/bom.1.4.json', 'real-sboms/juice-shop/bom.1.4.xml'])('%s: npm scopes stay in the names (@babel/parser, not parser)', (path) => {
    const components = parseSbom(fixture(path)).components;
    const scoped = components.find((component) => component.purl?.startsWith('pkg:npm/%40babel/helper-string-parser@') === true);
    expect(scoped?.name).toBe('@babel/helper-string-parser');
    // Every scoped purl names its component with the scope; unscoped ones keep their plain names.
    const scopedPurls = components.filter((component) => component.purl?.startsWith('pkg:npm/%40') === true);
    expect(scopedPurls.length).toBeGreaterThan(50);
    for (const component of scopedPurls) expect(component.name).toMatch(/^@[^/]+\/[^/]+$/);
    expect(components.find((component) => component.purl?.startsWith('pkg:npm/express@') === true)?.name).toBe('express');
  });

  // The XML twins were generated separately; where their data differs, so may we.
  const knownDifferences: Record<string, string[]> = {
    // bom.json has an expression; bom.xml has no <licenses> for it at all.
    'real-sboms/dropwizard/bom.xml': ['pkg:maven/org.glassfish.hk2/osgi-resource-locator@1.0.1?type=jar'],
  };

  it.each([
    ['real-sboms/juice-shop/bom.1.4.json', 'real-sboms/juice-shop/bom.1.4.xml'],
    ['real-sboms/dropwizard/bom.json', 'real-sboms/dropwizard/bom.xml'],
    ['real-sboms/laravel/bom.1.4.json', 'real-sboms/laravel/bom.1.4.xml'],
  ])('%s and its XML twin yield the same components', (json, xml) => {
    const fromJson = parseSbom(fixture(json)).components;
    const fromXml = parseSbom(fixture(xml)).components;
    const skip = new Set(knownDifferences[xml] ?? []);
    const differing = fromJson.filter((component, index) => JSON.stringify(component) !== JSON.stringify(fromXml[index]));
    expect(differing.map((component) => component.ref)).toEqual([...skip]);
    expect(fromXml.map((c) => c.ref)).toEqual(fromJson.map((c) => c.ref));
  });

  it('keeps license names where an id belongs (dropwizard gives names)', () => {
    const { components } = parseSbom(fixture('real-sboms/dropwizard/bom.json'));
    const kinds = new Set(components.flatMap((c) => c.license.choices.map((choice) => choice.kind)));
    expect(kinds.has('name')).toBe(true);
  });

  it('SPDX 2.3 example: every package, concluded and declared expressions', () => {
    const parsed = parseSbom(fixture('spdx/SPDXJSONExample-v2.3.spdx.json'));
    expect(parsed.format).toEqual({ kind: 'spdx', encoding: 'json', specVersion: '2.3' });
    expect(parsed.documentId).toBe('http://spdx.org/spdxdocs/spdx-example-444504E0-4F89-41D3-9A0C-0305E82C3301');
    expect(parsed.components.map((c) => c.name)).toEqual(['glibc', 'Apache Commons Lang', 'Jena', 'Saxon']);
    const glibc = parsed.components[0];
    expect(glibc?.ref).toBe('SPDXRef-Package');
    expect(glibc?.version).toBe('2.11.1');
    expect(glibc?.license).toEqual({
      source: 'spdx',
      choices: [
        { kind: 'expression', expression: '(LGPL-2.0-only OR LicenseRef-3)', acknowledgement: 'concluded' },
        { kind: 'expression', expression: '(LGPL-2.0-only AND LicenseRef-3)', acknowledgement: 'declared' },
      ],
    });
    const jena = parsed.components[2];
    expect(jena?.purl).toBe('pkg:maven/org.apache.jena/apache-jena@3.12.0');
    expect(jena?.license.choices).toEqual([]);
  });
});
