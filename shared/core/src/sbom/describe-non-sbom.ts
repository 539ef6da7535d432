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
  if (typeof object['@context'] !== 'undefined' && typeof object['@graph'] !== 'undefined') {
    return 'JSON-LD (SPDX 3?); export SPDX 2.3 JSON or CycloneDX instead';
  }
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

/** Text that is neither JSON nor XML. */
export const describeText = (text: string): string => {
  const head = text.slice(0, 4096);
  // YAML first: its `SPDXID: SPDXRef-…` lines look like tag-value too.
  if (/^\s*spdxVersion:\s*['"]?SPDX-/mu.test(head)) return 'SPDX YAML; convert to SPDX JSON';
  if (/^\s*SPDXVersion:\s*SPDX-/mu.test(head) || /^\s*SPDXID:\s*SPDXRef-/mu.test(head)) {
    return 'SPDX tag-value; convert to SPDX JSON';
  }
  if (/^\s*bomFormat:\s*['"]?CycloneDX/mu.test(head)) return 'CycloneDX in YAML; use the JSON or XML encoding';
  return 'neither JSON nor XML';
};

/** An XML root element (local name and namespace) that is not a CycloneDX `bom`. */
export const describeXmlRoot = (name: string, namespace: string | null): string => {
  if (name === 'RDF' || namespace === 'http://www.w3.org/1999/02/22-rdf-syntax-ns#') return 'SPDX RDF/XML; convert to SPDX JSON';
  if (name.toLowerCase() === 'html') return 'an HTML page';
  if (name === 'SoftwareIdentity') return 'a SWID tag, not an SBOM';
  return `an XML document with root <${name.slice(0, 60)}>`;
};
