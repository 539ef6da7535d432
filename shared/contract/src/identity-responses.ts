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
  /** The token's id, or the sign-in session's (`ses_…`). */
  tokenId: z.string(),
  actions: z.array(routeKeySchema),
  /** Signed in through the identity provider: the person's name (else email) to show, and the token every state-changing call sends as X-CSRF-Token. */
  displayName: z.string().optional(),
  csrfToken: z.string().optional(),
});

/** How the web UI offers to sign in: always a token; single sign-on when an identity provider is configured. */
export const signInOptionsResponseSchema = z.strictObject({
  oidc: z.strictObject({ providerName: z.string(), loginPath: z.string() }).nullable(),
});

/** Logout ended the session; where to send the browser so the provider ends its own too (null when it offers none). */
export const logoutResponseSchema = z.strictObject({ endSessionUrl: z.string().nullable() });

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
