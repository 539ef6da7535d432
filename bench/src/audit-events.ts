import { contributionTiers, type AuditPayload } from '@clearance/core';
import type { AuditAppend } from '@clearance/db';

/**
 * Deterministic audit events for the audit benchmark: a mix of what the
 * product records (contribution requests and decisions, SBOM intake and
 * verdicts, refused access, tokens), with non-ASCII names and characters
 * that JSON must escape, so canonicalization and hashing do realistic work.
 */

const tiers = contributionTiers;
const people = ['alice', 'bob', 'chloé', 'dmitri', '陈伟', 'eve.o\'neil', 'françois', 'zoë'] as const;
const upstreams = [
  'github.com/nodejs/node',
  'github.com/kubernetes/kubernetes',
  'github.com/rust-lang/rust',
  'github.com/postgres/postgres',
  'gitlab.com/gnome/gtk',
] as const;
const titles = [
  'Fix off-by-one in the tokenizer',
  'Add "--json" output to the CLI',
  'Backport: handle CRLF line endings\nin config files',
  'Document the Ünicode normalization rules',
  'Tab\tseparated exports',
] as const;
const categories = ['permissive', 'weak-copyleft', 'strong-copyleft', 'unknown'] as const;

const pick = <T>(values: readonly T[], n: number): T => values[n % values.length] as T;

// Events seven seconds apart from 2023-01-01, with a millisecond part so the
// timestamp round trip through timestamptz is exercised (it keeps ms only).
const startMs = Date.UTC(2023, 0, 1);

const counts = (n: number): { total: number; allow: number; review: number; deny: number } => {
  const allow = 40 + (n % 300);
  const review = n % 7;
  const deny = n % 11 === 0 ? 1 : 0;
  return { total: allow + review + deny, allow, review, deny };
};

const payloadOf = (n: number, person: string): { subjectType: string; subjectId: string; payload: AuditPayload } => {
  const requestId = `req_${Math.floor(n / 4).toString(36)}`;
  const sbomId = `sbom_${Math.floor(n / 3).toString(36)}`;
  switch (n % 8) {
    case 0:
      return {
        subjectType: 'contribution',
        subjectId: requestId,
        payload: {
          type: 'contribution.submitted',
          requestId,
          revision: 1 + (n % 3),
          previousRevisionId: n % 3 === 0 ? null : `${requestId}_r${n % 3}`,
          requester: person,
          tier: pick(tiers, n),
          upstream: n % 4 === 3 ? null : pick(upstreams, n),
          title: pick(titles, n),
        },
      };
    case 1:
    case 2:
      return {
        subjectType: 'contribution',
        subjectId: requestId,
        payload: {
          type: 'contribution.decided',
          requestId,
          stage: n % 3,
          decision: n % 5 === 0 ? 'reject' : 'approve',
          reason: n % 5 === 0 ? 'The change exposes an internal API; resubmit without `internal/`.' : null,
          by: person,
          asRoles: n % 2 === 0 ? ['ospo'] : ['manager', 'legal'],
          outcome: n % 5 === 0 ? 'rejected' : 'stage-approved',
        },
      };
    case 3:
      return {
        subjectType: 'sbom',
        subjectId: sbomId,
        payload: {
          type: 'sbom.uploaded',
          sbomId,
          sha256: (n.toString(16).padStart(8, '0') + 'a1b2c3d4').repeat(4),
          sizeBytes: 10_000 + n * 13,
          filename: n % 6 === 0 ? null : `service-${n % 97}.cdx.json`,
          format: n % 2 === 0 ? 'cyclonedx-json' : 'spdx-json',
          componentCount: 40 + (n % 300),
        },
      };
    case 4:
    case 5: {
      const total = counts(n);
      return {
        subjectType: 'sbom',
        subjectId: sbomId,
        payload: {
          type: 'sbom.evaluated',
          sbomId,
          evaluation: 1 + (n % 2),
          verdict: total.deny > 0 ? 'fail' : total.review > 0 ? 'review' : 'pass',
          counts: total,
          categories: Object.fromEntries(categories.map((category, i) => [category, counts(n + i)])),
          waiversApplied: n % 9 === 0 ? [`waiver_${n % 17}`] : [],
          expiredWaiversIgnored: [],
        },
      };
    }
    case 6:
      return {
        subjectType: 'route',
        subjectId: '/audit/export',
        payload: { type: 'access.denied', method: 'POST', route: '/audit/export', reason: 'forbidden', requiredRoles: ['auditor'] },
      };
    default:
      return {
        subjectType: 'token',
        subjectId: `tok_${n.toString(36)}`,
        payload: { type: 'token.created', tokenId: `tok_${n.toString(36)}`, user: person, roles: ['requester'], bootstrap: false },
      };
  }
};

/** The n-th benchmark event (n ≥ 0), as the production append takes it. */
export const benchEvent = (n: number, policyVersion: string): AuditAppend & { occurredAt: Date } => {
  const person = pick(people, n);
  return {
    actor: n % 8 === 6 ? 'anonymous' : person,
    ...payloadOf(n, person),
    policyVersion,
    occurredAt: new Date(startMs + n * 7_000 + (n % 1_000)),
  };
};
