import { liveEventSchemas, liveSessionResponseSchema } from '@clearance/contract';
import { AppError } from '@clearance/core';
import { z } from 'zod';
import type { ApiDependencies } from '../api-dependencies.js';
import { principalOf, type AuthLocals } from '../http/auth.js';
import type { RouteTable } from '../http/route-table.js';
import { issueUiSession, setUiSessionCookie } from '../http/ui-session.js';
import type { AuditFeed } from '../live/audit-feed.js';
import { serveEventStream } from '../live/event-stream.js';

export const EVENTS_PATH = '/events';

const seqText = /^\d{1,15}$/;

const streamQuery = z.strictObject({
  after: z.string().regex(seqText, 'a sequence number: the id of the last event seen').transform(Number).optional(),
  subjectType: z.string().regex(/^[\w.-]{1,64}$/, 'a subject type, e.g. contribution').optional(),
  subjectId: z.string().min(1).max(200).optional(),
});

/** The header a reconnecting EventSource sends; `?after=` is for a new EventSource, which cannot set it. */
const lastEventIdOf = (header: string | undefined): number | null => {
  if (header === undefined || header === '') return null;
  if (!seqText.test(header)) {
    throw new AppError('validation_failed', 'Last-Event-ID must be the id of an event of this stream', [
      { path: 'Last-Event-ID', message: 'a sequence number', code: 'invalid_format' },
    ]);
  }
  return Number(header);
};

export function addEventStreamRoutes(table: RouteTable, deps: ApiDependencies, feed: AuditFeed): void {
  table.add({
    method: 'post',
    path: `${EVENTS_PATH}/session`,
    access: { kind: 'authenticated' },
    summary: 'Set the session cookie (HttpOnly, SameSite=Strict, 30 minutes, path /events) with which a browser EventSource opens GET /events',
    bodyKind: 'none',
    responses: { 201: liveSessionResponseSchema },
    handlers: [
      async (req, res) => {
        // A sign-in (OIDC) session's own cookie already opens the stream; it has no token to derive another from.
        const { webSession } = res.locals as AuthLocals;
        if (webSession) {
          res.status(201).json({ path: EVENTS_PATH, expiresAt: webSession.expiresAt.toISOString() });
          return;
        }
        const session = await issueUiSession(deps.db, principalOf(res));
        setUiSessionCookie(req, res, session, { path: EVENTS_PATH });
        res.status(201).json({ path: EVENTS_PATH, expiresAt: session.expiresAt.toISOString() });
      },
    ],
  });
  table.add({
    method: 'get',
    path: EVENTS_PATH,
    access: { kind: 'authenticated' },
    summary:
      'Server-Sent Events: a `change` per audit event the caller may see (id = audit sequence number), `ready` once live, `reset` when a replay is impossible; resumes after Last-Event-ID or ?after=; optional subjectType/subjectId filter',
    acceptsUiSession: true,
    query: streamQuery,
    responses: {},
    events: liveEventSchemas,
    handlers: [
      async (req, res) => {
        const { after, subjectType, subjectId } = res.locals.input.query;
        const resumeFrom = lastEventIdOf(req.get('last-event-id')) ?? after ?? null;
        await serveEventStream(req, res, { db: deps.db, feed, settings: deps.liveStream, log: deps.log }, { principal: principalOf(res), after: resumeFrom, subjectType, subjectId });
      },
    ],
  });
}
