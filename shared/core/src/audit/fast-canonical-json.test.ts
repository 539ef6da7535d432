import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { computeEventHash, type AuditEventBody } from './event-hash.js';
import { canonicalEventJson, canonicalJsonFast } from './fast-canonical-json.js';

// The reference: the RFC author's package, loaded as event-hash.ts loads it.
const canonicalize = createRequire(import.meta.url)('canonicalize') as (input: unknown) => string | undefined;

/** mulberry32: a seeded generator, so a failure names a reproducible case. */
const random = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

// Characters where escaping and UTF-16 ordering can go wrong: controls, quote
// and backslash, DEL, U+2028/2029, non-BMP (surrogate pairs), lone surrogates,
// the last BMP code point (sorts after a surrogate in UTF-16, before it in
// code point order), combining marks.
const tricky = ['"', '\\', '/', '\b', '\f', '\n', '\r', '\t', '\u0001', '\u001f', '\u007f', '\u2028', '\u2029', 'é', 'e\u0301', '€', '日本', '😀', '\ud800', '\udfff', '\uffff', 'A', 'a', 'z', '0', ' '];

const numbers = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 123456789012345680000, 5e-324, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, -1.5e-10, 333333333.3333333, 4.35, 0.000001, 2 ** 53 + 2, 1e-6, 1e16, 12e20];

const string = (next: () => number): string => {
  let text = '';
  const length = Math.floor(next() * 8);
  for (let i = 0; i < length; i++) {
    text += next() < 0.5 ? (tricky[Math.floor(next() * tricky.length)] ?? '') : String.fromCharCode(Math.floor(next() * 0x3000));
  }
  return text;
};

const value = (next: () => number, depth: number): unknown => {
  const pick = next();
  if (depth > 3 || pick < 0.35) {
    const scalar = next();
    if (scalar < 0.4) return string(next);
    if (scalar < 0.7) return numbers[Math.floor(next() * numbers.length)] ?? 0;
    if (scalar < 0.8) return Math.floor((next() - 0.5) * 2 ** 40) / (next() < 0.5 ? 1 : 1000);
    if (scalar < 0.9) return next() < 0.5;
    return null;
  }
  if (pick < 0.6) return Array.from({ length: Math.floor(next() * 5) }, () => value(next, depth + 1));
  const object: Record<string, unknown> = {};
  const size = Math.floor(next() * 6);
  for (let i = 0; i < size; i++) object[string(next)] = value(next, depth + 1);
  return object;
};

const event = (payload: unknown, seq = 42): AuditEventBody => ({
  seq,
  occurredAt: '2025-03-04T05:06:07.089Z',
  actor: 'zoë',
  action: 'contribution.decided',
  subjectType: 'contribution',
  subjectId: 'req_1',
  payload,
  policyVersion: 'a'.repeat(64),
});

const reference = (body: AuditEventBody): string | undefined =>
  canonicalize({
    seq: body.seq,
    occurredAt: body.occurredAt,
    actor: body.actor,
    action: body.action,
    subjectType: body.subjectType,
    subjectId: body.subjectId,
    payload: body.payload,
    policyVersion: body.policyVersion,
  });

