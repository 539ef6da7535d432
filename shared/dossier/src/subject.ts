import type { AuditEventRecord } from '@clearance/core';

/** How a bundle scope names a subject: `<subjectType>:<subjectId>`, e.g. `contribution:42`. */
export const subjectKey = (event: Pick<AuditEventRecord, 'subjectType' | 'subjectId'>): string => `${event.subjectType}:${event.subjectId}`;
