import { AppError, type SignInRefusalReason } from '@clearance/core';
import * as client from 'openid-client';
import type { OidcSettings } from './oidc-settings.js';

/** What the callback learnt from the provider, checked: signature, issuer, audience, expiry, nonce, PKCE. */
export interface ProviderIdentity {
  issuer: string;
  subject: string;
  /** The ID token's claims over the UserInfo answer's (a provider may put groups in either). */
  claims: Record<string, unknown>;
  idToken: string | null;
}

export class SignInRefused extends Error {
  constructor(
    readonly reason: SignInRefusalReason,
    message: string,
    readonly subject: string | null = null,
  ) {
    super(message);
  }
}

/** openid-client's failure codes, as reasons a person and an auditor can read. */
function refusalOf(error: unknown): SignInRefused {
  if (error instanceof client.ResponseBodyError) return new SignInRefused('provider_error', `the token endpoint refused the code: ${error.error}`);
  if (error instanceof client.ClientError) {
    const claim = ((error.cause as { cause?: { claim?: unknown } } | undefined)?.cause?.claim ?? null) as unknown;
    if (error.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && claim === 'nonce') return new SignInRefused('nonce_mismatch', 'the ID token carries another nonce than this sign-in sent');
    if (error.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return new SignInRefused('id_token_expired', 'the ID token has expired (or is not valid yet)');
    const inner = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new SignInRefused('id_token_invalid', `the provider's answer failed its checks (${error.message}${inner})`);
  }
  return new SignInRefused('id_token_invalid', `the provider's answer could not be checked: ${error instanceof Error ? error.message : 'unknown error'}`);
}

/**
 * The relying party. The provider's metadata is discovered on first use and
 * kept; a provider that is down at start does not stop Clearance, only
 * sign-ins until it answers.
 */
export class OidcClient {
  private configuration: Promise<client.Configuration> | null = null;

  constructor(readonly settings: OidcSettings) {}

  private config(): Promise<client.Configuration> {
    this.configuration ??= this.discover().catch((error: unknown) => {
      this.configuration = null;
      throw new AppError('unavailable', `the identity provider ${this.settings.issuer.href} did not answer its discovery document`, undefined, { cause: error });
    });
    return this.configuration;
  }

  private async discover(): Promise<client.Configuration> {
    const { settings } = this;
    const auth = settings.clientSecret === null ? client.None() : client.ClientSecretBasic(settings.clientSecret);
    // Plain http is allowed for a loopback provider only (the configuration refuses it elsewhere).
    const execute = settings.issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [];
    // Non-repudiation checks: the ID token's signature is verified against the provider's JWKS too,
    // although it came straight from the token endpoint (OpenID Connect lets a client skip that).
    return client.discovery(settings.issuer, settings.clientId, undefined, auth, { execute: [...execute, client.enableNonRepudiationChecks], timeout: 10 });
  }

  async authorizationUrl(input: { redirectUri: string; state: string; nonce: string; codeVerifier: string }): Promise<URL> {
    const config = await this.config();
    return client.buildAuthorizationUrl(config, {
      redirect_uri: input.redirectUri,
      scope: this.settings.scopes,
      state: input.state,
      nonce: input.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(input.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  /** Redeems the code and checks everything that came back; throws SignInRefused with the reason. */
  async complete(callbackUrl: URL, flow: { state: string; nonce: string; codeVerifier: string }): Promise<ProviderIdentity> {
    const config = await this.config();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw refusalOf(error);
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw new SignInRefused('id_token_invalid', 'the provider answered without an ID token');
    let userInfo: Record<string, unknown> = {};
    if (config.serverMetadata().userinfo_endpoint) {
      try {
        userInfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      } catch (error) {
        throw refusalOf(error);
      }
    }
    return { issuer: idClaims.iss, subject: idClaims.sub, claims: { ...userInfo, ...idClaims }, idToken: tokens.id_token ?? null };
  }

  /** Where to send the browser so the provider ends its session too; null when it offers no end_session_endpoint. */
  async endSessionUrl(input: { idToken: string | null; postLogoutRedirectUri: string }): Promise<string | null> {
    const config = await this.config();
    if (!config.serverMetadata().end_session_endpoint) return null;
    const parameters: Record<string, string> = { client_id: this.settings.clientId, post_logout_redirect_uri: input.postLogoutRedirectUri };
    if (input.idToken) parameters.id_token_hint = input.idToken;
    return client.buildEndSessionUrl(config, parameters).href;
  }
}
