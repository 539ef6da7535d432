import { AppError } from '@clearance/core';
import {
  appendAuditEvent,
  auditEventAt,
  auditSeqRange,
  findPolicyVersions,
  policyVersionsBetween,
  streamAuditEvents,
  type Database,
} from '@clearance/db';
import { writeBundle, type WrittenBundle } from '@clearance/dossier';
import { allCheckpoints, createCheckpoint } from './audit-checkpoint-service.js';
import { listKeyRotations } from './audit-key-rotations.js';
import type { AuditSigner } from './audit-signer.js';

export interface ExportScope {
  from?: Date;
  to?: Date;
  subject?: { type: string; id: string };
}

/**
 * Writes a dossier bundle of a period or of one subject. The bundle always
 * holds a contiguous run of the chain (so it verifies on its own, from the
 * hash of the event before it); for a subject, the run spans its first to its
 * last event and the manifest names the subject. The export itself is then
 * recorded as an `audit.exported` event.
 */
export async function exportDossier(
  db: Database,
  signer: AuditSigner,
  dir: string,
  input: ExportScope & { actor: string; policyVersion: string | null },
): Promise<WrittenBundle> {
  const range = await auditSeqRange(db, {
    from: input.from,
    to: input.to,
    subjectType: input.subject?.type,
    subjectId: input.subject?.id,
  });
  if (!range) throw new AppError('not_found', 'no audit events match that period or subject');
  // Sign the head now, then end the run at the first checkpoint at or after
  // the scope's last event: however few events a deployment has, the bundle
  // then holds a signed checkpoint vouching for all of the subject's events.
  await createCheckpoint(db, signer, input.policyVersion);
  const { checkpoints } = await allCheckpoints(db, signer.checkpointDir);
  range.last = checkpoints.find((checkpoint) => checkpoint.seq >= range.last && checkpoint.keyId === signer.keyId)?.seq ?? range.last;
  const before = range.first > 1 ? await auditEventAt(db, range.first - 1) : null;
  const versions = await policyVersionsBetween(db, range.first, range.last);
  const stored = await findPolicyVersions(db, versions);
  const missing = versions.filter((version) => !stored.some((entry) => entry.version === version));
  if (missing.length > 0) throw new AppError('conflict', `the files of policy versions ${missing.join(', ')} are not stored`);
  const subject = input.subject ? `${input.subject.type}:${input.subject.id}` : null;
  const written = await writeBundle(dir, {
    events: streamAuditEvents(db, { afterSeq: range.first - 1, untilSeq: range.last }),
    checkpoints,
    publicKeyPem: signer.publicKeyPem,
    signingKey: signer.privateKey,
    keyRotations: await listKeyRotations(db),
    policyFiles: stored,
    scope: { from: input.from?.toISOString() ?? null, to: input.to?.toISOString() ?? null, subject },
    ...(before ? { startAfter: { seq: before.seq, hash: before.hash } } : {}),
  });
  await db.transaction((tx) =>
    appendAuditEvent(tx, {
      actor: input.actor,
      subjectType: 'audit',
      subjectId: 'export',
      payload: {
        type: 'audit.exported',
        from: input.from?.toISOString() ?? null,
        to: input.to?.toISOString() ?? null,
        subject,
        eventCount: range.last - range.first + 1,
        manifestSha256: written.manifestSha256,
      },
      policyVersion: input.policyVersion,
    }),
  );
  return written;
}
