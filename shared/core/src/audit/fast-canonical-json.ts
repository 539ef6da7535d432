import { createRequire } from 'node:module';
import type { AuditEventBody } from './audit-event.js';

// The reference RFC 8785 implementation (see event-hash.ts for the loader).
// Everything that is not plain JSON data is handed to it, so its quirks stay
// the quirks of this writer too.
const canonicalize = createRequire(import.meta.url)('canonicalize') as (input: unknown) => string | undefined;

/**
 * RFC 8785 (JCS) canonical JSON, byte-identical to the `canonicalize`
 * package for every input, about 3× faster on JSON data read from jsonb.
 *
 * Why it exists: verifying a million-event chain spent the largest share of
 * its CPU in `canonicalize`, which builds every object through `reduce` and
 * template strings, quotes every string and member name with JSON.stringify
 * and looks `toJSON` up the prototype chain of every value. This writer
 * follows the same rules with plain loops:
 * - strings and member names: as JSON.stringify writes them (ECMAScript
 *   escaping, lone surrogates as \uXXXX), which for a string with no quote,
 *   backslash, control character or surrogate is the string in quotes;
 * - numbers: ECMAScript Number-to-String (RFC 8785 §3.2.2.3); NaN and
 *   ±Infinity are refused with the package's own error;
 * - members sorted by UTF-16 code units (`Array.prototype.sort`, as the
 *   package does), members whose value is undefined or a symbol left out;
 * - in arrays, undefined and symbols become null.
 * Values that are not JSON data (objects with toJSON such as Date, class
 * instances, functions, bigints, arrays with holes) are serialized by the
 * package itself.
 */
export function canonicalJsonFast(value: unknown): string | undefined {
  if (!prototypesPlain()) return canonicalize(value);
  if (typeof value === 'object') return value === null ? 'null' : write(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return nested(value);
  return canonicalize(value);
}

// The members canonicalEventBytes hashes, sorted by UTF-16 code units as the
// package sorts them, with their names already quoted: a fixed record shape
// needs neither Object.keys nor a sort per event.
const eventMembers = ['action', 'actor', 'occurredAt', 'payload', 'policyVersion', 'seq', 'subjectId', 'subjectType'] as const;
const quotedEventMembers = eventMembers.map((name) => `${JSON.stringify(name)}:`);

/**
 * Canonical JSON of the hashed members of an audit event: the same bytes as
 * canonicalize({ seq, occurredAt, actor, action, subjectType, subjectId,
 * payload, policyVersion }), whatever else `body` carries.
 */
export function canonicalEventJson(body: AuditEventBody): string | undefined {
  if (!prototypesPlain()) {
    const { seq, occurredAt, actor, action, subjectType, subjectId, payload, policyVersion } = body;
    return canonicalize({ seq, occurredAt, actor, action, subjectType, subjectId, payload, policyVersion });
  }
  let text = '{';
  for (let i = 0; i < eventMembers.length; i++) {
    const value: unknown = body[eventMembers[i] as (typeof eventMembers)[number]];
    if (value === undefined || typeof value === 'symbol') continue;
    if (text.length > 1) text += ',';
    text += (quotedEventMembers[i] as string) + nested(value);
  }
  return `${text}}`;
}

const objectPrototype: unknown = Object.prototype;
const arrayPrototype: unknown = Array.prototype;

/**
 * The fast paths assume plain objects and arrays have no inherited toJSON.
 * Someone could add one to Object.prototype; the package would then call it
 * on every object, so then everything goes to the package.
 */
const prototypesPlain = (): boolean => !('toJSON' in Object.prototype) && !('toJSON' in Array.prototype);

// The package tests `toJSON instanceof Function`; the same test keeps the same values on each side.
const hasToJson = (value: object): boolean => (value as { toJSON?: unknown }).toJSON instanceof Function;

// What JSON.stringify would escape: quote, backslash, C0 controls, and any
// surrogate (a lone one is escaped, a pair is not: JSON.stringify decides).
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const needsEscaping = /["\\\u0000-\u001f\ud800-\udfff]/;
const quote = (text: string): string => (needsEscaping.test(text) ? JSON.stringify(text) : `"${text}"`);

// Member names repeat from event to event (they come from the payload
// schemas); quoting each once saves a scan per member. Bounded, so payloads
// with data as member names cannot grow it without limit.
const quotedNames = new Map<string, string>();
const quotedName = (name: string): string => {
  let quoted = quotedNames.get(name);
  if (quoted === undefined) {
    quoted = `${quote(name)}:`;
    if (quotedNames.size < 4_096) quotedNames.set(name, quoted);
  }
  return quoted;
};

/** A value in member or element position: the package interpolates its result, so undefined reads "undefined". */
const nested = (value: unknown): string => {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      // String(n) is JSON.stringify(n) for finite numbers (both Number::toString, -0 → "0").
      return Number.isFinite(value) ? String(value) : `${canonicalize(value)}`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : write(value);
    default:
      return `${canonicalize(value)}`;
  }
};

/**
 * Own enumerable member names in the package's order: `sort()` compares
 * strings by UTF-16 code units, and so does `>` on strings. Payload objects
 * are small, where an insertion sort is several times faster than `sort()`
 * (whose default comparator converts both sides each time); names are
 * unique, so stability plays no part.
 */
const sortedNames = (record: object): string[] => {
  const names = Object.keys(record);
  if (names.length > 32) return names.sort();
  for (let i = 1; i < names.length; i++) {
    const name = names[i] as string;
    let j = i - 1;
    for (; j >= 0 && (names[j] as string) > name; j--) names[j + 1] = names[j] as string;
    names[j + 1] = name;
  }
  return names;
};

function write(value: object): string {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === arrayPrototype && Array.isArray(value)) {
    if (Object.hasOwn(value, 'toJSON') && hasToJson(value)) return `${canonicalize(value)}`;
    const array = value as readonly unknown[];
    let text = '[';
    for (let i = 0; i < array.length; i++) {
      // A hole is skipped by the package's reduce (no null, yet the comma logic counts it): its output, not ours.
      if (!(i in array)) return `${canonicalize(value)}`;
      const element = array[i];
      if (i > 0) text += ',';
      text += element === undefined || typeof element === 'symbol' ? 'null' : nested(element);
    }
    return `${text}]`;
  }
  // Dates, class instances, arrays of other realms or subclasses: the package's rules, by the package.
  if (prototype !== objectPrototype && prototype !== null) return `${canonicalize(value)}`;
  const record = value as Record<string, unknown>;
  const names = sortedNames(record);
  let text = '{';
  for (const name of names) {
    const member = record[name];
    if (member === undefined || typeof member === 'symbol') continue;
    // An own toJSON function replaces the whole object.
    if (name === 'toJSON' && member instanceof Function) return `${canonicalize(value)}`;
    if (text.length > 1) text += ',';
    text += quotedName(name) + nested(member);
  }
  return `${text}}`;
}
