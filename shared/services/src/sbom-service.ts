import { createHash, randomBytes } from 'node:crypto';
import {
  AppError,
  evaluateSbom,
  formatLabel,
  isAppError,
  parseSbom,
  type SbomLimits,
  type VerdictCounts,
} from '@clearance/core';
import {
  appendAuditEvent,
  completeSbomEvaluation,
  failSbomEvaluation,
  findSbom,
  getSbomBlob,
  insertSbom,
  listUnrevokedWaivers,
  putSbomBlob,
  replaceFindings,
  requeueSbom,
  type Database,
  type SbomRow,
} from '@clearance/db';
import { enqueue } from '@clearance/queue';
import { findingCategory } from './finding-category.js';
import type { PolicyContext } from './policy-context.js';

export interface SbomServiceDeps {
  db: Database;
  policy: PolicyContext;
  /** Lets the relay send the new outbox row now rather than at its next poll. */
  nudgeRelay?: () => void;
}

/**
 * Accepts an uploaded file: it must parse as an SBOM within the limits (or
 * the caller gets the parser's 4xx error), then the file, the SBOM row, its
 * audit event and the evaluation job commit together.
 */
export async function uploadSbom(
  deps: SbomServiceDeps,
  input: { content: Buffer; filename: string | null; uploadedBy: string; limits?: Partial<SbomLimits> },
): Promise<SbomRow> {
  const parsed = parseSbom(input.content, input.limits);
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  const id = `sbom_${randomBytes(10).toString('hex')}`;
  const row = await deps.db.transaction(async (tx) => {
    await putSbomBlob(tx, sha256, input.content);
    const inserted = await insertSbom(tx, {
      id,
      sha256,
      filename: input.filename,
      format: parsed.format,
      componentCount: parsed.components.length,
      uploadedBy: input.uploadedBy,
    });
    await enqueue(tx, 'sbom.evaluate', { sbomId: id, evaluation: inserted.evaluation });
    // Last: appending holds the chain's lock until commit.
    await appendAuditEvent(tx, {
      actor: input.uploadedBy,
      subjectType: 'sbom',
      subjectId: id,
      payload: {
        type: 'sbom.uploaded',
        sbomId: id,
        sha256,
        sizeBytes: input.content.length,
        filename: input.filename,
        format: formatLabel(inserted.format),
        componentCount: inserted.componentCount,
      },
      policyVersion: deps.policy.version,
    });
    return inserted;
  });
  deps.nudgeRelay?.();
  return row;
}

/** Evaluates the SBOM again (say after a waiver was granted); the old findings stay until the new ones replace them. */
export async function requestSbomEvaluation(deps: SbomServiceDeps, input: { sbomId: string; actor: string }): Promise<SbomRow> {
  const row = await deps.db.transaction(async (tx) => {
    const existing = await findSbom(tx, input.sbomId, { forUpdate: true });
    if (!existing) throw new AppError('not_found', `no SBOM ${input.sbomId}`);
    if (existing.status === 'queued') throw new AppError('conflict', `SBOM ${input.sbomId} is already waiting for evaluation`);
    const evaluation = await requeueSbom(tx, input.sbomId);
    await appendAuditEvent(tx, {
      actor: input.actor,
      subjectType: 'sbom',
      subjectId: input.sbomId,
      payload: { type: 'sbom.evaluation-requested', sbomId: input.sbomId, evaluation },
      policyVersion: deps.policy.version,
    });
    await enqueue(tx, 'sbom.evaluate', { sbomId: input.sbomId, evaluation });
    return { ...existing, status: 'queued' as const, evaluation };
  });
  deps.nudgeRelay?.();
  return row;
}

/**
 * The worker's half: evaluates evaluation number `evaluation` of a stored
 * SBOM. Idempotent: a job delivered twice, or overtaken by a newer
 * evaluation, finds the row no longer queued for it and does nothing.
 */
export async function evaluateStoredSbom(
  deps: SbomServiceDeps,
  input: { sbomId: string; evaluation: number; keepAlive?: () => Promise<void>; now?: Date },
): Promise<'evaluated' | 'rejected' | 'skipped'> {
  const row = await findSbom(deps.db, input.sbomId);
  if (!row || row.status !== 'queued' || row.evaluation !== input.evaluation) return 'skipped';
  const content = await getSbomBlob(deps.db, row.sha256);
  if (!content) throw new AppError('internal', `the file of SBOM ${row.id} is missing`);

  let evaluation;
  try {
    const parsed = parseSbom(content);
    const waivers = await listUnrevokedWaivers(deps.db);
    evaluation = evaluateSbom(parsed.components, deps.policy.licenses, {
      waivers,
      now: input.now ?? new Date(),
      policyVersion: deps.policy.version,
      extractedLicenses: parsed.extractedLicenses,
    });
  } catch (error) {
    // An upload was parsed before it was accepted, so this only happens if
    // the parser became stricter since: record it as the SBOM's outcome.
    if (!isAppError(error)) throw error;
    return recordRejection(deps, row, input.evaluation, error);
  }

  const categories: Record<string, VerdictCounts> = {};
  const waiversApplied = new Set<string>();
  const expiredWaiversIgnored = new Set<string>();
  for (const finding of evaluation.findings) {
    const category = findingCategory(finding, deps.policy.licenses);
    const bucket = (categories[category] ??= { total: 0, allow: 0, review: 0, deny: 0 });
    bucket.total += 1;
    bucket[finding.verdict] += 1;
    if (finding.decidedBy.kind === 'waiver') waiversApplied.add(finding.decidedBy.waiverId);
    if (finding.decidedBy.kind === 'expired-waiver-ignored') expiredWaiversIgnored.add(finding.decidedBy.waiverId);
  }

  return deps.db.transaction(async (tx) => {
    const current = await findSbom(tx, input.sbomId, { forUpdate: true });
    if (!current || current.status !== 'queued' || current.evaluation !== input.evaluation) return 'skipped';
    await replaceFindings(tx, row.id, evaluation.findings, input.keepAlive);
    await completeSbomEvaluation(tx, {
      id: row.id,
      verdict: evaluation.verdict,
      counts: evaluation.counts,
      documentFindings: evaluation.documentFindings,
      policyVersion: deps.policy.version,
    });
    await appendAuditEvent(tx, {
      actor: 'system',
      subjectType: 'sbom',
      subjectId: row.id,
      payload: {
        type: 'sbom.evaluated',
        sbomId: row.id,
        evaluation: input.evaluation,
        verdict: evaluation.verdict,
        counts: evaluation.counts,
        categories,
        waiversApplied: [...waiversApplied].sort(),
        expiredWaiversIgnored: [...expiredWaiversIgnored].sort(),
      },
      policyVersion: deps.policy.version,
    });
    return 'evaluated' as const;
  });
}

async function recordRejection(deps: SbomServiceDeps, row: SbomRow, evaluation: number, error: AppError): Promise<'rejected' | 'skipped'> {
  return deps.db.transaction(async (tx) => {
    const current = await findSbom(tx, row.id, { forUpdate: true });
    if (!current || current.status !== 'queued' || current.evaluation !== evaluation) return 'skipped';
    await failSbomEvaluation(tx, { id: row.id, error: { code: error.code, message: error.message, details: error.details }, policyVersion: deps.policy.version });
    await appendAuditEvent(tx, {
      actor: 'system',
      subjectType: 'sbom',
      subjectId: row.id,
      payload: { type: 'sbom.rejected', sbomId: row.id, evaluation, code: error.code, message: error.message },
      policyVersion: deps.policy.version,
    });
    return 'rejected' as const;
  });
}
