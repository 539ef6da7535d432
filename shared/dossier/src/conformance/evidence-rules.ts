import type { AuditEventRecord } from '@clearance/core';
import { z } from 'zod';
import type { RequirementId } from './clauses.js';

/*
 * Which events are evidence for which requirement, and the one line that says
 * what each shows. Payloads are read tolerantly (z.object drops the rest, a
 * payload that does not fit is no evidence rather than a crash): a bundle
 * holds years of events written by older versions.
 */

const text = z.string().min(1);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const policyActivated = z.object({ version: text, previousVersion: z.string().nullable().optional(), files: z.array(z.object({ name: text })).optional() });
export const tokenCreated = z.object({ tokenId: text, user: text, roles: z.array(text), bootstrap: z.boolean().optional() });
export const tokenRevoked = z.object({ tokenId: text, user: text });
const sbomUploaded = z.object({ sbomId: text, format: z.string().optional(), componentCount: z.number().optional(), sha256: z.string().optional(), filename: z.string().nullable().optional() });
export const sbomEvaluated = z.object({
  sbomId: text,
  evaluation: z.number().optional(),
  verdict: z.enum(['pass', 'review', 'fail']),
  counts: z.object({ allow: z.number().optional(), review: z.number().optional(), deny: z.number().optional() }).optional(),
});
const sbomRejected = z.object({ sbomId: text, code: z.string().optional(), message: z.string().optional() });
const waiver = z.object({
  waiverId: text,
  scope: z.object({ purl: z.string().optional() }).optional(),
  justification: z.string().optional(),
  reason: z.string().optional(),
  grantedBy: z.string().optional(),
  revokedBy: z.string().optional(),
  expiresAt: z.string().optional(),
});
/** What a cleared release must record for 3.4.1: the SHA-256 of the NOTICE that ships with it. */
export const releaseCleared = z.object({ releaseId: z.string().optional(), name: z.string().optional(), version: z.string().optional(), noticeSha256: sha256.optional() });
export const contributionDecided = z.object({ decision: text, reason: z.string().nullable().optional(), by: z.string().optional(), asRoles: z.array(z.string()).optional(), stage: z.number().optional() });
const autoDecision = z.object({ rule: z.string().optional(), reason: z.string().optional() });

/** Files whose presence in a policy version shows a license review procedure (3.1.5). */
const LICENSE_POLICY_FILES = new Set(['licenses.yaml', 'obligations.yaml']);
/** Roles that run the program's tasks (3.2.2): named people, legal expertise. */
export const PROGRAM_ROLES = new Set(['ospo', 'legal', 'compliance']);

export const readPayload = <T>(schema: z.ZodType<T>, payload: unknown): T | null => {
  const parsed = schema.safeParse(payload);
  return parsed.success ? parsed.data : null;
};

const short = (hash: string): string => `${hash.slice(0, 12)}…`;
const quoted = (value: string | null | undefined): string => (value === null || value === undefined || value.trim() === '' ? 'no reason given' : `“${value}”`);

export interface EvidenceFinding {
  requirement: RequirementId;
  detail: string;
}

type Rule = (event: AuditEventRecord) => EvidenceFinding[];

