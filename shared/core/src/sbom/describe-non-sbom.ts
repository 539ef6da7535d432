/**
 * A short phrase naming what a non-SBOM input looks like, so the error says
 * "looks like SPDX tag-value" instead of just "invalid". Heuristics only decide
 * the wording of a refusal, never whether something is accepted.
 */
export const describeJsonValue = (value: unknown): string => {
  if (Array.isArray(value)) {
    return value.length > 0 && value.every((item) => typeof item === 'string')
      ? 'a JSON array of strings (a license or package list?)'
      : 'a JSON array, not a document object';
  }
  if (value === null || typeof value !== 'object') return `a bare JSON ${value === null ? 'null' : typeof value}`;
  const object = value as Record<string, unknown>;
  if (typeof object['@context'] !== 'undefined') return 'JSON-LD without an SPDX 3.0 @context';
  if ('licenseListVersion' in object && Array.isArray(object.licenses)) return 'the SPDX license list, not an SBOM';
  if (looksLikeScanoss(object)) return 'SCANOSS scan output; export an SBOM (CycloneDX or SPDX) from it instead';
  if ('SPDXVersion' in object || 'spdxversion' in object) return 'SPDX with a misspelled "spdxVersion" key';
  const keys = Object.keys(object).slice(0, 5).map((key) => JSON.stringify(key.slice(0, 40)));
  return keys.length === 0
    ? 'an empty JSON object'
    : `a JSON object with keys ${keys.join(', ')} and no "bomFormat" or "spdxVersion"`;
};

/** SCANOSS output maps file paths to arrays of match objects with an `id` like "none" | "file" | "snippet". */
const looksLikeScanoss = (object: Record<string, unknown>): boolean => {
  const values = Object.values(object).slice(0, 5);
  return (
    values.length > 0 &&
    values.every(
      (v) =>
        Array.isArray(v) &&
        v.every((m: unknown) => m !== null && typeof m === 'object' && 'id' in m && ('matched' in m || 'status' in m || m.id === 'none')),
    )
  );
};

/** What a text that is neither JSON nor XML is: tag-value we read, a format we refuse, or neither. */
export type TextKind = { kind: 'tag-value' } | { kind: 'unsupported'; found: string } | { kind: 'unknown'; description: string };

export const classifyText = (text: string): TextKind => {
  const head = text.slice(0, 4096);
  // YAML first: its `SPDXID: SPDXRef-…` lines look like tag-value too.
  if (/^\s*spdxVersion:\s*['"]?SPDX-/mu.test(head)) return { kind: 'unsupported', found: 'SPDX YAML' };
  if (/^\s*SPDXVersion:\s*SPDX-/mu.test(head) || /^\s*SPDXID:\s*SPDXRef-/mu.test(head)) return { kind: 'tag-value' };
  if (/^\s*bomFormat:\s*['"]?CycloneDX/mu.test(head)) return { kind: 'unsupported', found: 'CycloneDX YAML' };
  return { kind: 'unknown', description: 'neither JSON nor XML' };
};

/** An XML root element that is a known SBOM format we do not read, or null. */
export const unsupportedXmlRoot = (name: string, namespace: string | null, childNames: readonly string[]): string | null => {
  if (name === 'RDF' || namespace === 'http://www.w3.org/1999/02/22-rdf-syntax-ns#') return 'SPDX RDF/XML';
  // SPDX XML (tools-java, spdx/spdx-examples) has a namespace-less <Document> or <SpdxDocument> holding <spdxVersion>.
  if ((name === 'Document' || name === 'SpdxDocument') && childNames.some((child) => child === 'spdxVersion' || child === 'SPDXID')) {
    return 'SPDX XML';
  }
  return null;
};

/** An XML root element (local name and namespace) that is no SBOM at all. */
export const describeXmlRoot = (name: string): string => {
  if (name.toLowerCase() === 'html') return 'an HTML page';
  if (name === 'SoftwareIdentity') return 'a SWID tag, not an SBOM';
  return `an XML document with root <${name.slice(0, 60)}>`;
};
