import { gunzipSync } from 'node:zlib';
import { intakeError, unsupportedFormat } from './intake-error.js';
import type { SbomLimits } from './limits.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
// With the u flag a proper surrogate pair is one code point, so only lone halves match.
const loneSurrogate = /\p{Cs}/u;

export interface DecodedInput {
  text: string;
  /** Set when the upload was gzip-compressed and the text is what it inflated to. */
  compression: 'gzip' | null;
}

/**
 * Raw upload → text. Gzip (any supported format inside) is inflated first,
 * under the same size limit as plain input. Refuses, with a message naming
 * the problem, what no SBOM format allows: empty input, a size over the limit,
 * binary data (CycloneDX protobuf and the like: a format we do not read),
 * bytes that are not UTF-8 (UTF-16 gets its own hint), NULs.
 */
export const decodeInput = (input: Buffer | string, limits: SbomLimits): DecodedInput => {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > limits.maxBytes) {
    throw intakeError('too-large', `SBOM is ${size} bytes; the limit is ${limits.maxBytes}`, {
      size,
      limit: limits.maxBytes,
    });
  }
  if (typeof input === 'string') return { text: checkText(fromString(input)), compression: null };
  if (!isGzip(input)) return { text: checkText(fromBytes(input)), compression: null };
  const inflated = gunzip(input, limits.maxBytes);
  if (isGzip(inflated)) throw intakeError('invalid-encoding', 'SBOM is gzip inside gzip; compress it once');
  return { text: checkText(fromBytes(inflated)), compression: 'gzip' };
};

const isGzip = (bytes: Buffer): boolean => bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * zlib stops inflating at `maxOutputLength` and throws instead of growing the
 * buffer, so a gzip bomb costs at most the size limit in memory and the time
 * to inflate that much (well under a second for 50 MB), never its full size.
 */
const gunzip = (bytes: Buffer, maxBytes: number): Buffer => {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw intakeError(
        'decompressed-too-large',
        `gzip-compressed SBOM inflates to more than the limit of ${maxBytes} bytes (a gzip bomb?); refused after ${maxBytes} bytes`,
        { compressedSize: bytes.byteLength, limit: maxBytes },
        error,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    throw intakeError('invalid-encoding', `SBOM is gzip-compressed but cannot be inflated: ${message}`, {}, error);
  }
};

const checkText = (text: string): string => {
  // A UTF-8 byte order mark is legal and common (Windows tools); drop it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim().length === 0) throw intakeError('empty', 'SBOM is empty');
  const nul = body.indexOf('\u0000');
  if (nul !== -1) {
    throw intakeError('invalid-encoding', `not an SBOM: contains a NUL character at offset ${nul} (binary file?)`, {
      offset: nul,
    });
  }
  return body;
};

const fromString = (input: string): string => {
  // A caller's string can hold lone surrogates, which UTF-8 cannot encode.
  if (loneSurrogate.test(input)) throw intakeError('invalid-encoding', 'SBOM text contains lone UTF-16 surrogates');
  return input;
};

const fromBytes = (input: Buffer): string => {
  if (input.byteLength >= 2) {
    const b0 = input[0];
    const b1 = input[1];
    if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
      throw intakeError('invalid-encoding', 'SBOM is UTF-16 encoded; save it as UTF-8');
    }
  }
  const binary = describeBinary(input);
  if (binary !== null) throw unsupportedFormat(binary);
  try {
    // The decoder keeps a leading BOM only with ignoreBOM; by default it strips it.
    return utf8.decode(input);
  } catch (error) {
    throw intakeError('invalid-encoding', 'SBOM text is not valid UTF-8 (save it as UTF-8)', {}, error);
  }
};

/**
 * Every text SBOM starts, after optional whitespace and a BOM, with `{`, `<`
 * or a tag-value/YAML key; a control byte or a non-ASCII byte there means a
 * binary file. A text file with one stray Latin-1 byte further in is still
 * "not UTF-8", not "binary".
 */
const describeBinary = (input: Buffer): string | null => {
  let at = input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf ? 3 : 0;
  while (at < input.byteLength && (input[at] === 0x20 || input[at] === 0x0a || input[at] === 0x0d || input[at] === 0x09)) at++;
  const first = input[at];
  if (first === undefined || (first >= 0x20 && first < 0x7f)) return null;
  // CycloneDX protobuf: field 1 (spec_version, a string) first, e.g. 0x0a 0x03 "1.5".
  const length = input[1] ?? 0;
  const version = input.subarray(2, 2 + length).toString('latin1');
  if (input[0] === 0x0a && length > 0 && length < 8 && /^1\.\d+$/u.test(version)) return `CycloneDX ${version} protobuf (binary)`;
  if (input.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') return 'a ZIP archive (binary)';
  return 'binary data (not a text SBOM)';
};
