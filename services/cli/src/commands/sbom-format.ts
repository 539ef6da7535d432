import { plural, type DocumentFinding, type SbomFormat, type SbomVerdict, type Verdict, type VerdictCounts } from '@clearance/core';
import { formatLabel } from '../check/check-report.js';
import { terminalSafe } from '../check/terminal-text.js';

/**
 * Plain-text rendering of SBOMs and waivers as the API returns them (see the
 * SBOM and waiver routes); only the fields shown here are declared.
 */
export interface SbomJson {
  id: string;
  status: 'queued' | 'evaluated' | 'failed';
  verdict: SbomVerdict | null;
  counts: VerdictCounts | null;
  /** Findings about the document itself (one that lists no components). */
  documentFindings: DocumentFinding[];
  format: SbomFormat;
  componentCount: number;
  filename: string | null;
  uploadedBy: string;
  uploadedAt: string;
  evaluation: number;
  policyVersion: string | null;
  evaluatedAt: string | null;
  error: { code: string; message: string } | null;
}

export interface WaiverJson {
  id: string;
  scope: { purl: string; match: 'exact' | 'any-version' | 'prefix'; licenseExpression?: string };
  verdict: Verdict;
  justification: string;
  expiresAt: string;
  revokedAt: string | null;
  grantedBy: string;
  grantedAt: string;
  revokedBy: string | null;
  revokeReason: string | null;
}

const minute = (iso: string | null): string => (iso === null ? '-' : iso.slice(0, 16).replace('T', ' '));

export function formatSbomStatus(sbom: SbomJson): string {
  const lines = [
    `${sbom.id}  ${sbom.status}${sbom.verdict === null ? '' : `  ${sbom.verdict.toUpperCase()}`}`,
    `  ${terminalSafe(sbom.filename ?? '(no file name)')}: ${formatLabel(sbom.format)}, ${plural(sbom.componentCount, 'component')}`,
    `  uploaded by ${sbom.uploadedBy} on ${minute(sbom.uploadedAt)}; evaluation ${sbom.evaluation}${sbom.evaluatedAt === null ? '' : ` on ${minute(sbom.evaluatedAt)}`}`,
  ];
  if (sbom.counts !== null) lines.push(`  ${sbom.counts.allow} allow, ${sbom.counts.review} review, ${sbom.counts.deny} deny (policy ${(sbom.policyVersion ?? '').slice(0, 12)})`);
  if (sbom.error !== null) lines.push(`  failed: ${sbom.error.message} (${sbom.error.code})`);
  if (sbom.status === 'evaluated') lines.push(`Findings: clearance sbom findings ${sbom.id}${sbom.counts !== null && sbom.counts.deny > 0 ? ' --verdict deny' : ''}`);
  return `${lines.join('\n')}\n`;
}

const waiverState = (waiver: WaiverJson, now: Date): string =>
  waiver.revokedAt !== null ? 'revoked' : Date.parse(waiver.expiresAt) <= now.getTime() ? 'expired' : 'active';

const scopeText = (scope: WaiverJson['scope']): string =>
  `${scope.purl}${scope.match === 'exact' ? '' : ` (${scope.match})`}${scope.licenseExpression === undefined ? '' : ` when ${scope.licenseExpression}`}`;

export function formatWaiver(waiver: WaiverJson, now = new Date()): string {
  const lines = [
    `${waiver.id}  ${waiverState(waiver, now)}  ${waiver.verdict} for ${terminalSafe(scopeText(waiver.scope))}`,
    `  granted by ${waiver.grantedBy} on ${minute(waiver.grantedAt)}, expires ${minute(waiver.expiresAt)}`,
    `  ${terminalSafe(waiver.justification)}`,
  ];
  if (waiver.revokedAt !== null) lines.push(`  revoked by ${waiver.revokedBy ?? '?'} on ${minute(waiver.revokedAt)}: ${terminalSafe(waiver.revokeReason ?? '')}`);
  return `${lines.join('\n')}\n`;
}

export const formatWaiverList = (waivers: readonly WaiverJson[], now = new Date()): string =>
  waivers.length === 0 ? 'No waivers.\n' : waivers.map((waiver) => formatWaiver(waiver, now)).join('\n');
