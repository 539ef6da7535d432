import { z } from 'zod';
import { isoTime } from './contribution-responses.js';

export const auditEventResponseSchema = z.strictObject({
  seq: z.number().int().positive(),
  occurredAt: isoTime,
  actor: z.string(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  payload: z.record(z.string(), z.unknown()),
  policyVersion: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});

export const auditVerificationResponseSchema = z.looseObject({
  ok: z.boolean(),
  eventCount: z.number().int().nonnegative(),
  headSeq: z.number().int().nonnegative(),
  headHash: z.string(),
  checkpointsVerified: z.number().int().nonnegative(),
  checkpointsSkipped: z.number().int().nonnegative(),
  lastCheckpointSeq: z.number().int().nullable(),
  problems: z.array(z.looseObject({ kind: z.string(), seq: z.number().int(), detail: z.string() })),
  keyId: z.string(),
  unreadableCheckpointFiles: z.array(z.string()),
});
