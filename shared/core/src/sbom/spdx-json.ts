import { z } from 'zod';
import type { LicenseChoice, ParsedSbom, SbomComponent } from './component.js';
import { intakeError } from './intake-error.js';
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

const spdxDocument = z.object({
  spdxVersion: z.string(),
  SPDXID: z.string().min(1),
  documentNamespace: z.string().optional(),
  packages: z.array(spdxPackage),
  // Only the NOTICE reads these texts: a malformed entry loses its text, never the verdict.
  hasExtractedLicensingInfos: z.array(z.object({ licenseId: z.string(), extractedText: z.string() }).partial().catch({})).optional().catch(undefined),
});

export const spdxVersions = ['SPDX-2.2', 'SPDX-2.3'] as const;

/**
 * Every package is a component, the one the document DESCRIBES included:
 * unlike CycloneDX's separate `metadata.component`, SPDX lists its subject as
 * an ordinary package, and that subject is often the inbound code itself (the
 * spec's own example describes glibc). A root that is our own product shows up
 * as one finding a reviewer can waive, which beats silently skipping it.
 * Files and snippets are not components.
 */
export const parseSpdxJson = (document: Record<string, unknown>, limits: SbomLimits): ParsedSbom => {
  const version = document.spdxVersion;
  const label = typeof version === 'string' ? version.replace('SPDX-', 'SPDX ') : 'SPDX';
  if (!(spdxVersions as readonly unknown[]).includes(version)) {
    throw intakeError(
      'unsupported-version',
      `SPDX version ${JSON.stringify(version)} is not supported (SPDX-2.2 and SPDX-2.3 JSON are)`,
      { format: 'spdx', specVersion: typeof version === 'string' ? version : null },
    );
  }
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
    throw intakeError('schema', `${label} JSON failed validation: ${where} ${issue?.message ?? 'is invalid'}`, {
      format: 'spdx',
      encoding: 'json',
      specVersion: version,
      errors: parsed.error.issues.slice(0, 10).map((i) => ({ path: `/${i.path.map(String).join('/')}`, message: i.message })),
    });
  }
  const seen = new Set<string>();
  const components = parsed.data.packages.map((pkg, index): SbomComponent => {
    if (seen.has(pkg.SPDXID)) {
      throw intakeError('duplicate-ref', `${label} JSON failed validation: /packages/${index} repeats SPDXID ${JSON.stringify(pkg.SPDXID)}`, {
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
  const licenseTexts = (parsed.data.hasExtractedLicensingInfos ?? []).flatMap((info) =>
    info.licenseId === undefined || info.extractedText === undefined ? [] : [{ license: info.licenseId, text: info.extractedText }],
  );
  return {
    format: { kind: 'spdx', encoding: 'json', specVersion: (version as string).slice('SPDX-'.length) },
    documentId: parsed.data.documentNamespace ?? null,
    components,
    ...(licenseTexts.length > 0 ? { licenseTexts } : {}),
  };
};

/** Both fields as written (NOASSERTION and NONE included); the evaluator prefers concluded. */
const spdxChoices = (concluded: string | undefined, declared: string | undefined): LicenseChoice[] => {
  const choices: LicenseChoice[] = [];
  if (concluded !== undefined) choices.push({ kind: 'expression', expression: concluded, acknowledgement: 'concluded' });
  if (declared !== undefined) choices.push({ kind: 'expression', expression: declared, acknowledgement: 'declared' });
  return choices;
};
