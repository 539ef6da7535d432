import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@clearance/core';
import type { Database } from '@clearance/db';
import type { NextFunction, Response } from 'express';
import { z } from 'zod';
import { principalOf } from '../http/auth.js';
import type { RouteTable } from '../http/route-table.js';
import { clearUiSessionCookie, issueUiSession, setUiSessionCookie } from '../http/ui-session.js';
import { webDistDir } from '../ui/web-assets.js';
import { EVENTS_PATH } from './event-stream-routes.js';
import { QUEUE_DASHBOARD_PATH } from './queue-dashboard-routes.js';

// Vite names every asset after its content hash, flat in assets/: nothing else is served.
const assetParams = z.strictObject({ file: z.string().regex(/^[\w-]+\.(js|css|map|svg|woff2)$/, 'not a UI asset') });

const sendFrom = (res: Response, next: NextFunction, root: string, file: string, cache: string): void => {
  res.setHeader('cache-control', cache);
  res.sendFile(file, { root, dotfiles: 'deny', cacheControl: false }, (error) => {
    if (error) next(new AppError('not_found', `no UI file ${file}`));
  });
};

export function addUiRoutes(table: RouteTable, db: Database): void {
  const dist = webDistDir();
  table.add({
    method: 'get',
    path: '/',
    access: { kind: 'public' },
    summary: 'The web UI (a page without data; it signs in with a token kept in sessionStorage)',
    responses: {},
    handlers: [
      async (_req, res, next) => {
        try {
          await access(join(dist, 'index.html'));
        } catch {
          throw new AppError('unavailable', 'the web UI is not built: run `npm run build` (it builds services/web with Vite)');
        }
        // Revalidated on every load, so a new release's hashed bundles are picked up at once.
        sendFrom(res, next, dist, 'index.html', 'no-cache');
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/ui/assets/:file',
    access: { kind: 'public' },
    summary: 'The web UI bundles (content-hashed, cached for good)',
    params: assetParams,
    responses: {},
    handlers: [
      (req, res, next) => {
        const { file } = res.locals.input.params;
        sendFrom(res, next, join(dist, 'assets'), file, 'public, max-age=31536000, immutable');
      },
    ],
  });
  table.add({
    method: 'post',
    path: '/ui/session',
    access: { kind: 'roles', roles: ['admin'] },
    summary: 'Set the session cookie (HttpOnly, SameSite=Strict, 30 minutes) that opens the queue dashboard in a browser',
    bodyKind: 'none',
    responses: { 201: z.strictObject({ path: z.string(), expiresAt: z.string() }) },
    handlers: [
      async (req, res) => {
        const session = await issueUiSession(db, principalOf(res));
        setUiSessionCookie(req, res, session, { path: QUEUE_DASHBOARD_PATH });
        res.status(201).json({ path: QUEUE_DASHBOARD_PATH, expiresAt: session.expiresAt.toISOString() });
      },
    ],
  });
  table.add({
    method: 'delete',
    path: '/ui/session',
    access: { kind: 'authenticated' },
    summary: 'Clear the session cookies of the queue dashboard and the event stream (the web UI signs out)',
    responses: {},
    handlers: [
      (req, res) => {
        clearUiSessionCookie(req, res, { path: QUEUE_DASHBOARD_PATH });
        clearUiSessionCookie(req, res, { path: EVENTS_PATH });
        res.status(204).end();
      },
    ],
  });
}
