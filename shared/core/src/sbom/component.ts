/**
 * A component as every SBOM format reduces to it: enough to identify it and
 * its license data as written, before any interpretation.
 */
export type LicenseAcknowledgement = 'declared' | 'concluded';

export type LicenseChoice =
  | { kind: 'id'; id: string; acknowledgement?: LicenseAcknowledgement }
  | { kind: 'name'; name: string; acknowledgement?: LicenseAcknowledgement }
  | { kind: 'expression'; expression: string; acknowledgement?: LicenseAcknowledgement };

export interface ComponentLicenseData {
  source: 'cyclonedx' | 'spdx';
  /** Empty when the component states no license at all. */
  choices: LicenseChoice[];
  /**
   * `evidence`: the choices come from CycloneDX `evidence.licenses`, the component stating none itself.
   * `enclosing`: a sub-package stating none takes the license of the module that encloses it.
   */
  from?: 'evidence' | 'enclosing';
}

export interface SbomComponent {
  /** bom-ref (CycloneDX) or SPDXID (SPDX); a path-derived ref when absent. */
  ref: string;
  name: string;
  version: string | null;
  purl: string | null;
  /** Names of the enclosing components, outermost first (nested CycloneDX components). */
  parents: string[];
  license: ComponentLicenseData;
  /** CycloneDX `copyright`, SPDX `copyrightText` (not NOASSERTION/NONE), as written. */
  copyright?: string;
  /** CycloneDX `license.text` of entries given by name (a LicenseRef or unlisted license), decoded. */
  licenseTexts?: LicenseText[];
}

/** A license text an SBOM carries itself, under the id or name its expressions use. */
export interface LicenseText {
  license: string;
  text: string;
}

/** `compression` is present only when the upload was gzip-compressed. */
export type SbomFormat =
  | { kind: 'cyclonedx'; encoding: 'json' | 'xml'; specVersion: string; compression?: 'gzip' }
  | { kind: 'spdx'; encoding: 'json' | 'tag-value' | 'json-ld'; specVersion: string; compression?: 'gzip' };

/**
 * A `LicenseRef-…` the document defines itself (SPDX 2 `hasExtractedLicensingInfos`,
 * tag-value `LicenseID`/`LicenseName`; SPDX 3 `expandedlicensing_CustomLicense`):
 * its id as used in expressions and the name the document gives it, if any.
 */
export interface ExtractedLicense {
  id: string;
  name: string | null;
}

export interface ParsedSbom {
  format: SbomFormat;
  /** serialNumber / documentNamespace (SPDX 3: the SpdxDocument's spdxId) when present. */
  documentId: string | null;
  components: SbomComponent[];
  /** SPDX only, and only when the document defines any. */
  extractedLicenses?: ExtractedLicense[];
  /** SPDX `hasExtractedLicensingInfos` (tag-value `ExtractedText`) texts of the document's own LicenseRefs. */
  licenseTexts?: LicenseText[];
}
