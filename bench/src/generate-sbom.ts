import { licenseCatalog, seededRandom, skewedPicker } from './license-mix.js';

/**
 * A CycloneDX 1.6 JSON SBOM of `count` components in the shape npm and Maven
 * generators write: bom-ref, name, version, purl, a hash, licenses, and a
 * dependency graph (each component depends on up to three earlier ones).
 */
export const generateCycloneDx = (count: number): string => {
  const random = seededRandom(count);
  const catalog = licenseCatalog();
  const nextLicense = skewedPicker(catalog.length, random);
  const components: unknown[] = [];
  const dependencies: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const name = `package-${i.toString(36)}`;
    const version = `${i % 7}.${i % 13}.${i % 31}`;
    const ref = `pkg:npm/${name}@${version}`;
    const licenses = catalog[nextLicense()];
    const hash = (i * 2654435761).toString(16).padStart(8, '0').repeat(8).slice(0, 64);
    components.push({
      type: 'library',
      'bom-ref': ref,
      name,
      version,
      purl: ref,
      hashes: [{ alg: 'SHA-256', content: hash }],
      ...(licenses ? { licenses } : {}),
    });
    const dependsOn = new Set<string>();
    for (let d = 0; d < 3 && i > 0; d++) {
      const target = Math.floor(random() * i);
      dependsOn.add(`pkg:npm/package-${target.toString(36)}@${target % 7}.${target % 13}.${target % 31}`);
    }
    dependencies.push({ ref, dependsOn: [...dependsOn] });
  }
  return JSON.stringify({
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
    version: 1,
    metadata: {
      timestamp: '2026-01-01T00:00:00Z',
      component: { type: 'application', 'bom-ref': 'root', name: 'benchmark-app', version: '1.0.0' },
    },
    components,
    dependencies,
  });
};
