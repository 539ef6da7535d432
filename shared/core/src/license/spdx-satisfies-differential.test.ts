import spdxSatisfies from 'spdx-satisfies';
import { describe, expect, it } from 'vitest';
import type { Verdict } from './finding.js';
import { evaluateLicenseData } from './license-engine.js';
import { type LicensePolicy, licensePolicySchema } from './policy-schema.js';
import { currentLicenseIds } from './spdx-data.js';

/**
 * spdx-satisfies answers "does this expression satisfy an allow-list?". With a
 * policy that allows exactly that list and denies everything else, our verdict
 * must be allow exactly when it says true — except for its known bugs, listed
 * below as the cases where we rightly differ.
 */
const allowListPolicy = (allowed: string[]): LicensePolicy => {
  const empty = (verdict: Verdict) => ({ description: 'test', verdict, licenses: [] });
  return licensePolicySchema.parse({
    schemaVersion: 1,
    outcomes: { missing: 'deny', noassertion: 'deny', none: 'deny', unparsable: 'deny', tooLarge: 'deny' },
    categories: {
      permissive: { description: 'the allow-list', verdict: 'allow', licenses: allowed },
      'public-domain': empty('allow'),
      'weak-copyleft': empty('deny'),
      'strong-copyleft': empty('deny'),
      'network-copyleft': empty('deny'),
      'non-commercial': empty('deny'),
      proprietary: empty('deny'),
      unknown: empty('deny'),
    },
    waivers: { maxDays: 1, allowedVerdicts: ['allow'] },
  });
};

const verdictOf = (expression: string, policy: LicensePolicy) =>
  evaluateLicenseData({ source: 'spdx', choices: [{ kind: 'expression', expression }] }, policy);

const satisfiesOrThrows = (expression: string, allowed: string[]): boolean | 'throws' => {
  try {
    return spdxSatisfies(expression, allowed);
  } catch {
    return 'throws';
  }
};

/** A small deterministic generator (mulberry32), so a failure names a reproducible case. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

describe('differential test against spdx-satisfies', () => {
  // Ids both sides read the same way: not -only / -or-later (spdx-satisfies
  // turns those into version ranges), not 8 characters long (its endsWith
  // bug), and known to the older id list spdx-satisfies parses with.
  const pool = [...currentLicenseIds]
    .filter((id) => !/-(only|or-later)$/.test(id) && id.length !== 8 && satisfiesOrThrows(id, [id]) === true)
    .sort();
  const next = random(20_260_601);
  const pick = (): string => pool[Math.floor(next() * pool.length)] ?? 'MIT';

  const generate = (leaves: number): string => {
    if (leaves === 1) return pick();
    const left = 1 + Math.floor(next() * (leaves - 1));
    const operator = next() < 0.5 ? 'AND' : 'OR';
    const wrap = (text: string, size: number) => (size > 1 && next() < 0.6 ? `(${text})` : text);
    return `${wrap(generate(left), left)} ${operator} ${wrap(generate(leaves - left), leaves - left)}`;
  };

  it('agrees on a few hundred generated expressions', () => {
    expect(pool.length).toBeGreaterThan(300);
    let compared = 0;
    let allowedCount = 0;
    for (let round = 0; round < 20; round += 1) {
      // A small world per round, so expressions hit the allow-list often.
      const world = Array.from({ length: 8 }, pick);
      const allowed = world.filter(() => next() < 0.5);
      if (allowed.length === 0) continue;
      const policy = allowListPolicy([...new Set(allowed)]);
      const worldPick = (): string => world[Math.floor(next() * world.length)] ?? 'MIT';
      for (let index = 0; index < 20; index += 1) {
        const expression = generate(1 + Math.floor(next() * 6)).replace(/[A-Za-z0-9.-]+/g, (id) =>
          id === 'AND' || id === 'OR' ? id : worldPick(),
        );
        const theirs = spdxSatisfies(expression, allowed);
        const ours = verdictOf(expression, policy);
        expect(ours.outcome, expression).toBe('evaluated');
        expect(ours.verdict === 'allow', `${expression} against [${allowed.join(', ')}]`).toBe(theirs);
        compared += 1;
        if (theirs) allowedCount += 1;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(300);
    // Both answers occur often enough for the agreement to mean something.
    expect(allowedCount).toBeGreaterThan(compared / 5);
    expect(allowedCount).toBeLessThan((compared * 4) / 5);
  });
});

describe('known spdx-satisfies bugs, where we rightly differ', () => {
  it('8-character ids are not "or later": LGPL-3.0 does not satisfy [LGPL-2.1]', () => {
    expect(spdxSatisfies('LGPL-3.0', ['LGPL-2.1'])).toBe(true);
    expect(verdictOf('LGPL-3.0', allowListPolicy(['LGPL-2.1-only'])).verdict).toBe('deny');
    expect(spdxSatisfies('AGPL-3.0', ['AGPL-1.0'])).toBe(true);
    expect(verdictOf('AGPL-3.0', allowListPolicy(['AGPL-1.0-only'])).verdict).toBe('deny');
  });

  it('NOASSERTION, NONE, names and "" are outcomes, not exceptions', () => {
    const policy = allowListPolicy(['MIT']);
    const cases: [string, string][] = [
      ['NOASSERTION', 'noassertion'],
      ['NONE', 'none'],
      ['', 'missing'],
    ];
    for (const [expression, outcome] of cases) {
      expect(satisfiesOrThrows(expression, ['MIT'])).toBe('throws');
      expect(verdictOf(expression, policy).outcome).toBe(outcome);
    }
    expect(satisfiesOrThrows('MIT License', ['MIT'])).toBe('throws');
    const named = evaluateLicenseData({ source: 'cyclonedx', choices: [{ kind: 'name', name: 'MIT License' }] }, policy);
    expect(named).toMatchObject({ outcome: 'evaluated', expression: 'MIT', verdict: 'allow' });
  });

  it('reads the GFDL-1.x-(no-)invariants-or-later ids', () => {
    const ids = [...currentLicenseIds].filter((id) => /^GFDL-1\.\d-(no-)?invariants-or-later$/.test(id));
    expect(ids).toHaveLength(6);
    const mitOnly = allowListPolicy(['MIT']);
    const gfdl = allowListPolicy(ids);
    for (const id of ids) {
      // It strips "-or-later" and then cannot compare the remaining non-id.
      expect(satisfiesOrThrows(id, ['MIT'])).toBe('throws');
      expect(verdictOf(id, mitOnly)).toMatchObject({ outcome: 'evaluated', verdict: 'deny' });
      expect(verdictOf(id, gfdl)).toMatchObject({ outcome: 'evaluated', verdict: 'allow' });
    }
  });

  it('accepts lower-case operators', () => {
    expect(satisfiesOrThrows('MIT or ISC', ['MIT'])).toBe('throws');
    expect(verdictOf('MIT or ISC', allowListPolicy(['MIT']))).toMatchObject({ verdict: 'allow', chosenBranch: 'MIT' });
    expect(verdictOf('MIT and ISC', allowListPolicy(['MIT'])).verdict).toBe('deny');
  });
});
