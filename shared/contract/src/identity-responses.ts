import { roleSchema } from '@clearance/core';
import { z } from 'zod';

/**
 * A route as `METHOD /path` (e.g. `POST /contributions/:id/decisions`): the
 * name of an action in `/me`'s list of what the caller may do.
 */
export const routeKeySchema = z.string().regex(/^(GET|POST|PUT|PATCH|DELETE) \/\S*$/);

/** Who the caller is, and every route their roles let them call (the UI shows actions from it). */
export const meResponseSchema = z.strictObject({
  user: z.string(),
  roles: z.array(roleSchema),
  tokenId: z.string(),
  actions: z.array(routeKeySchema),
});

/** A token as admins list it; the secret itself is only in the answer that creates it. */
export const tokenResponseSchema = z.strictObject({
  id: z.string(),
  user: z.string(),
  roles: z.array(roleSchema),
  createdAt: z.iso.datetime({ offset: true }),
  createdBy: z.string(),
  revokedAt: z.iso.datetime({ offset: true }).nullable(),
});

export const createdTokenResponseSchema = tokenResponseSchema.extend({ token: z.string() });
