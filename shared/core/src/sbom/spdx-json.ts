import { z } from 'zod';
import type { ExtractedLicense, LicenseChoice, ParsedSbom, SbomComponent } from './component.js';
import { acceptedFormats, intakeError, unsupportedFormat } from './intake-error.js';
import type { SbomLimits } from './limits.js';

/**
 * SPDX 2.2/2.3 JSON, checked with the strictness real files bear: what we rely
 * on is required (document SPDXID, packages with SPDXID and name), the rest of
 * the spec's required fields (creationInfo, dataLicense, downloadLocation, …)
 * are not, because common generators omit them and they do not change a
 * license verdict. `z.object` strips unknown keys instead of copying them, so
 * nothing from the input is assigned onto our objects by key.
 */
const spdxExternalRef = z.object({
  referenceType: z.string(),
  referenceLocator: z.string(),
});

const spdxPackage = z.object({
  SPDXID: z.string().min(1),
  name: z.string(),
  versionInfo: z.string().optional(),
  licenseConcluded: z.string().optional(),
  licenseDeclared: z.string().optional(),
  copyrightText: z.string().optional(),
  externalRefs: z.array(spdxExternalRef).optional(),
});

const spdxExtractedLicense = z.object({
  licenseId: z.string().min(1),
  extractedText: z.string(),
  name: z.string(),
});

const spdxDocument = z.object({
  spdxVersion: z.string(),
  SPDXID: z.string().min(1),
  documentNamespace: z.string().optional(),
  // Optional: syft writes no `packages` key for an image without packages, and 2.3 allows it.
  packages: z.array(spdxPackage).optional(),
  // Only display and the NOTICE read names and texts: a malformed entry loses them, never the verdict.
  hasExtractedLicensingInfos: z.array(spdxExtractedLicense.partial().catch({})).optional().catch(undefined),
});

export const spdxVersions = ['SPDX-2.2', 'SPDX-2.3'] as const;

/** Every SPDX 2 serialization we read maps to the JSON model first, so they share one validation. */
export type Spdx2Encoding = 'json' | 'tag-value';
const encodingLabel: Record<Spdx2Encoding, string> = { json: 'JSON', 'tag-value': 'tag-value' };

/**
 * Every package is a component, the one the document DESCRIBES included:
 * unlike CycloneDX's separate `metadata.component`, SPDX lists its subject as
 * an ordinary package, and that subject is often the inbound code itself (the
 * spec's own example describes glibc). A root that is our own product shows up
 * as one finding a reviewer can waive, which beats silently skipping it.
 * Files and snippets are not components.
 */
export const parseSpdxJson = (document: Record<string, unknown>, encoding: Spdx2Encoding, limits: SbomLimits): ParsedSbom => {
  const version = document.spdxVersion;
  const label = checkSpdxVersion(version, encoding);
  const packages = document.packages;
  if (Array.isArray(packages) && packages.length > limits.maxComponents) {
    throw intakeError('too-many-components', `SBOM has ${packages.length} packages; the limit is ${limits.maxComponents}`, {
      limit: limits.maxComponents,
    });
  }
  const parsed = spdxDocument.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `/${issue.path.map(String).join('/')}` : '/';
    throw intakeError('schema', `${label} failed validation: ${where} ${issue?.message ?? 'is invalid'}`, {
      format: 'spdx',
      encoding,
      specVersion: version,
      errors: parsed.error.issues.slice(0, 10).map((i) => ({ path: `/${i.path.map(String).join('/')}`, message: i.message })),
    });
  }
  return spdx2Sbom(parsed.data, encoding);
};

/** "SPDX 2.3 tag-value" for a version we read; a 415 naming an SPDX version we do not, a 422 for one that never existed. */
export const checkSpdxVersion = (version: unknown, encoding: Spdx2Encoding): string => {
  if (typeof version === 'string' && /^SPDX-[0-9]+\.[0-9]+$/u.test(version)) {
    const label = `${version.replace('SPDX-', 'SPDX ')} ${encodingLabel[encoding]}`;
    if (!(spdxVersions as readonly string[]).includes(version)) throw unsupportedFormat(label, { specVersion: version });
    return label;
  }
  throw intakeError('unsupported-version', `SPDX version ${JSON.stringify(version)} is not supported; accepted: ${acceptedFormats}`, {
    format: 'spdx',
    specVersion: typeof version === 'string' ? version.slice(0, 40) : null,
  });
};

export type Spdx2Document = z.infer<typeof spdxDocument>;

/**
 * A validated SPDX 2 document → components. Tag-value builds this model
 * itself (every field a string by construction), so it skips the zod copy
 * that JSON needs: one object per package fewer at 100k packages.
 */
export const spdx2Sbom = (document: Spdx2Document, encoding: Spdx2Encoding): ParsedSbom => {
  const label = checkSpdxVersion(document.spdxVersion, encoding);
  const seen = new Set<string>();
  const components = (document.packages ?? []).map((pkg, index): SbomComponent => {
    if (seen.has(pkg.SPDXID)) {
      throw intakeError('duplicate-ref', `${label} failed validation: /packages/${index} repeats SPDXID ${JSON.stringify(pkg.SPDXID)}`, {
        ref: pkg.SPDXID,
        path: `/packages/${index}`,
      });
    }
    seen.add(pkg.SPDXID);
    return {
      ref: pkg.SPDXID,
      name: pkg.name,
      version: pkg.versionInfo ?? null,
      purl: pkg.externalRefs?.find((ref) => ref.referenceType === 'purl')?.referenceLocator ?? null,
      parents: [],
      license: { source: 'spdx', choices: spdxChoices(pkg.licenseConcluded, pkg.licenseDeclared) },
      ...(pkg.copyrightText !== undefined && !['', 'NOASSERTION', 'NONE'].includes(pkg.copyrightText.trim()) ? { copyright: pkg.copyrightText } : {}),
    };
  });
  const infos = document.hasExtractedLicensingInfos ?? [];
  const extracted = infos.flatMap((info) => (info.licenseId === undefined ? [] : [extractedLicense(info.licenseId, info.name)]));
  const licenseTexts = infos.flatMap((info) =>
    info.licenseId === undefined || info.extractedText === undefined ? [] : [{ license: info.licenseId, text: info.extractedText }],
  );
  return {
    format: { kind: 'spdx', encoding, specVersion: document.spdxVersion.slice('SPDX-'.length) },
    documentId: document.documentNamespace ?? null,
    components,
    ...(extracted.length > 0 ? { extractedLicenses: extracted } : {}),
    ...(licenseTexts.length > 0 ? { licenseTexts } : {}),
  };
};

/** NOASSERTION (or an empty name) is "no name given", not a name. */
const extractedLicense = (id: string, rawName: string | undefined): ExtractedLicense => {
  const name = rawName?.trim();
  return { id, name: name === undefined || name === '' || name === 'NOASSERTION' ? null : name };
};

/** Both fields as written (NOASSERTION and NONE included); the evaluator prefers concluded. */
const spdxChoices = (concluded: string | undefined, declared: string | undefined): LicenseChoice[] => {
  const choices: LicenseChoice[] = [];
  if (concluded !== undefined) choices.push({ kind: 'expression', expression: concluded, acknowledgement: 'concluded' });
  if (declared !== undefined) choices.push({ kind: 'expression', expression: declared, acknowledgement: 'declared' });
  return choices;
};
