import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

export interface FakeAccount {
  email: string;
  name: string;
  groups: string[];
}

/** How the next ID token is spoiled, to see Clearance refuse it. */
export type IdTokenTampering = 'forged-signature' | 'expired' | 'other-nonce' | null;

export interface FakeOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The accounts anyone may sign in as (any password); the test changes their groups. */
  accounts: Map<string, FakeAccount>;
  /** Registers the client's redirect URIs (Clearance's port is known only once it listens). */
  registerClient(clearanceBaseUrl: string): void;
  tamperNextIdToken(kind: IdTokenTampering): void;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (npm oidc-provider) on loopback, with its dev
 * login form (any login that is an account, any password) and consent given in
 * advance. The test holds its signing key, so it can also hand Clearance an ID
 * token that is expired or carries another nonce under a valid signature, or
 * one signed by a key the provider does not publish.
 */
export async function startFakeOidcProvider(): Promise<FakeOidcProvider> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the provider has no port');
  const issuer = `http://127.0.0.1:${address.port}`;
  const clientId = 'clearance-test';
  const clientSecret = `s3cret-${Math.random().toString(36).slice(2)}-do-not-log`;
  const signing = await generateKeyPair('RS256', { extractable: true });
  const stranger = await generateKeyPair('RS256');
  const kid = 'test-key';
  const jwk = { ...(await exportJWK(signing.privateKey)), kid, alg: 'RS256', use: 'sig' };
  const accounts = new Map<string, FakeAccount>();
  let tampering: IdTokenTampering = null;

  const resign = async (token: string, kind: Exclude<IdTokenTampering, null>): Promise<string> => {
    const claims: JWTPayload = decodeJwt(token);
    const now = Math.floor(Date.now() / 1000);
    if (kind === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
    if (kind === 'other-nonce') claims.nonce = 'a-nonce-this-sign-in-never-sent';
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(kind === 'forged-signature' ? stranger.privateKey : signing.privateKey);
  };

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    tamperNextIdToken(kind) {
      tampering = kind;
    },
    registerClient(clearanceBaseUrl) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: [`${clearanceBaseUrl}/auth/oidc/callback`],
            post_logout_redirect_uris: [`${clearanceBaseUrl}/`],
            response_types: ['code'],
            grant_types: ['authorization_code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
        jwks: { keys: [jwk] },
        cookies: { keys: ['fake-oidc-provider-cookie-key'] },
        claims: { openid: ['sub'], email: ['email'], profile: ['name'], groups: ['groups'] },
        scopes: ['openid', 'email', 'profile', 'groups'],
        features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
        findAccount: (_ctx, id) => {
          const account = accounts.get(id);
          if (!account) return undefined;
          // Read at every token and UserInfo answer: a group the test removes is gone at the next sign-in.
          return { accountId: id, claims: () => ({ sub: id, email: account.email, name: account.name, groups: [...account.groups] }) };
        },
        // First-party client: consent is given in advance, so the dev login form is the only step.
        loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
          const clientIdOfCtx = ctx.oidc.client?.clientId ?? clientId;
          const accountId = ctx.oidc.session?.accountId;
          if (!accountId) return undefined;
          const existing = ctx.oidc.session?.grantIdFor(clientIdOfCtx);
          if (existing) return ctx.oidc.provider.Grant.find(existing);
          const grant = new ctx.oidc.provider.Grant({ clientId: clientIdOfCtx, accountId });
          grant.addOIDCScope('openid email profile groups');
          await grant.save();
          return grant;
        },
      });
      provider.use(async (ctx, next) => {
        await next();
        const body = ctx.body as { id_token?: unknown } | undefined;
        if (ctx.path === '/token' && tampering && body && typeof body.id_token === 'string') {
          const kind = tampering;
          tampering = null;
          body.id_token = await resign(body.id_token, kind);
        }
      });
      const callback = provider.callback();
      handler = (req, res) => void callback(req, res);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
