import { z } from 'zod';
import { isoTime } from './contribution-responses.js';

/**
 * The events of `GET /events` (Server-Sent Events). Each `change` carries the
 * audit event's sequence number as its SSE id, so a client that reconnects
 * with `Last-Event-ID` (or `?after=`) gets what it missed, read from the
 * audit log. A change says what changed, not how: the page reads the subject
 * again through its usual route, which applies the usual access rules.
 */
export const liveChangeEventSchema = z.strictObject({
  seq: z.number().int().positive(),
  occurredAt: isoTime,
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
});

/** Sent once the stream is live (after any replay); its id is the newest sequence number it covers. */
export const liveReadyEventSchema = z.strictObject({ head: z.number().int().nonnegative() });

/** The stream could not replay from the id given (too far behind, or an id past the log's end): read everything again. */
export const liveResetEventSchema = z.strictObject({ head: z.number().int().nonnegative(), reason: z.string() });

/** Event name → the schema of its `data` (JSON). */
export const liveEventSchemas = {
  ready: liveReadyEventSchema,
  change: liveChangeEventSchema,
  reset: liveResetEventSchema,
} as const;

export type LiveEventName = keyof typeof liveEventSchemas;
export type LiveChangeEvent = z.infer<typeof liveChangeEventSchema>;

/** `POST /events/session`: the cookie that lets the browser's EventSource in (it cannot send a bearer token). */
export const liveSessionResponseSchema = z.strictObject({ path: z.string(), expiresAt: isoTime });
