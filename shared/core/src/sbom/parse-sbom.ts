import type { ParsedSbom } from './component.js';
import { isCycloneDxVersion } from './cyclonedx-schemas.js';
import { finishCycloneDx } from './cyclonedx-validate.js';
import { parseCycloneDxXml } from './cyclonedx-xml.js';
import { decodeInput } from './decode-input.js';
import { classifyText, describeJsonValue } from './describe-non-sbom.js';
import { intakeError, unsupportedFormat } from './intake-error.js';
import { scanJsonStructure } from './json-structure-scan.js';
import { resolveSbomLimits, type SbomLimits } from './limits.js';
import { isSpdx3Document, parseSpdx3JsonLd } from './spdx3-jsonld.js';
import { parseSpdxJson } from './spdx-json.js';
import { parseSpdxTagValue } from './spdx-tag-value.js';

/**
 * Bytes of an uploaded SBOM → its components, or an AppError naming what was
 * wrong (never another exception). The format comes from the content, never
 * from a file name: CycloneDX 1.2–1.7 JSON or XML, SPDX 2.2/2.3 JSON or
 * tag-value, SPDX 3.0 JSON-LD, any of them gzip-compressed.
 * Pure apart from reading the CycloneDX schema files once; no network, ever
 * (a `$schema` URL or an `@context` in the input is data, nothing fetches it).
 */
export const parseSbom = (bytes: Buffer | string, limits?: Partial<SbomLimits>): ParsedSbom => {
  const resolved = resolveSbomLimits(limits);
  const { text, compression } = decodeInput(bytes, resolved);
  const parsed = parseText(text, resolved);
  return compression === null ? parsed : { ...parsed, format: { ...parsed.format, compression } };
};

const parseText = (text: string, limits: SbomLimits): ParsedSbom => {
  const first = text.trimStart().charAt(0);
  if (first === '{' || first === '[') return parseJsonSbom(text, limits);
  if (first === '<') return parseCycloneDxXml(text, limits);
  const kind = classifyText(text);
  if (kind.kind === 'tag-value') return parseSpdxTagValue(text, limits);
  if (kind.kind === 'unsupported') throw unsupportedFormat(kind.found);
  throw intakeError('not-an-sbom', `not an SBOM: looks like ${kind.description}`);
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
  if (Object.hasOwn(document, 'bomFormat')) return parseCycloneDxJson(document, limits);
  if (Object.hasOwn(document, 'spdxVersion')) return parseSpdxJson(document, 'json', limits);
  if (isSpdx3Document(document)) return parseSpdx3JsonLd(document, limits);
  if (Object.hasOwn(document, 'specVersion') && Object.hasOwn(document, 'components')) {
    throw intakeError('not-an-sbom', 'not an SBOM: looks like CycloneDX but "bomFormat": "CycloneDX" is missing');
  }
  throw intakeError('not-an-sbom', `not an SBOM: looks like ${describeJsonValue(document)}`);
};

const parseCycloneDxJson = (document: Record<string, unknown>, limits: SbomLimits): ParsedSbom => {
  const { bomFormat, specVersion } = document;
  if (bomFormat !== 'CycloneDX') {
    throw intakeError('not-an-sbom', `not an SBOM: "bomFormat" is ${JSON.stringify(bomFormat)}, not "CycloneDX"`, {
      bomFormat: typeof bomFormat === 'string' ? bomFormat.slice(0, 100) : null,
    });
  }
  if (specVersion === '1.0' || specVersion === '1.1') throw unsupportedFormat(`CycloneDX ${specVersion}`, { specVersion });
  if (!isCycloneDxVersion(specVersion)) {
    throw intakeError(
      'unsupported-version',
      `CycloneDX specVersion ${JSON.stringify(specVersion)} is not supported (1.2–1.7 are)`,
      { format: 'cyclonedx', encoding: 'json', specVersion: typeof specVersion === 'string' ? specVersion.slice(0, 40) : null },
    );
  }
  return finishCycloneDx(document, specVersion, 'json', limits);
};
