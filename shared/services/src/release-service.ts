import { createHash, randomBytes } from 'node:crypto';
import { AppError, checklistCleared, renderNotice, type ObligationEvidence, type ObligationEvidenceInput } from '@clearance/core';
import {
  appendAuditEvent,
  findRelease,
  findSbom,
  insertRelease,
  listReleaseObligations,
  listReleases,
  markReleaseCleared,
  updateReleaseObligation,
  type Database,
  type NewReleaseObligation,
  type Queryable,
  type ReleaseObligationRow,
  type ReleaseRow,
} from '@clearance/db';
import type { PolicyContext } from './policy-context.js';
import { obligationsOfStoredSbom } from './sbom-obligations.js';
import { noticeOfStoredSbom } from './sbom-notice.js';

export interface ReleaseServiceDeps {
  db: Database;
  policy: PolicyContext;
}

export interface ReleaseWithChecklist extends ReleaseRow {
  obligations: ReleaseObligationRow[];
}

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Creates a release from an evaluated SBOM: its checklist is the SBOM's
 * obligations now, its NOTICE hash the SHA-256 of the text NOTICE
 * (`GET /sboms/:id/notice`) as it is now. A release with nothing to do is
 * cleared in the same transaction.
 */
export async function createRelease(
  deps: ReleaseServiceDeps,
  input: { name: string; version: string; sbomId: string; createdBy: string },
): Promise<ReleaseWithChecklist> {
  const sbom = await findSbom(deps.db, input.sbomId);
  if (!sbom) throw new AppError('not_found', `no SBOM ${input.sbomId}`, { field: 'sbomId' });
  if (sbom.status === 'evaluated' && sbom.verdict === 'fail') {
    throw new AppError('conflict', `SBOM ${sbom.id} failed the license check: settle its denied components (or waive them and evaluate again) before a release`, {
      field: 'sbomId',
      verdict: sbom.verdict,
    });
  }
  const groups = await obligationsOfStoredSbom(deps.db, deps.policy, sbom);
  const noticeSha256 = sha256Hex(renderNotice(await noticeOfStoredSbom(deps.db, sbom), 'text'));
  const checklist: NewReleaseObligation[] = groups.flatMap((group) =>
    group.items.map((item) => ({
      key: item.key,
      obligation: item.obligation,
      title: group.title,
      license: item.license,
      source: item.source,
      description: item.description,
      components: item.components,
    })),
  );
  const id = `rel_${randomBytes(8).toString('hex')}`;
  return deps.db.transaction(async (tx) => {
    // The checklist was read outside: refuse it if a re-evaluation committed meanwhile.
    const current = await findSbom(tx, sbom.id, { forUpdate: true });
    if (current?.status !== 'evaluated' || current.evaluation !== sbom.evaluation) {
      throw new AppError('conflict', `SBOM ${sbom.id} is being evaluated again: create the release once it is evaluated`, { field: 'sbomId' });
    }
    const release = await insertRelease(
      tx,
      { id, name: input.name, version: input.version, sbomId: sbom.id, sbomEvaluation: sbom.evaluation, noticeSha256, createdBy: input.createdBy, policyVersion: deps.policy.version },
      checklist,
    );
    if (release === null) throw new AppError('conflict', `a release ${input.name} ${input.version} exists already`, { field: 'version' });
    await appendAuditEvent(tx, {
      actor: input.createdBy,
      subjectType: 'release',
      subjectId: id,
      payload: {
        type: 'release.created',
        releaseId: id,
        name: input.name,
        version: input.version,
        sbomId: sbom.id,
        sbomEvaluation: sbom.evaluation,
        noticeSha256,
        obligations: checklist.map((item) => item.key),
        createdBy: input.createdBy,
      },
      policyVersion: deps.policy.version,
    });
    const obligations = await listReleaseObligations(tx, id);
    if (checklistCleared(obligations)) await clear(tx, deps.policy, release, obligations, input.createdBy);
    return readRelease(tx, id);
  });
}

/**
 * Marks one obligation fulfilled (with evidence) or waived (with a reason).
 * A mark may be changed until the release is cleared; the one that leaves
 * nothing open clears it, in the same transaction (`release.cleared`).
 */
export async function markReleaseObligation(
  deps: ReleaseServiceDeps,
  input: { releaseId: string; key: string; by: string } & ({ state: 'fulfilled'; evidence: ObligationEvidenceInput } | { state: 'waived'; reason: string }),
): Promise<ReleaseWithChecklist> {
  return deps.db.transaction(async (tx) => {
    const release = await findRelease(tx, input.releaseId, { forUpdate: true });
    if (!release) throw new AppError('not_found', `no release ${input.releaseId}`, { field: 'id' });
    if (release.status === 'cleared') throw new AppError('conflict', `release ${release.name} ${release.version} is cleared: its checklist is final`, { field: 'id' });
    const evidence: ObligationEvidence | null =
      input.state === 'waived' ? null : input.evidence.kind === 'notice' ? { kind: 'notice', sha256: release.noticeSha256 } : input.evidence;
    const reason = input.state === 'waived' ? input.reason : null;
    const updated = await updateReleaseObligation(tx, { releaseId: release.id, key: input.key, state: input.state, evidence, reason, by: input.by });
    if (!updated) throw new AppError('not_found', `release ${release.name} ${release.version} has no obligation ${input.key}`, { field: 'key' });
    await appendAuditEvent(tx, {
      actor: input.by,
      subjectType: 'release',
      subjectId: release.id,
      payload: { type: 'release.obligation_updated', releaseId: release.id, name: release.name, version: release.version, key: input.key, state: input.state, evidence, reason, by: input.by },
      policyVersion: deps.policy.version,
    });
    const obligations = await listReleaseObligations(tx, release.id);
    if (checklistCleared(obligations)) await clear(tx, deps.policy, release, obligations, input.by);
    return readRelease(tx, release.id);
  });
}

const clear = async (tx: Queryable, policy: PolicyContext, release: ReleaseRow, obligations: readonly ReleaseObligationRow[], actor: string): Promise<void> => {
  await markReleaseCleared(tx, release.id);
  await appendAuditEvent(tx, {
    actor,
    subjectType: 'release',
    subjectId: release.id,
    payload: {
      type: 'release.cleared',
      releaseId: release.id,
      name: release.name,
      version: release.version,
      sbomId: release.sbomId,
      noticeSha256: release.noticeSha256,
      fulfilled: obligations.filter((item) => item.state === 'fulfilled').length,
      waived: obligations.filter((item) => item.state === 'waived').length,
    },
    policyVersion: policy.version,
  });
};

/** A release with its checklist in catalogue order, or a not_found naming the id. */
export async function readRelease(db: Queryable, id: string): Promise<ReleaseWithChecklist> {
  const release = await findRelease(db, id);
  if (!release) throw new AppError('not_found', `no release ${id}`, { field: 'id' });
  return { ...release, obligations: await listReleaseObligations(db, id) };
}

/** Releases newest first, each with how many obligations are still open. */
export const findReleases = (deps: { db: Database }, filter: { status?: 'open' | 'cleared'; limit: number }): ReturnType<typeof listReleases> => listReleases(deps.db, filter);
