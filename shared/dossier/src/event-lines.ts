import type { AuditEventRecord } from '@clearance/core';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';

const hash = z.string().regex(/^[0-9a-f]{64}$/);

/** One line of events.ndjson: an audit event record with exactly these members. */
export const eventRecordSchema = z.strictObject({
  seq: z.number().int().positive(),
  occurredAt: z.string(),
  actor: z.string(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  // Any JSON value; the hash check, not the schema, decides whether it is the right one.
  payload: z.custom<unknown>((value) => value !== undefined, 'payload is required'),
  policyVersion: z.string().nullable(),
  prevHash: hash,
  hash,
}) satisfies z.ZodType<AuditEventRecord>;

export type EventLine = { line: number; ok: true; event: AuditEventRecord; text: string } | { line: number; ok: false; error: string };

export const parseEventLine = (text: string, line: number): EventLine => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, ok: false, error: 'not JSON' };
  }
  const parsed = eventRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { line, ok: false, error: issue === undefined ? 'not an event record' : `${issue.path.join('.') || 'record'}: ${issue.message}` };
  }
  return { line, ok: true, event: parsed.data, text };
};

/** Streams events.ndjson line by line: one record in memory at a time, whatever the file size. */
export async function* readEventLines(path: string): AsyncGenerator<EventLine> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 0;
  for await (const text of lines) {
    number += 1;
    // A final newline is part of the format; an empty line anywhere is not a record.
    yield text === '' ? { line: number, ok: false, error: 'empty line' } : parseEventLine(text, number);
  }
}
