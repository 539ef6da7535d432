import { z } from 'zod';
import { type DecidingRule, ruleText } from './deciding-rule.js';
import type { DecidedBy, Verdict } from './finding.js';
import { verdictSchema } from './policy-schema.js';
import { type PurlMatchKey, purlMatchKey, purlPrefixKey } from './purl-match-key.js';

/**
 * Which components a waiver covers. `exact`: the same purl, version included
 * (qualifiers the waiver states must be present too); `any-version`: the same
 * package at any version; `prefix`: every purl that starts with the text
 * (`pkg:npm/@angular/`). With `licenseExpression`, only while the component's
 * normalized expression is that one: a license change ends the waiver's reach.
 */
export const waiverScopeSchema = z.strictObject({
  purl: z.string().trim().startsWith('pkg:', 'a package URL starts with "pkg:"'),
  match: z.enum(['exact', 'any-version', 'prefix']),
  licenseExpression: z.string().trim().min(1).optional(),
});

export const waiverSchema = z.strictObject({
  id: z.string().min(1),
  scope: waiverScopeSchema,
  verdict: verdictSchema,
  justification: z.string().trim().min(1),
  expiresAt: z.iso.datetime({ offset: true }),
  revokedAt: z.iso.datetime({ offset: true }).nullable(),
});

export type WaiverScope = z.infer<typeof waiverScopeSchema>;
export type Waiver = z.infer<typeof waiverSchema>;

const specificity = { exact: 3, 'any-version': 2, prefix: 1 } as const;

export interface WaiverTarget {
  purl: string | null;
  /** The component's normalized expression. */
  expression: string | null;
}

export type WaiverDecision =
  | { kind: 'none' }
  | { kind: 'waived'; waiver: Waiver; verdict: Verdict; decidedBy: DecidedBy; note: string }
  | { kind: 'expired'; waiver: Waiver; decidedBy: DecidedBy; note: string };

const isExpired = (waiver: Waiver, now: Date): boolean => {
  const expiresAt = Date.parse(waiver.expiresAt);
  // An unreadable expiry cannot be shown to be in the future.
  return Number.isNaN(expiresAt) || expiresAt <= now.getTime();
};

/** Most specific scope first; among equals the stricter verdict, then the id, so the choice is stable. */
const precedes = (a: Waiver, b: Waiver): boolean => {
  const bySpecificity = specificity[a.scope.match] - specificity[b.scope.match];
  if (bySpecificity !== 0) return bySpecificity > 0;
  if (a.scope.match === 'prefix') {
    const byLength = a.scope.purl.length - b.scope.purl.length;
    if (byLength !== 0) return byLength > 0;
  }
  const rank = { allow: 0, review: 1, deny: 2 } as const;
  if (a.verdict !== b.verdict) return rank[a.verdict] > rank[b.verdict];
  return a.id < b.id;
};

const pick = (waivers: Waiver[]): Waiver | undefined =>
  waivers.reduce<Waiver | undefined>((best, waiver) => (best === undefined || precedes(waiver, best) ? waiver : best), undefined);

interface PreparedWaiver {
  waiver: Waiver;
  scope: PurlMatchKey | string;
  /** The scope's license expression in canonical form; null when it cannot be read (then it matches nothing). */
  expression: string | null | undefined;
}

/** Waivers indexed for matching many components: scopes parsed once, exact and any-version scopes by package. */
export interface PreparedWaivers {
  byPackage: ReadonlyMap<string, PreparedWaiver[]>;
  prefixes: readonly PreparedWaiver[];
}

/**
 * Revoked waivers are dropped here: they never apply. `normalizeExpression`
 * turns a scope's license expression into the canonical form findings carry.
 */
export const prepareWaivers = (
  waivers: readonly Waiver[],
  normalizeExpression: (text: string) => string | null,
): PreparedWaivers => {
  const byPackage = new Map<string, PreparedWaiver[]>();
  const prefixes: PreparedWaiver[] = [];
  for (const waiver of waivers) {
    if (waiver.revokedAt !== null) continue;
    const expression =
      waiver.scope.licenseExpression === undefined ? undefined : normalizeExpression(waiver.scope.licenseExpression);
    if (waiver.scope.match === 'prefix') {
      prefixes.push({ waiver, scope: purlPrefixKey(waiver.scope.purl), expression });
      continue;
    }
    const scope = purlMatchKey(waiver.scope.purl);
    const list = byPackage.get(scope.base) ?? [];
    list.push({ waiver, scope, expression });
    byPackage.set(scope.base, list);
  }
  return { byPackage, prefixes };
};

const scopeMatches = (prepared: PreparedWaiver, component: PurlMatchKey): boolean => {
  const { scope } = prepared;
  if (typeof scope === 'string') return component.full.startsWith(scope);
  if (scope.base !== component.base) return false;
  if (prepared.waiver.scope.match === 'any-version') return true;
  if (scope.version !== component.version) return false;
  for (const [key, value] of scope.qualifiers) {
    if (component.qualifiers.get(key) !== value) return false;
  }
  return true;
};

/**
 * Decides which waiver, if any, overrides the policy's verdict for one
 * component at time `now`. An expired waiver does not apply but is reported,
 * so the finding says why the waiver stopped. `rule` is the policy rule that
 * decided without a waiver.
 */
export const decideWaiver = (target: WaiverTarget, waivers: PreparedWaivers, now: Date, rule: DecidingRule): WaiverDecision => {
  if (target.purl === null || (waivers.byPackage.size === 0 && waivers.prefixes.length === 0)) return { kind: 'none' };
  const key = purlMatchKey(target.purl);
  const candidates = [...(waivers.byPackage.get(key.base) ?? []), ...waivers.prefixes];
  if (candidates.length === 0) return { kind: 'none' };
  const matching = candidates
    .filter(
      (prepared) =>
        scopeMatches(prepared, key) &&
        (prepared.expression === undefined || (prepared.expression !== null && prepared.expression === target.expression)),
    )
    .map((prepared) => prepared.waiver);
  const active = pick(matching.filter((waiver) => !isExpired(waiver, now)));
  if (active !== undefined) {
    return {
      kind: 'waived',
      waiver: active,
      verdict: active.verdict,
      decidedBy: { kind: 'waiver', waiverId: active.id },
      note: `waiver ${active.id} (${active.scope.match} ${active.scope.purl}) sets ${active.verdict} until ${active.expiresAt}, over ${ruleText(rule)}: ${active.justification}`,
    };
  }
  const expired = pick(matching);
  if (expired !== undefined) {
    return {
      kind: 'expired',
      waiver: expired,
      decidedBy: { kind: 'expired-waiver-ignored', waiverId: expired.id, rule },
      note: `waiver ${expired.id} expired at ${expired.expiresAt}: the policy's verdict applies again`,
    };
  }
  return { kind: 'none' };
};

/** `decideWaiver` for one component (prepares the waivers each call). */
export const matchWaiver = (
  target: WaiverTarget,
  waivers: readonly Waiver[],
  now: Date,
  rule: DecidingRule,
  normalizeExpression: (text: string) => string | null,
): WaiverDecision => decideWaiver(target, prepareWaivers(waivers, normalizeExpression), now, rule);
