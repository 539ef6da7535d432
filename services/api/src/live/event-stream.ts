import { liveEventSchemas, type LiveEventName } from '@clearance/contract';
import { AppError, type Principal } from '@clearance/core';
import { auditChangesAfter, type AuditChange, type Database } from '@clearance/db';
import { createSession, type EventBuffer } from 'better-sse';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { EventStreamSettings } from '../api-dependencies.js';
import type { AuditFeed } from './audit-feed.js';
import { maySeeChange } from './change-visibility.js';

export interface EventStreamRequest {
  principal: Principal;
  /** The last sequence number the client saw (Last-Event-ID or `?after=`), null for "from now on". */
  after: number | null;
  subjectType?: string;
  subjectId?: string;
}

/** A client further behind than this reads its page again instead of a replay. */
export const REPLAY_LIMIT = 10_000;
const REPLAY_PAGE = 500;
const RECONNECT_MS = 2_000;

/** Each event's data is checked against its contract schema as it goes out (strict: no undeclared field leaves). */
const writeEvent = <Name extends LiveEventName>(buffer: EventBuffer, name: Name, data: z.input<(typeof liveEventSchemas)[Name]>, id: number): void => {
  buffer.push(liveEventSchemas[name].parse(data), name, String(id));
};

/**
 * One client's stream: replays what it missed from the audit log (when it
 * says where it was), then follows the shared feed. Subscribing first and
 * replaying up to the feed's head at that moment, while holding what the feed
 * delivers meanwhile, gives every event once and in order.
 */
export async function serveEventStream(
  req: Request,
  res: Response,
  deps: { db: Database; feed: AuditFeed; settings: EventStreamSettings; log: Logger },
  input: EventStreamRequest,
): Promise<void> {
  const { db, feed, settings } = deps;
  if (feed.isStopped) throw new AppError('unavailable', 'the server is shutting down: reconnect to another replica or later');
  const relevant = (change: AuditChange): boolean =>
    (input.subjectType === undefined || change.subjectType === input.subjectType) &&
    (input.subjectId === undefined || change.subjectId === input.subjectId) &&
    maySeeChange(input.principal, change);

  let replaying = true;
  const held: AuditChange[] = [];
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    res.end();
  };
  const unsubscribe = feed.subscribe({
    deliver: (changes) => {
      if (replaying) held.push(...changes);
      else send(changes).catch(end);
    },
    close: end,
  });
  const startHead = feed.headSeq;
  // The client has been told of everything up to here (the SSE id it holds).
  let cursor = startHead;

  const session = await createSession(req, res, {
    keepAlive: settings.heartbeatMs,
    retry: RECONNECT_MS,
    // The id is read and checked by the route (a sequence number), not taken as any string.
    trustClientEventId: false,
    // nginx and similar proxies would otherwise buffer the stream.
    headers: { 'x-accel-buffering': 'no' },
  });
  const lifetime = setTimeout(end, settings.lifetimeMs);
  session.once('disconnected', () => {
    clearTimeout(lifetime);
    unsubscribe();
    ended = true;
  });

  const send = (changes: readonly AuditChange[]): Promise<void> =>
    session.batch((buffer) => {
      const last = changes.at(-1);
      if (ended || last === undefined || last.seq <= cursor) return;
      let shown = cursor;
      for (const change of changes) {
        if (change.seq <= cursor || !relevant(change)) continue;
        writeEvent(buffer, 'change', { seq: change.seq, occurredAt: change.occurredAt, action: change.action, subjectType: change.subjectType, subjectId: change.subjectId }, change.seq);
        shown = change.seq;
      }
      // An id without data moves the client's Last-Event-ID past changes it may not see, so a reconnect does not read them again.
      if (shown < last.seq) buffer.id(String(last.seq)).dispatch();
      cursor = last.seq;
    });

  // The answer has begun: a failure from here on can only end the stream (the client reconnects with its id).
  try {
    if (input.after !== null) {
      if (input.after > startHead || startHead - input.after > REPLAY_LIMIT) {
        const reason = input.after > startHead ? 'the id is past the end of the audit log' : `more than ${REPLAY_LIMIT} events were missed`;
        await session.batch((buffer) => writeEvent(buffer, 'reset', { head: startHead, reason }, startHead));
      } else {
        cursor = input.after;
        while (cursor < startHead && !ended) {
          const page = await auditChangesAfter(db, cursor, REPLAY_PAGE);
          if (page.length === 0) break;
          await send(page.filter((change) => change.seq <= startHead));
        }
        cursor = Math.max(cursor, startHead);
      }
    }
    replaying = false;
    await send(held.splice(0));
    if (!ended) await session.batch((buffer) => writeEvent(buffer, 'ready', { head: cursor }, cursor));
  } catch (error) {
    deps.log.warn({ err: error }, 'a live stream failed; it ends and the client reconnects');
    end();
  }
}
