import { AppError, buildNotice, parseSbom, type NoticeDocument } from '@clearance/core';
import { getSbomBlob, listFindings, type Queryable, type SbomRow } from '@clearance/db';

/**
 * The NOTICE of a stored SBOM from its latest evaluation: the expressions are
 * the ones the worker concluded and stored, the copyright lines and the
 * SBOM's own license texts come from the stored file, parsed again. Read only.
 */
export async function noticeOfStoredSbom(db: Queryable, row: SbomRow): Promise<NoticeDocument> {
  if (row.status !== 'evaluated') {
    throw new AppError('conflict', `SBOM ${row.id} is ${row.status === 'queued' ? 'not evaluated yet' : 'rejected'}: a NOTICE needs its evaluation`, {
      status: row.status,
    });
  }
  const content = await getSbomBlob(db, row.sha256);
  if (!content) throw new AppError('internal', `the file of SBOM ${row.id} is missing`);
  // One statement, so a re-evaluation committing meanwhile cannot mix two sets of findings.
  const { items } = await listFindings(db, { sbomId: row.id, sort: 'index', limit: row.componentCount });
  return buildNotice({ sbom: parseSbom(content), findings: items });
}
