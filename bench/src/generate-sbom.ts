import { licenseCatalog, seededRandom, skewedPicker, type LicenseData } from './license-mix.js';

/**
 * Generated SBOMs of `count` components in the shape real generators write —
 * bom-ref/SPDXID, name, version, purl, a hash, licenses and a dependency
 * graph (each component depends on up to three earlier ones) — in each
 * format the SBOM benchmark measures. Every format carries the same
 * components and license mix, so their rows compare the readers alone.
 */
export const benchFormats = ['cyclonedx-json', 'spdx-tag-value', 'spdx3-jsonld'] as const;
export type BenchFormat = (typeof benchFormats)[number];

interface BenchComponent {
  name: string;
  version: string;
  purl: string;
  hash: string;
  licenses: LicenseData;
  dependsOn: number[];
}

const componentsOf = (count: number): BenchComponent[] => {
  const random = seededRandom(count);
  const catalog = licenseCatalog();
  const nextLicense = skewedPicker(catalog.length, random);
  const components: BenchComponent[] = [];
  for (let i = 0; i < count; i++) {
    const name = `package-${i.toString(36)}`;
    const version = `${i % 7}.${i % 13}.${i % 31}`;
    const dependsOn = new Set<number>();
    for (let d = 0; d < 3 && i > 0; d++) dependsOn.add(Math.floor(random() * i));
    components.push({
      name,
      version,
      purl: `pkg:npm/${name}@${version}`,
      hash: (i * 2654435761).toString(16).padStart(8, '0').repeat(8).slice(0, 64),
      licenses: catalog[nextLicense()] ?? null,
      dependsOn: [...dependsOn],
    });
  }
  return components;
};

export const generateSbom = (format: BenchFormat, count: number): string => {
  const components = componentsOf(count);
  switch (format) {
    case 'cyclonedx-json':
      return cycloneDx(components);
    case 'spdx-tag-value':
      return spdxTagValue(components);
    case 'spdx3-jsonld':
      return spdx3JsonLd(components);
  }
};

const cycloneDx = (components: BenchComponent[]): string =>
  JSON.stringify({
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
    version: 1,
    metadata: {
      timestamp: '2026-01-01T00:00:00Z',
      component: { type: 'application', 'bom-ref': 'root', name: 'benchmark-app', version: '1.0.0' },
    },
    components: components.map((c) => ({
      type: 'library',
      'bom-ref': c.purl,
      name: c.name,
      version: c.version,
      purl: c.purl,
      hashes: [{ alg: 'SHA-256', content: c.hash }],
      ...(c.licenses ? { licenses: c.licenses } : {}),
    })),
    dependencies: components.map((c) => ({ ref: c.purl, dependsOn: c.dependsOn.map((d) => components[d]?.purl) })),
  });

/**
 * SPDX has no "license name" field: a name becomes a LicenseRef- with an
 * extracted licensing info naming it, as SPDX generators write them;
 * several entries are one AND expression; none is NOASSERTION.
 */
const spdxExpression = (licenses: LicenseData, refs: Map<string, string>): string => {
  if (!licenses) return 'NOASSERTION';
  const parts = licenses.map((entry) => {
    if ('expression' in entry) return entry.expression;
    if ('id' in entry.license) return entry.license.id;
    const { name } = entry.license;
    let ref = refs.get(name);
    if (ref === undefined) {
      ref = `LicenseRef-${refs.size + 1}`;
      refs.set(name, ref);
    }
    return ref;
  });
  return parts.length === 1 ? (parts[0] ?? 'NOASSERTION') : parts.map((part) => `(${part})`).join(' AND ');
};

/** A multi-line <text> copyright per package, LicenseID blocks at the end, as tools-golang writes them. */
const spdxTagValue = (components: BenchComponent[]): string => {
  const refs = new Map<string, string>();
  const lines = [
    'SPDXVersion: SPDX-2.3',
    'DataLicense: CC0-1.0',
    'SPDXID: SPDXRef-DOCUMENT',
    'DocumentName: benchmark-app',
    'DocumentNamespace: https://example.com/spdx/benchmark-app-1.0.0',
    'Creator: Tool: clearance-bench',
    'Created: 2026-01-01T00:00:00Z',
  ];
  components.forEach((c, i) => {
    lines.push(
      '',
      `PackageName: ${c.name}`,
      `SPDXID: SPDXRef-Package-${i}`,
      `PackageVersion: ${c.version}`,
      'PackageDownloadLocation: NOASSERTION',
      'FilesAnalyzed: false',
      `PackageLicenseConcluded: NOASSERTION`,
      `PackageLicenseDeclared: ${spdxExpression(c.licenses, refs)}`,
      'PackageCopyrightText: <text>Copyright (c) the authors\nof this package</text>',
      `ExternalRef: PACKAGE-MANAGER purl ${c.purl}`,
    );
  });
  // One dependency each (not up to three) and no checksums keep 100k packages within the 50 MB upload limit.
  components.forEach((c, i) => {
    const [first] = c.dependsOn;
    if (first !== undefined) lines.push(`Relationship: SPDXRef-Package-${i} DEPENDS_ON SPDXRef-Package-${first}`);
  });
  for (const [name, ref] of refs) lines.push('', `LicenseID: ${ref}`, `ExtractedText: <text>${name}</text>`, `LicenseName: ${name}`);
  return `${lines.join('\n')}\n`;
};

/**
 * Sized like what tools write, within the 50 MB upload limit at 100k
 * packages: one LicenseExpression element per distinct expression (shared,
 * as generators deduplicate them), one hasDeclaredLicense relationship per
 * package; hashes and dependency relationships are left out for size.
 */
const spdx3JsonLd = (components: BenchComponent[]): string => {
  const refs = new Map<string, string>();
  const expressions = new Map<string, string>();
  const base = 'urn:bench:';
  const graph: unknown[] = [
    { type: 'CreationInfo', '@id': '_:ci', specVersion: '3.0.1', created: '2026-01-01T00:00:00Z', createdBy: [`${base}tool`] },
    { type: 'Tool', spdxId: `${base}tool`, creationInfo: '_:ci', name: 'clearance-bench' },
    { type: 'SpdxDocument', spdxId: `${base}document`, creationInfo: '_:ci', rootElement: [`${base}p0`] },
  ];
  components.forEach((c, i) => {
    const id = `${base}p${i}`;
    const expression = spdxExpression(c.licenses, refs);
    let license = expressions.get(expression);
    if (license === undefined) {
      license = `${base}l${expressions.size}`;
      expressions.set(expression, license);
      graph.push({ type: 'simplelicensing_LicenseExpression', spdxId: license, creationInfo: '_:ci', simplelicensing_licenseExpression: expression });
    }
    graph.push(
      { type: 'software_Package', spdxId: id, creationInfo: '_:ci', name: c.name, software_packageVersion: c.version, software_packageUrl: c.purl },
      { type: 'Relationship', spdxId: `${id}d`, creationInfo: '_:ci', from: id, relationshipType: 'hasDeclaredLicense', to: [license] },
    );
  });
  for (const [name, ref] of refs) graph.push({ type: 'expandedlicensing_CustomLicense', spdxId: `${base}${ref}`, creationInfo: '_:ci', name, expandedlicensing_licenseText: name });
  return JSON.stringify({ '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': graph });
};