describe('canonicalJsonFast: byte-identical to the canonicalize package', () => {
  it('on 20,000 random JSON values with tricky strings, numbers and member names', () => {
    const next = random(20_250_101);
    for (let i = 0; i < 20_000; i++) {
      const input = value(next, 0);
      expect(canonicalJsonFast(input), `case ${i}: ${JSON.stringify(input)}`).toBe(canonicalize(input));
    }
  });

  it('on the payloads the product records', () => {
    const payloads: unknown[] = [
      { type: 'contribution.submitted', requestId: 'req_1', revision: 1, previousRevisionId: null, requester: 'chloé', tier: 'bug-fix', upstream: 'github.com/nodejs/node', title: 'Fix "x"\nnow' },
      { type: 'contribution.decided', requestId: 'req_1', stage: 0, decision: 'reject', reason: 'no: `internal/`', by: '陈伟', asRoles: ['manager', 'legal'], outcome: 'rejected' },
      { type: 'sbom.evaluated', sbomId: 's', evaluation: 1, verdict: 'review', counts: { total: 3, allow: 1, review: 2, deny: 0 }, categories: { permissive: { total: 1, allow: 1, review: 0, deny: 0 } }, waiversApplied: [], expiredWaiversIgnored: [] },
      { type: 'policy.activated', version: 'v', previousVersion: null, files: [{ name: 'contributions.yaml', sha256: 'f'.repeat(64) }] },
      { type: 'access.denied', method: 'POST', route: '/audit/export', reason: 'forbidden', requiredRoles: ['auditor'] },
    ];
    for (const payload of payloads) expect(canonicalJsonFast(payload)).toBe(canonicalize(payload));
  });

  it('on what is not JSON data, by the same rules (undefined, symbols, toJSON, holes, functions)', () => {
    const inputs: unknown[] = [
      { a: undefined, b: Symbol('s'), c: 1 },
      [undefined, Symbol('s'), 1],
      { when: new Date(Date.UTC(2025, 0, 1)) },
      [new Date(0)],
      { toJSON: 'a string, not a function' },
      { custom: { toJSON: () => ({ z: 1, a: [2] }) } },
      // eslint-disable-next-line no-sparse-arrays -- a hole is exactly what is tested
      [1, , 3],
      { f: () => 1 },
      [() => 1],
      Object.create(null) as unknown,
      new Map([['a', 1]]),
      { __proto__: null, x: 1 },
      JSON.parse('{"__proto__": {"x": 1}, "a": 2}') as unknown,
      '',
      [],
      {},
      true,
      null,
    ];
    for (const input of inputs) expect(canonicalJsonFast(input)).toBe(canonicalize(input));
    for (const input of [undefined, () => 1, Symbol('s')]) expect(canonicalJsonFast(input)).toBe(canonicalize(input));
  });

  it('refuses what the package refuses, with the same error', () => {
    for (const input of [Number.NaN, Infinity, { a: -Infinity }, [Number.NaN], 10n, { a: 1n }]) {
      expect(() => canonicalJsonFast(input)).toThrow();
      let expected: unknown;
      try {
        canonicalize(input);
      } catch (error) {
        expected = error;
      }
      expect(() => canonicalJsonFast(input)).toThrow((expected as Error).message);
    }
  });

  it('follows the package when someone gives every object a toJSON', () => {
    const input = { a: [1, { b: 2 }] };
    const prototype = Object.prototype as { toJSON?: () => unknown };
    prototype.toJSON = () => 'patched';
    try {
      expect(canonicalJsonFast(input)).toBe(canonicalize(input));
      expect(canonicalJsonFast(input)).toBe('"patched"');
    } finally {
      delete prototype.toJSON;
    }
  });
});

describe('canonicalEventJson: the hashed members of an event', () => {
  it('equals canonicalize of the eight members, whatever the payload', () => {
    const next = random(8_785);
    for (let i = 0; i < 5_000; i++) {
      const body = event(value(next, 0), i);
      expect(canonicalEventJson(body)).toBe(reference(body));
    }
  });

  it('ignores members that are not hashed (a record carries prevHash and hash)', () => {
    const body = event({ type: 'x' });
    const record = { ...body, prevHash: '0'.repeat(64), hash: '1'.repeat(64) };
    expect(canonicalEventJson(record)).toBe(reference(body));
  });

  it('gives the hash of the recipe: SHA-256 over prevHash then the canonicalize bytes', () => {
    const next = random(2_024);
    for (let i = 0; i < 2_000; i++) {
      const body = event(value(next, 0), i);
      const prevHash = createHash('sha256').update(String(i)).digest('hex');
      const expected = createHash('sha256').update(prevHash).update(reference(body) ?? '').digest('hex');
      expect(computeEventHash(prevHash, body)).toBe(expected);
    }
  });

  it('leaves out an undefined member exactly as the package does', () => {
    const body = { ...event(undefined), policyVersion: null };
    expect(canonicalEventJson(body)).toBe(reference(body));
    expect(canonicalEventJson(body)).not.toContain('payload');
  });
});
