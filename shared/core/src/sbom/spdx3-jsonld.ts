import type { ExtractedLicense, LicenseAcknowledgement, LicenseChoice, ParsedSbom, SbomComponent } from './component.js';
import { intakeError, unsupportedFormat } from './intake-error.js';
import type { SbomLimits } from './limits.js';
import { customLicenseId, spdx3LicenseExpression, type Spdx3Graph } from './spdx3-licenses.js';

/**
 * SPDX 3.0.x in its JSON-LD serialization, read as the plain JSON the spec's
 * own context makes of it (compacted, `spdxId`/`type` aliases, elements in
 * `@graph`), never through a JSON-LD processor: that would fetch the
 * `@context` URL, and expansion of a hostile graph is unbounded.
 *
 * What we read (Software and Licensing profiles): every `software_Package`
 * is a component; its licenses are the `hasConcludedLicense` /
 * `hasDeclaredLicense` Relationships from it to license elements. Elements
 * are referenced by `spdxId` or written inline; both are resolved through
 * one index. Graph size is bounded by the component limit; license trees by
 * the depth limit (see spdx3-licenses.ts).
 */
const contextPattern = /spdx\.org\/rdf\/3\.0(?:\.(\d+))?\//u;

/** An object whose `@context` is (or lists) an SPDX 3.0 context. */
export const isSpdx3Document = (document: Record<string, unknown>): boolean => spdx3ContextVersion(document['@context']) !== null;

const spdx3ContextVersion = (context: unknown): string | null => {
  const candidates = Array.isArray(context) ? context : [context];
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    const match = contextPattern.exec(candidate);
    if (match) return match[1] === undefined ? '3.0' : `3.0.${match[1]}`;
  }
  return null;
};

type Element = Record<string, unknown>;

const typeOf = (element: Element): string | null => {
  const type = element.type ?? element['@type'];
  return typeof type === 'string' ? type : null;
};

const idOf = (element: Element): string | null => {
  const id = element.spdxId ?? element['@id'];
  return typeof id === 'string' ? id : null;
};

const relationshipKinds: Readonly<Record<string, LicenseAcknowledgement>> = {
  hasConcludedLicense: 'concluded',
  hasDeclaredLicense: 'declared',
};

