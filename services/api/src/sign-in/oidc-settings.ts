import type { ClaimRoleMap } from '@clearance/core';

/** Single sign-on through an OpenID Connect provider, as the configuration states it (validated at start). */
export interface OidcSettings {
  issuer: URL;
  clientId: string;
  /** null for a public client (PKCE alone). Never logged. */
  clientSecret: string | null;
  /** Space-separated, `openid` among them. */
  scopes: string;
  /** Shown on the sign-in button: "Sign in with <providerName>". */
  providerName: string;
  roleMap: ClaimRoleMap;
  /** How long a session lasts; a new sign-in refreshes the roles from the claims. */
  sessionTtlSeconds: number;
}
