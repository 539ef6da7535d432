import { intakeError } from './intake-error.js';

/**
 * One linear pass over raw JSON text, before JSON.parse, that refuses:
 * - nesting deeper than `maxDepth` — JSON.parse itself copes with deep input,
 *   but every recursive walk after it would not, and a 100k-deep array costs
 *   nothing to send;
 * - duplicate keys in one object — JSON.parse silently keeps the last one, and
 *   other tools keep the first, so `{"licenses": [MIT], "licenses": [GPL]}`
 *   would read as a different license here than in the tool that produced or
 *   reviewed it. A license gate must not be the side that guesses.
 * Syntax errors are left to JSON.parse, which reports them better; this scan
 * only has to stay linear and never throw on malformed text by itself.
 */
export const scanJsonStructure = (text: string, maxDepth: number): void => {
  // Per open container: the keys seen so far (objects) or null (arrays).
  // Objects in SBOMs have few keys, so an array beats a Set here.
  const stack: (string[] | null)[] = [];
  // The last significant character; a string is a key when it follows `{` or `,` in an object.
  let previous = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 0x22: {
        const end = stringEnd(text, i);
        if (end === -1) return; // unterminated: JSON.parse will say so
        const keys = stack.length > 0 ? stack[stack.length - 1] : null;
        if (keys && (previous === 0x7b || previous === 0x2c)) {
          const key = keyText(text, i, end);
          if (key !== null) {
            if (keys.includes(key)) throw duplicateKey(text, i, key);
            keys.push(key);
          }
        }
        previous = 0x22;
        i = end;
        break;
      }
      case 0x7b:
      case 0x5b:
        if (stack.length >= maxDepth) {
          throw intakeError('too-deep', `SBOM nests deeper than ${maxDepth} levels (at ${position(text, i)})`, {
            limit: maxDepth,
            offset: i,
          });
        }
        stack.push(c === 0x7b ? [] : null);
        previous = c;
        break;
      case 0x7d:
      case 0x5d:
        stack.pop();
        previous = c;
        break;
      case 0x20:
      case 0x0a:
      case 0x0d:
      case 0x09:
        break;
      default:
        previous = c;
    }
  }
};

/** Index of the quote closing the string opened at `start`, or -1. */
const stringEnd = (text: string, start: number): number => {
  let at = start;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at === -1) return -1;
    let backslashes = 0;
    for (let j = at - 1; j > start && text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
};

/** The key as JSON.parse will see it (escapes resolved), or null when malformed. */
const keyText = (text: string, start: number, end: number): string | null => {
  const raw = text.slice(start + 1, end);
  if (!raw.includes('\\')) return raw;
  try {
    const parsed: unknown = JSON.parse(text.slice(start, end + 1));
    return typeof parsed === 'string' ? parsed : null;
  } catch {
    return null;
  }
};

const duplicateKey = (text: string, offset: number, key: string) =>
  intakeError('invalid-json', `invalid JSON: duplicate key ${JSON.stringify(key.slice(0, 80))} at ${position(text, offset)}`, {
    key: key.slice(0, 200),
    offset,
  });

/** "line L column C", computed only on the error path. */
export const position = (text: string, offset: number): string => {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return `line ${line} column ${offset - lineStart + 1}`;
};