export const parseSpdx3JsonLd = (document: Record<string, unknown>, limits: SbomLimits): ParsedSbom => {
  const contextVersion = spdx3ContextVersion(document['@context']) ?? '3.0';
  const rawGraph = document['@graph'];
  const elements: unknown[] = Array.isArray(rawGraph) ? rawGraph : [document];
  // Packages, their relationships and license elements: a few elements per component.
  const maxElements = limits.maxComponents * 10;
  if (elements.length > maxElements) {
    throw intakeError('too-many-components', `SPDX 3 graph has ${elements.length} elements; the limit is ${maxElements}`, { limit: maxElements });
  }
  const graph: Spdx3Graph = { byId: new Map(), maxDepth: limits.maxDepth };
  const packages: Element[] = [];
  const relationships: Element[] = [];
  const custom: ExtractedLicense[] = [];
  let specVersion: string | null = null;
  let documentId: string | null = null;
  for (const [index, item] of elements.entries()) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw schemaError(`/@graph/${index} is not an object`);
    }
    const element = item as Element;
    const id = idOf(element);
    if (id !== null) {
      const earlier = graph.byId.get(id);
      // JSON-LD merges a node written twice; the same element twice is harmless, two different ones are ambiguous.
      if (earlier !== undefined) {
        if (JSON.stringify(earlier) === JSON.stringify(element)) continue;
        throw intakeError('duplicate-ref', `SPDX 3 JSON-LD failed validation: /@graph/${index} repeats spdxId ${JSON.stringify(id.slice(0, 200))} with different content`, {
          ref: id.slice(0, 200),
        });
      }
      graph.byId.set(id, element);
    }
    switch (typeOf(element)) {
      // The AI and Dataset profiles' packages are software_Package subclasses.
      case 'software_Package':
      case 'ai_AIPackage':
      case 'dataset_DatasetPackage':
        if (packages.length >= limits.maxComponents) {
          throw intakeError('too-many-components', `SBOM has more than ${limits.maxComponents} packages; the limit is ${limits.maxComponents}`, {
            limit: limits.maxComponents,
          });
        }
        packages.push(element);
        break;
      case 'Relationship':
      case 'LifecycleScopedRelationship':
        relationships.push(element);
        break;
      case 'CreationInfo':
        if (typeof element.specVersion === 'string') specVersion ??= element.specVersion;
        break;
      case 'SpdxDocument':
        documentId ??= id;
        break;
      case 'expandedlicensing_CustomLicense':
        if (id !== null) custom.push({ id: customLicenseId(id), name: typeof element.name === 'string' ? element.name : null });
        break;
      default:
    }
  }
  const version = specVersion ?? contextVersion;
  if (!/^3\.0(\.\d+)?$/u.test(version)) throw unsupportedFormat(`SPDX ${version.slice(0, 20)} JSON-LD`, { specVersion: version.slice(0, 20) });

  const licensesOf = licensesByPackage(relationships, graph);
  const components = packages.map((pkg, index): SbomComponent => {
    const ref = idOf(pkg);
    if (ref === null) throw schemaError(`software_Package #${index + 1} has no spdxId`);
    if (typeof pkg.name !== 'string') throw schemaError(`software_Package ${JSON.stringify(ref.slice(0, 200))} has no name`);
    return {
      ref,
      name: pkg.name,
      version: typeof pkg.software_packageVersion === 'string' ? pkg.software_packageVersion : null,
      purl: purlOf(pkg, graph),
      parents: [],
      license: { source: 'spdx', choices: licensesOf.get(ref) ?? [] },
    };
  });
  return {
    format: { kind: 'spdx', encoding: 'json-ld', specVersion: version },
    documentId,
    components,
    ...(custom.length > 0 ? { extractedLicenses: custom } : {}),
  };
};

/** Concluded before declared, as in SPDX 2, so the evaluator's preference reads the same. */
const licensesByPackage = (relationships: Element[], graph: Spdx3Graph): Map<string, LicenseChoice[]> => {
  const concluded = new Map<string, LicenseChoice[]>();
  const declared = new Map<string, LicenseChoice[]>();
  for (const relationship of relationships) {
    const acknowledgement = typeof relationship.relationshipType === 'string' ? relationshipKinds[relationship.relationshipType] : undefined;
    if (acknowledgement === undefined) continue;
    const from = reference(relationship.from);
    if (from === null) throw schemaError(`${relationship.relationshipType as string} relationship has no "from"`);
    const targets = Array.isArray(relationship.to) ? (relationship.to as unknown[]) : [relationship.to];
    const into = acknowledgement === 'concluded' ? concluded : declared;
    for (const target of targets) {
      const expression = spdx3LicenseExpression(target, graph);
      const list = into.get(from) ?? [];
      list.push({ kind: 'expression', expression, acknowledgement });
      into.set(from, list);
    }
  }
  for (const [ref, list] of declared) concluded.set(ref, [...(concluded.get(ref) ?? []), ...list]);
  return concluded;
};

/** `from` is an spdxId or an inline element. */
const reference = (value: unknown): string | null => {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return idOf(value as Element);
  return null;
};

const purlOf = (pkg: Element, graph: Spdx3Graph): string | null => {
  if (typeof pkg.software_packageUrl === 'string') return pkg.software_packageUrl;
  const identifiers = Array.isArray(pkg.externalIdentifier) ? (pkg.externalIdentifier as unknown[]) : [];
  for (const raw of identifiers) {
    const identifier = typeof raw === 'string' ? graph.byId.get(raw) : raw;
    if (identifier === null || typeof identifier !== 'object') continue;
    const { externalIdentifierType, identifier: value } = identifier as Element;
    if (externalIdentifierType === 'packageUrl' && typeof value === 'string') return value;
  }
  return null;
};

const schemaError = (message: string) =>
  intakeError('schema', `SPDX 3 JSON-LD failed validation: ${message}`, { format: 'spdx', encoding: 'json-ld' });
