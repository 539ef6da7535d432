import type { ParsedSbom } from './component.js';
import { isCycloneDxVersion } from './cyclonedx-schemas.js';
import { finishCycloneDx } from './cyclonedx-validate.js';
import { parseCycloneDxXml } from './cyclonedx-xml.js';
import { decodeInput } from './decode-input.js';
import { describeJsonValue, describeText } from './describe-non-sbom.js';
import { intakeError } from './intake-error.js';
import { scanJsonStructure } from './json-structure-scan.js';
import { resolveSbomLimits, type SbomLimits } from './limits.js';
import { parseSpdxJson } from './spdx-json.js';

/**
 * Bytes of an uploaded SBOM → its components, or an AppError naming what was
 * wrong (never another exception). The format comes from the content, never
 * from a file name: CycloneDX 1.2–1.7 JSON or XML, SPDX 2.2/2.3 JSON.
 * Pure apart from reading the CycloneDX schema files once; no network, ever
 * (a `$schema` URL in the input is data, nothing fetches it).
 */
export const parseSbom = (bytes: Buffer | string, limits?: Partial<SbomLimits>): ParsedSbom => {
  const resolved = resolveSbomLimits(limits);
  const text = decodeInput(bytes, resolved);
  const first = text.trimStart().charAt(0);
  if (first === '{' || first === '[') return parseJsonSbom(text, resolved);
  if (first === '<') return parseCycloneDxXml(text, resolved);
  throw intakeError('not-an-sbom', `not an SBOM: looks like ${describeText(text)}`);
};

const parseJsonSbom = (text: string, limits: SbomLimits): ParsedSbom => {
  scanJsonStructure(text, limits.maxDepth);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw intakeError('invalid-json', `invalid JSON: ${message}`, {}, error);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw intakeError('not-an-sbom', `not an SBOM: looks like ${describeJsonValue(value)}`);
  }
  const document = value as Record<string, unknown>;
  if (Object.hasOwn(document, 'bomFormat')) {
    const { bomFormat, specVersion } = document;
    if (bomFormat !== 'CycloneDX') {
      throw intakeError('not-an-sbom', `not an SBOM: "bomFormat" is ${JSON.stringify(bomFormat)}, not "CycloneDX"`, {
        bomFormat: typeof bomFormat === 'string' ? bomFormat.slice(0, 100) : null,
      });
    }
    if (!isCycloneDxVersion(specVersion)) {
      throw intakeError(
        'unsupported-version',
        `CycloneDX specVersion ${JSON.stringify(specVersion)} is not supported (1.2–1.7 are)`,
        { format: 'cyclonedx', encoding: 'json', specVersion: typeof specVersion === 'string' ? specVersion.slice(0, 40) : null },
      );
    }
    return finishCycloneDx(document, specVersion, 'json', limits);
  }
  if (Object.hasOwn(document, 'spdxVersion')) return parseSpdxJson(document, limits);
  if (Object.hasOwn(document, 'specVersion') && Object.hasOwn(document, 'components')) {
    throw intakeError('not-an-sbom', 'not an SBOM: looks like CycloneDX but "bomFormat": "CycloneDX" is missing');
  }
  throw intakeError('not-an-sbom', `not an SBOM: looks like ${describeJsonValue(document)}`);
};
