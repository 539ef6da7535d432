import { describe, expect, it } from 'vitest';
import type { AppError} from '../errors/app-error.js';
import { isAppError } from '../errors/app-error.js';
import type { IntakeErrorDetails } from './intake-error.js';
import { acceptedFormats } from './intake-error.js';
import { parseSbom } from './parse-sbom.js';

const refusal = (input: Buffer | string): AppError => {
  try {
    parseSbom(input);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected parseSbom to refuse the input');
};
const reason = (error: AppError): string => (error.details as IntakeErrorDetails).reason;

describe('format detection by content', () => {
  it('reads SPDX tag-value by its content', () => {
    const parsed = parseSbom('SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n');
    expect(parsed.format).toEqual({ kind: 'spdx', encoding: 'tag-value', specVersion: '2.3' });
    expect(parsed.components).toEqual([]);
  });

  it.each([
    ['<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', 'SPDX RDF/XML'],
    ['<Document><spdxVersion>SPDX-2.3</spdxVersion><SPDXID>SPDXRef-DOCUMENT</SPDXID></Document>', 'SPDX XML'],
    ['spdxVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\n', 'SPDX YAML'],
    ['bomFormat: CycloneDX\nspecVersion: "1.5"\n', 'CycloneDX YAML'],
    ['<bom xmlns="http://cyclonedx.org/schema/bom/1.1"/>', 'CycloneDX 1.1 XML'],
    ['<bom xmlns="http://cyclonedx.org/schema/bom/1.0"/>', 'CycloneDX 1.0 XML'],
    ['{"bomFormat":"CycloneDX","specVersion":"1.1","components":[]}', 'CycloneDX 1.1'],
    ['{"spdxVersion":"SPDX-2.1","SPDXID":"SPDXRef-DOCUMENT","packages":[]}', 'SPDX 2.1 JSON'],
    ['SPDXVersion: SPDX-2.1\nSPDXID: SPDXRef-DOCUMENT\n', 'SPDX 2.1 tag-value'],
    [Buffer.concat([Buffer.from([0x0a, 0x03]), Buffer.from('1.5'), Buffer.from([0x10, 0x01, 0x1a, 0x00])]), 'CycloneDX 1.5 protobuf (binary)'],
    [Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'binary data (not a text SBOM)'],
  ])('refuses %s as an unsupported format (415), naming %s and what is accepted', (input, found) => {
    const error = refusal(input);
    expect(error.code).toBe('unsupported_media_type');
    expect(reason(error)).toBe('unsupported-format');
    expect(error.message).toBe(`${found} is not supported; accepted: ${acceptedFormats}`);
    expect(error.message).not.toMatch(/UTF-8|root </u);
  });

  it.each([
    ['{"licenseListVersion":"3.21","licenses":[{"licenseId":"MIT"}]}', 'SPDX license list'],
    ['{"src/main.c":[{"id":"none","server":{"version":"5"}}]}', 'SCANOSS'],
    ['["MIT","Apache-2.0"]', 'JSON array of strings'],
    ['{"name":"my-app","dependencies":{}}', 'no "bomFormat" or "spdxVersion"'],
    ['{"@context":"https://schema.org/","@graph":[]}', 'JSON-LD without an SPDX 3.0 @context'],
    ['{"specVersion":"1.6","components":[]}', '"bomFormat": "CycloneDX" is missing'],
    ['<html><body>login</body></html>', 'HTML page'],
    ['<bom xmlns="http://example.com/bom"/>', 'not http://cyclonedx.org/schema/bom/1.x'],
    ['hello world', 'neither JSON nor XML'],
    ['42', 'neither JSON nor XML'],
  ])('refuses %s naming %s', (input, named) => {
    const error = refusal(input);
    expect(error.code).toBe('unprocessable');
    expect(error.message).toContain(named);
  });

  it.each([
    ['', 'empty'],
    ['   \n\t ', 'empty'],
    ['{"bomFormat":"CycloneDX","specVersion":"2.0","components":[]}', 'unsupported-version'],
    ['{"bomFormat":"CycloneDX","specVersion":1.6,"components":[]}', 'unsupported-version'],
    ['<bom xmlns="http://cyclonedx.org/schema/bom/2.0"/>', 'unsupported-version'],
    ['{"bomFormat":"CycloneDX","specVersion":"1.6",', 'invalid-json'],
  ])('refuses %j as %s', (input, expected) => {
    expect(reason(refusal(input))).toBe(expected);
  });

  it('detects JSON and XML regardless of leading whitespace', () => {
    expect(parseSbom('\n  {"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}').format.kind).toBe('cyclonedx');
    expect(parseSbom('\n  <bom xmlns="http://cyclonedx.org/schema/bom/1.5"/>').format).toEqual({
      kind: 'cyclonedx',
      encoding: 'xml',
      specVersion: '1.5',
    });
  });
});

describe('CycloneDX components', () => {
  const bom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
    version: 1,
    metadata: { component: { type: 'application', name: 'us', licenses: [{ license: { id: 'MIT' } }] } },
    components: [
      {
        type: 'library',
        'bom-ref': 'outer',
        name: 'outer',
        version: '1.0.0',
        purl: 'pkg:npm/outer@1.0.0',
        licenses: [
          { license: { id: 'MIT', acknowledgement: 'declared' } },
          { license: { name: 'Apache Software License', acknowledgement: 'concluded' } },
        ],
        components: [
          {
            type: 'library',
            name: 'middle',
            licenses: [{ expression: 'GPL-2.0-only WITH Classpath-exception-2.0' }],
            components: [{ type: 'library', name: 'inner' }],
          },
        ],
      },
      { type: 'library', name: 'sibling' },
    ],
  };

  it('walks nested components depth first with their parents, skipping metadata.component', () => {
    const parsed = parseSbom(JSON.stringify(bom));
    expect(parsed.documentId).toBe(bom.serialNumber);
    expect(parsed.components.map((c) => [c.name, c.parents, c.ref])).toEqual([
      ['outer', [], 'outer'],
      ['middle', ['outer'], 'components[0].components[0]'],
      ['inner', ['outer', 'middle'], 'components[0].components[0].components[0]'],
      ['sibling', [], 'components[1]'],
    ]);
    expect(parsed.components[0]).toMatchObject({ version: '1.0.0', purl: 'pkg:npm/outer@1.0.0' });
    expect(parsed.components[3]).toMatchObject({ version: null, purl: null, license: { source: 'cyclonedx', choices: [] } });
  });

  it('keeps every license entry as written, with its acknowledgement', () => {
    const [outer, middle] = parseSbom(JSON.stringify(bom)).components;
    expect(outer?.license.choices).toEqual([
      { kind: 'id', id: 'MIT', acknowledgement: 'declared' },
      { kind: 'name', name: 'Apache Software License', acknowledgement: 'concluded' },
    ]);
    expect(middle?.license.choices).toEqual([{ kind: 'expression', expression: 'GPL-2.0-only WITH Classpath-exception-2.0' }]);
  });

  it('refuses a bom-ref used twice, nested or in metadata', () => {
    const twice = structuredClone(bom);
    const middle = twice.components[0]?.components?.[0] as Record<string, unknown>;
    middle['bom-ref'] = 'outer';
    expect(refusal(JSON.stringify(twice)).message).toContain('bom-ref "outer" at /components/0/components/0 is already used at /components/0');
    const meta = structuredClone(bom) as Record<string, unknown> & typeof bom;
    (meta.metadata.component as Record<string, unknown>)['bom-ref'] = 'outer';
    expect(reason(refusal(JSON.stringify(meta)))).toBe('duplicate-ref');
  });

  it('refuses a repeated dependency ref or target', () => {
    const withDeps = (dependencies: unknown) => JSON.stringify({ ...bom, dependencies });
    expect(refusal(withDeps([{ ref: 'outer' }, { ref: 'outer' }])).message).toContain('repeats the dependency ref "outer"');
    expect(refusal(withDeps([{ ref: 'outer', dependsOn: ['x', 'x'] }])).message).toContain('lists "x" twice');
    expect(parseSbom(withDeps([{ ref: 'outer', dependsOn: ['x'] }, { ref: 'x' }])).components).toHaveLength(4);
  });

  it('reports the most specific schema error with the allowed values', () => {
    const wrong = structuredClone(bom);
    (wrong.components[1] as Record<string, unknown>).type = 'gadget';
    const error = refusal(JSON.stringify(wrong));
    expect(error.message).toMatch(/^CycloneDX 1\.6 JSON failed schema validation: \/components\/1\/type must be one of "application", /);
    expect(reason(error)).toBe('schema');
  });

  it('maps XML licenses, acknowledgements and nested components like JSON', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
      <bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="${bom.serialNumber}" version="1">
        <components>
          <component type="library" bom-ref="outer">
            <name>outer</name><version>1.0.0</version>
            <licenses>
              <license acknowledgement="declared"><id>MIT</id></license>
              <license acknowledgement="concluded"><name>Apache Software License</name></license>
            </licenses>
            <purl>pkg:npm/outer@1.0.0</purl>
            <components>
              <component type="library"><name>middle</name>
                <licenses><expression>GPL-2.0-only WITH Classpath-exception-2.0</expression></licenses>
                <components><component type="library"><name>inner</name></component></components>
              </component>
            </components>
          </component>
          <component type="library"><name>sibling</name></component>
        </components>
      </bom>`;
    const fromXml = parseSbom(xml);
    const fromJson = parseSbom(JSON.stringify(bom));
    expect(fromXml.format).toEqual({ kind: 'cyclonedx', encoding: 'xml', specVersion: '1.6' });
    expect(fromXml.documentId).toBe(bom.serialNumber);
    expect(fromXml.components).toEqual(fromJson.components);
  });

  it('ignores extension elements in other namespaces but refuses unknown CycloneDX elements', () => {
    const withExtension = `<bom xmlns="http://cyclonedx.org/schema/bom/1.6" xmlns:x="urn:example">
      <components><component type="library"><name>a</name><x:note>fine</x:note></component></components></bom>`;
    expect(parseSbom(withExtension).components).toHaveLength(1);
    const unknown = withExtension.replace('<x:note>fine</x:note>', '<note>not in the spec</note>');
    expect(refusal(unknown).message).toContain('unknown element <note>');
  });
});

describe('SPDX JSON', () => {
  const document = {
    spdxVersion: 'SPDX-2.2',
    SPDXID: 'SPDXRef-DOCUMENT',
    documentNamespace: 'https://example.com/spdx/app-1',
    packages: [
      {
        SPDXID: 'SPDXRef-a',
        name: 'a',
        versionInfo: '1.0',
        licenseDeclared: 'MIT',
        externalRefs: [
          { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:x:a:1.0' },
          { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:npm/a@1.0' },
        ],
      },
      { SPDXID: 'SPDXRef-b', name: 'b', licenseConcluded: 'NOASSERTION', licenseDeclared: 'NONE' },
    ],
  };

  it('maps packages; concluded and declared stay as written', () => {
    const parsed = parseSbom(JSON.stringify(document));
    expect(parsed.format).toEqual({ kind: 'spdx', encoding: 'json', specVersion: '2.2' });
    expect(parsed.documentId).toBe(document.documentNamespace);
    expect(parsed.components).toEqual([
      {
        ref: 'SPDXRef-a',
        name: 'a',
        version: '1.0',
        purl: 'pkg:npm/a@1.0',
        parents: [],
        license: { source: 'spdx', choices: [{ kind: 'expression', expression: 'MIT', acknowledgement: 'declared' }] },
      },
      {
        ref: 'SPDXRef-b',
        name: 'b',
        version: null,
        purl: null,
        parents: [],
        license: {
          source: 'spdx',
          choices: [
            { kind: 'expression', expression: 'NOASSERTION', acknowledgement: 'concluded' },
            { kind: 'expression', expression: 'NONE', acknowledgement: 'declared' },
          ],
        },
      },
    ]);
  });

  it('accepts a document with no packages key (syft, for an image without packages) as zero components', () => {
    const parsed = parseSbom(JSON.stringify({ ...document, packages: undefined }));
    expect(parsed.components).toEqual([]);
    expect(parsed.extractedLicenses).toBeUndefined();
  });

  it('carries hasExtractedLicensingInfos as document-level extracted licenses, NOASSERTION names as null', () => {
    const withInfos = {
      ...document,
      hasExtractedLicensingInfos: [
        { licenseId: 'LicenseRef-1', extractedText: 'text', name: 'CyberNeko License' },
        { licenseId: 'LicenseRef-2', extractedText: 'text', name: 'NOASSERTION' },
        { licenseId: 'LicenseRef-3', extractedText: 'text' },
      ],
    };
    expect(parseSbom(JSON.stringify(withInfos)).extractedLicenses).toEqual([
      { id: 'LicenseRef-1', name: 'CyberNeko License' },
      { id: 'LicenseRef-2', name: null },
      { id: 'LicenseRef-3', name: null },
    ]);
  });

  it.each([
    [{ ...document, SPDXID: undefined }, '/SPDXID'],
    [{ ...document, packages: [{ SPDXID: 'SPDXRef-a' }] }, '/packages/0/name'],
    [{ ...document, packages: [{ name: 'a' }] }, '/packages/0/SPDXID'],
    [{ ...document, packages: [{ SPDXID: 'SPDXRef-a', name: 'a', licenseConcluded: 7 }] }, '/packages/0/licenseConcluded'],
  ])('refuses a document missing what we rely on (%#)', (input, path) => {
    const error = refusal(JSON.stringify(input));
    expect(error.message).toContain('SPDX 2.2 JSON failed validation: ');
    expect(error.message).toContain(path);
  });

  it('refuses a repeated package SPDXID', () => {
    const twice = { ...document, packages: [document.packages[0], document.packages[0]] };
    expect(reason(refusal(JSON.stringify(twice)))).toBe('duplicate-ref');
  });
});