const rules: Record<string, Rule> = {
  'policy.activated': (event) => {
    const p = readPayload(policyActivated, event.payload);
    if (p === null) return [];
    const files = (p.files ?? []).map((file) => file.name);
    const found: EvidenceFinding[] = [
      { requirement: '3.1.1', detail: `policy version ${short(p.version)} activated (previous ${p.previousVersion == null ? 'none' : short(p.previousVersion)}); files: ${files.join(', ') || 'not recorded'}` },
    ];
    const licensePolicies = files.filter((name) => LICENSE_POLICY_FILES.has(name));
    if (licensePolicies.length > 0) found.push({ requirement: '3.1.5', detail: `policy version ${short(p.version)} holds ${licensePolicies.join(', ')}` });
    return found;
  },
  'token.created': (event) => {
    const p = readPayload(tokenCreated, event.payload);
    if (p === null) return [];
    const detail = `${p.user} holds ${p.roles.join(', ')}${p.bootstrap === true ? ' (bootstrap token)' : ''}`;
    const found: EvidenceFinding[] = [{ requirement: '3.1.2', detail }];
    if (p.roles.some((role) => PROGRAM_ROLES.has(role))) found.push({ requirement: '3.2.2', detail });
    return found;
  },
  'token.revoked': (event) => {
    const p = readPayload(tokenRevoked, event.payload);
    return p === null ? [] : [{ requirement: '3.1.2', detail: `${p.user}'s token ${p.tokenId} revoked` }];
  },
  'waiver.granted': (event) => waiverFinding(event, 'granted'),
  'waiver.revoked': (event) => waiverFinding(event, 'revoked'),
  'waiver.expired': (event) => waiverFinding(event, 'expired'),
  'sbom.uploaded': (event) => {
    const p = readPayload(sbomUploaded, event.payload);
    if (p === null) return [];
    const parts = [p.format, p.componentCount === undefined ? null : `${p.componentCount} components`, p.sha256 === undefined ? null : `SHA-256 ${short(p.sha256)}`];
    return [{ requirement: '3.3.1', detail: `SBOM ${p.sbomId} received: ${parts.filter((part) => part != null).join(', ')}` }];
  },
  'sbom.evaluated': (event) => {
    const p = readPayload(sbomEvaluated, event.payload);
    if (p === null) return [];
    const counts = p.counts === undefined ? '' : ` (allow ${p.counts.allow ?? 0}, review ${p.counts.review ?? 0}, deny ${p.counts.deny ?? 0})`;
    return [{ requirement: '3.3.2', detail: `SBOM ${p.sbomId}${p.evaluation === undefined ? '' : ` evaluation ${p.evaluation}`}: ${p.verdict}${counts}` }];
  },
  'sbom.rejected': (event) => {
    const p = readPayload(sbomRejected, event.payload);
    return p === null ? [] : [{ requirement: '3.3.2', detail: `SBOM ${p.sbomId} could not be checked: ${p.code ?? 'rejected'} ${p.message ?? ''}`.trim() }];
  },
  'release.cleared': (event) => {
    const p = readPayload(releaseCleared, event.payload);
    // A release cleared without a NOTICE hash shows no compliance artifact: it is counted in the facts, not as evidence.
    if (p?.noticeSha256 === undefined) return [];
    const name = [p.name, p.version].filter((part) => part !== undefined).join(' ') || (p.releaseId ?? event.subjectId);
    return [{ requirement: '3.4.1', detail: `release ${name} cleared; NOTICE SHA-256 ${p.noticeSha256}` }];
  },
  'contribution.decided': (event) => {
    const p = readPayload(contributionDecided, event.payload);
    if (p === null) return [];
    const who = `${p.by ?? event.actor}${p.asRoles === undefined || p.asRoles.length === 0 ? '' : ` as ${p.asRoles.join(', ')}`}`;
    return [{ requirement: '3.5.1', detail: `${event.subjectId}: ${p.decision} by ${who}${p.stage === undefined ? '' : ` at stage ${p.stage + 1}`}: ${quoted(p.reason)}` }];
  },
  'contribution.auto-approved': (event) => {
    const p = readPayload(autoDecision, event.payload);
    return p === null ? [] : [{ requirement: '3.5.1', detail: `${event.subjectId}: approved by policy rule ${p.rule ?? '(unnamed)'}` }];
  },
  'contribution.auto-rejected': (event) => {
    const p = readPayload(autoDecision, event.payload);
    return p === null ? [] : [{ requirement: '3.5.1', detail: `${event.subjectId}: rejected by policy rule ${p.rule ?? '(unnamed)'}: ${quoted(p.reason)}` }];
  },
};

function waiverFinding(event: AuditEventRecord, what: 'granted' | 'revoked' | 'expired'): EvidenceFinding[] {
  const p = readPayload(waiver, event.payload);
  if (p === null) return [];
  const component = p.scope?.purl ?? 'a component';
  const detail =
    what === 'granted'
      ? `waiver ${p.waiverId} for ${component} granted by ${p.grantedBy ?? event.actor} until ${p.expiresAt ?? '?'}: ${quoted(p.justification)}`
      : what === 'revoked'
        ? `waiver ${p.waiverId} for ${component} revoked by ${p.revokedBy ?? event.actor}: ${quoted(p.reason)}`
        : `waiver ${p.waiverId} for ${component} expired`;
  return [{ requirement: '3.2.2', detail }];
}

/** The requirements an event is evidence for, each with what it shows. */
export const evidenceOf = (event: AuditEventRecord): EvidenceFinding[] =>
  // hasOwn: an action named like an Object.prototype member ("constructor") is no rule.
  Object.hasOwn(rules, event.action) ? (rules[event.action]?.(event) ?? []) : [];
