import { AppError } from '@clearance/core';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { RouteSpec } from './route-table.js';

/**
 * Per-token request budget (the route's `ratePerMinute` times
 * CLEARANCE_RATE_LIMIT_FACTOR; 0 turns limits off, e.g. for load tests) for expensive or sensitive routes (uploads, token
 * creation). Keyed by the authenticated token, so one noisy client cannot
 * starve the others; the 429 carries Retry-After and our error body.
 */
export function rateLimitFor(route: RouteSpec, factor: number): RequestHandler[] {
  if (route.ratePerMinute === undefined || factor === 0) return [];
  const limit = Math.max(1, Math.round(route.ratePerMinute * factor));
  return [
    rateLimit({
      windowMs: 60_000,
      limit,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      keyGenerator: (_req, res) => {
        const principal = (res.locals as { principal?: { tokenId: string } }).principal;
        return `${route.method} ${route.path} ${principal?.tokenId ?? 'anonymous'}`;
      },
      handler: (_req, res, next, options) => {
        res.setHeader('Retry-After', String(Math.ceil(options.windowMs / 1000)));
        next(new AppError('rate_limited', `too many requests: at most ${limit} per minute for this route`));
      },
    }),
  ];
}
