import { AppError } from '../errors/app-error.js';

/**
 * Why an input was refused, stable for API clients and tests; the message is
 * for people and may change.
 */
export type IntakeFailure =
  | 'empty'
  | 'too-large'
  | 'too-many-components'
  | 'too-deep'
  | 'invalid-encoding'
  | 'invalid-json'
  | 'invalid-xml'
  | 'forbidden-xml-construct'
  | 'not-an-sbom'
  /** A version number no specification has (CycloneDX 2.0): a broken file. */
  | 'unsupported-version'
  /** A known format or version Clearance does not read (SPDX RDF/XML, YAML, 2.1, CycloneDX 1.1, protobuf). */
  | 'unsupported-format'
  | 'decompressed-too-large'
  | 'schema'
  | 'duplicate-ref';

export interface IntakeErrorDetails {
  reason: IntakeFailure;
  [key: string]: unknown;
}

const tooLarge: ReadonlySet<IntakeFailure> = new Set(['too-large', 'too-many-components', 'decompressed-too-large']);
/**
 * A real SBOM format (or an earlier version) that Clearance does not read is
 * a 415; a version that never existed (`bom/12`) is a broken file, a 422.
 */
const unsupported: ReadonlySet<IntakeFailure> = new Set(['unsupported-format']);

/** What Clearance reads, for every message that refuses a format. */
export const acceptedFormats =
  'CycloneDX 1.2–1.7 JSON or XML, SPDX 2.2/2.3 JSON or tag-value, SPDX 3.0 JSON-LD, each optionally gzip-compressed';

/** A known format Clearance does not read, named, with what it does read. */
export const unsupportedFormat = (found: string, details: Record<string, unknown> = {}): AppError =>
  intakeError('unsupported-format', `${found} is not supported; accepted: ${acceptedFormats}`, { found, ...details });

/**
 * Size limits are 413s at the edge, formats and versions we do not read are
 * 415s, everything else about the content is a 422.
 */
export const intakeError = (
  reason: IntakeFailure,
  message: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): AppError =>
  new AppError(
    tooLarge.has(reason) ? 'payload_too_large' : unsupported.has(reason) ? 'unsupported_media_type' : 'unprocessable',
    message,
    { reason, ...details } satisfies IntakeErrorDetails,
    cause === undefined ? undefined : { cause },
  );
