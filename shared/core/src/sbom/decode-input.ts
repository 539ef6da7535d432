import { intakeError } from './intake-error.js';
import type { SbomLimits } from './limits.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
// With the u flag a proper surrogate pair is one code point, so only lone halves match.
const loneSurrogate = /\p{Cs}/u;

/**
 * Raw upload → text. Refuses, with a message naming the problem, what no SBOM
 * format allows: empty input, a size over the limit, bytes that are not UTF-8
 * (all three formats are UTF-8 in practice; UTF-16 gets its own hint), NULs.
 */
export const decodeInput = (input: Buffer | string, limits: SbomLimits): string => {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > limits.maxBytes) {
    throw intakeError('too-large', `SBOM is ${size} bytes; the limit is ${limits.maxBytes}`, {
      size,
      limit: limits.maxBytes,
    });
  }
  const text = typeof input === 'string' ? fromString(input) : fromBytes(input);
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
  try {
    // The decoder keeps a leading BOM only with ignoreBOM; by default it strips it.
    return utf8.decode(input);
  } catch (error) {
    throw intakeError('invalid-encoding', 'not an SBOM: input is not valid UTF-8 text', {}, error);
  }
};
