/**
 * How people read an SBOM's format, e.g. "CycloneDX 1.6 JSON": the one
 * label the CLI's reports and the web UI show. Free of imports so the browser
 * bundle can take it alone (`@clearance/contract/labels`).
 */
export const sbomFormatLabel = (format: { kind: string; encoding: string; specVersion: string }): string =>
  `${format.kind === 'cyclonedx' ? 'CycloneDX' : 'SPDX'} ${format.specVersion} ${format.encoding.toUpperCase()}`;
