import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reviewerRoles, roles, type Role } from '@clearance/core';
import { findSbom, listAuditEvents } from '@clearance/db';
import { issueToken, revokeApiToken } from '@clearance/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { call, startTestServer, type ApiResponse, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Every route the running API serves × every role (plus no token, an unknown
 * token and a revoked admin token) × own/other object where a route is about
 * one owned object. The route list comes from the server's RouteTable; the
 * expected outcomes come from the table below, written from the design, not
 * from the route declarations: a served route missing here fails, and so does
 * an entry for a route that is no longer served.
 */

type Principal = 'anonymous' | 'unknown-token' | 'revoked-admin' | Role;
type Ownership = 'own' | 'other';

interface Prepared {
  path: string;
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

interface RequestContext {
  /** The role of the caller, null without a (valid) token. */
  role: Role | null;
  /** For owned-object routes: whose object the call is about. */
  ownership: Ownership | null;
  /** Whether this call is expected to succeed (lets a request skip costly set-up for refusals). */
  expectSuccess: boolean;
}

interface RouteExpectation {
  /** Who gets a success status; every other valid token gets 403. */
  allowed: 'public' | 'authenticated' | readonly Role[];
  success: readonly number[];
  /**
   * Routes about one object with an owner: roles outside `readsAll` reach only
   * their own (another's answers 404, as a missing one would); roles in
   * `canOwn` are also tried on an object of their own.
   */
  owned?: { readsAll: readonly Role[]; canOwn: readonly Role[] };
  /** Roles the route admits but a domain rule refuses on the object under test (also audited). */
  refusedByRule?: readonly Role[];
  request(ctx: RequestContext): Promise<Prepared> | Prepared;
}

/** A bundle of the built web UI, when services/web has been built. */
const webDist = fileURLToPath(new URL('../../../services/web/dist/', import.meta.url));
const webAsset = existsSync(join(webDist, 'index.html'))
  ? readdirSync(join(webDist, 'assets')).find((file) => /^[\w-]+\.(js|css)$/.test(file))
  : undefined;

const principals: readonly Principal[] = ['anonymous', 'unknown-token', 'revoked-admin', ...roles];
const userOf = (role: Role): string => `mx-${role}`;
/** Owns the "other" objects: a requester nobody in the matrix is. */
const otherOwner = 'mx-other-owner';

const sbomUploaders: readonly Role[] = ['compliance', 'legal', 'ospo', 'requester', 'admin'];
const sbomReadersOfAll: readonly Role[] = ['compliance', 'legal', 'ospo', 'auditor', 'admin'];
const sbomReaders: readonly Role[] = [...new Set([...sbomUploaders, ...sbomReadersOfAll])];

const tinySbom = (name: string): string =>
  JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    components: [{ type: 'library', name, version: '1.0.0', purl: `pkg:npm/${name}@1.0.0`, licenses: [{ license: { id: 'MIT' } }] }],
  });

const inADay = (): string => new Date(Date.now() + 86_400_000).toISOString();

const contributionReaders: readonly Role[] = ['requester', ...reviewerRoles, 'auditor', 'admin'];
const contributionReadersOfAll: readonly Role[] = [...reviewerRoles, 'auditor', 'admin'];
/** The default policy's new-project stages, in order; no stage needs an executive. */
const newProjectStages: readonly Role[] = ['manager', 'ospo', 'legal', 'security'];

const newProject = (name: string): Record<string, unknown> => ({
  tier: 'new-project',
  project: { name, outboundLicense: 'Apache-2.0', owningTeam: 'platform', maintenanceCommitment: 'two engineers for two years' },
  title: `Release ${name}`,
  justification: 'Matrix test request',
  estimatedLinesChanged: 500,
});

interface ContributionBody {
  id: string;
  status: string;
  requester: string;
  currentStage: number | null;
  stages: Array<{ roles: string[]; status: string }>;
}

describe('authorization matrix: every route × every role × own/other (real server)', () => {
  let srv: TestServer;
  let github: FakeGitHub;
  const tokens = new Map<Principal, string>();
  let otherOwnerToken = '';
  let counter = 0;
  const unique = (prefix: string): string => `${prefix}-${++counter}`;

  /** Expected and observed refusals, compared with the audit log at the end. */
  const forbiddenCalls: string[] = [];
  const notOwnerCalls: string[] = [];

  const tokenOf = (principal: Principal): string => {
    const token = tokens.get(principal);
    if (token === undefined) throw new Error(`no token for ${principal}`);
    return token;
  };

  const uploadAs = async (token: string): Promise<string> => {
    const response = await call<{ id: string }>(srv.baseUrl, 'POST', '/sboms', { token, rawBody: tinySbom(unique('mx-lib')) });
    if (response.status !== 202) throw new Error(`set-up upload answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body.id;
  };

  // One SBOM per owner, made on first use.
  const sbomIds = new Map<string, string>();
  const sbomOf = async (ctx: RequestContext): Promise<string> => {
    const owner = ctx.ownership === 'own' && ctx.role ? ctx.role : 'other';
    const existing = sbomIds.get(owner);
    if (existing) return existing;
    const id = await uploadAs(owner === 'other' ? otherOwnerToken : tokenOf(owner));
    sbomIds.set(owner, id);
    return id;
  };
  /** An SBOM that is not waiting for evaluation, so asking for one more is a 202 (not a 409). */
  const settledSbomOf = async (ctx: RequestContext): Promise<string> => {
    const id = await sbomOf(ctx);
    if (ctx.expectSuccess) {
      await waitFor(async () => (await findSbom(srv.server.db, id))?.status !== 'queued', { what: `SBOM ${id} evaluated` });
    }
    return id;
  };

  /** A delivery that failed for good, as the worker leaves one, for the retry route to take. */
  const failedDeliveryForTest = async (): Promise<string> => {
    const id = `ntf_${randomBytes(16).toString('hex')}`;
    await srv.server.db.query(
      `INSERT INTO notification_deliveries (id, event_key, event_kind, recipient, channel, notice, state, attempts, last_error)
       VALUES ($1, $1, 'stage.waiting', '#matrix', 'matrix', '{"title":"matrix"}', 'failed', 6, 'the matrix webhook answered 503')`,
      [id],
    );
    return id;
  };
  const grantWaiverForTest = async (): Promise<string> => {
    const response = await call<{ id: string }>(srv.baseUrl, 'POST', '/waivers', {
      token: tokenOf('compliance'),
      body: { scope: { purl: `pkg:npm/${unique('mx-waived')}@1.0.0`, match: 'exact' }, verdict: 'allow', justification: 'matrix set-up', expiresAt: inADay() },
    });
    if (response.status !== 201) throw new Error(`set-up waiver answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body.id;
  };

  /** An open release with two MIT obligations, on an SBOM of the compliance engineer's. */
  const releaseForTest = async (): Promise<string> => {
    const sbomId = await uploadAs(tokenOf('compliance'));
    await waitFor(async () => ((await findSbom(srv.server.db, sbomId))?.status === 'evaluated' ? true : undefined), { what: `SBOM ${sbomId} evaluated` });
    const response = await call<{ id: string }>(srv.baseUrl, 'POST', '/releases', { token: tokenOf('compliance'), body: { name: unique('mx-release'), version: '1.0.0', sbomId } });
    if (response.status !== 201) throw new Error(`set-up release answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body.id;
  };
  let sharedRelease: string | undefined;
  const sharedReleaseOf = async (): Promise<string> => (sharedRelease ??= await releaseForTest());

  /** A new-project request by `token`'s user, routed by the worker and waiting at its first stage. */
  const submitContributionAs = async (token: string): Promise<string> => {
    const response = await call<ContributionBody>(srv.baseUrl, 'POST', '/contributions', { token, body: newProject(unique('mx-project')) });
    if (response.status !== 202) throw new Error(`set-up submission answered ${response.status}: ${JSON.stringify(response.body)}`);
    const { id } = response.body;
    await waitFor(async () => (await call<ContributionBody>(srv.baseUrl, 'GET', `/contributions/${id}`, { token: srv.adminToken })).body.status === 'in-review', {
      what: `contribution ${id} in review`,
    });
    return id;
  };
  const contributionIds = new Map<string, string>();
  const contributionOf = async (ctx: RequestContext): Promise<string> => {
    const owner = ctx.ownership === 'own' && ctx.role ? ctx.role : 'other';
    const existing = contributionIds.get(owner);
    if (existing) return existing;
    const id = await submitContributionAs(owner === 'other' ? otherOwnerToken : tokenOf(owner));
    contributionIds.set(owner, id);
    return id;
  };
  /** A fresh open request of the caller (own) or of the other owner: withdrawing is a one-time act. */
  const freshContributionOf = async (ctx: RequestContext): Promise<string> =>
    ctx.expectSuccess ? submitContributionAs(ctx.ownership === 'own' && ctx.role ? tokenOf(ctx.role) : otherOwnerToken) : contributionOf(ctx);
  /** A withdrawn request, so a new revision may follow it. */
  const withdrawnContributionOf = async (ctx: RequestContext): Promise<string> => {
    if (!ctx.expectSuccess) return contributionOf(ctx);
    const token = ctx.ownership === 'own' && ctx.role ? tokenOf(ctx.role) : otherOwnerToken;
    const id = await submitContributionAs(token);
    const withdrawn = await call(srv.baseUrl, 'POST', `/contributions/${id}/withdraw`, { token });
    if (withdrawn.status !== 200) throw new Error(`set-up withdrawal answered ${withdrawn.status}: ${JSON.stringify(withdrawn.body)}`);
    return id;
  };
  /** The other owner's request, approved stage by stage until its current stage is `role`'s (or the first, for roles with no stage). */
  const contributionWaitingFor = async (role: Role | null): Promise<string> => {
    const id = await submitContributionAs(otherOwnerToken);
    const target = role === null ? -1 : newProjectStages.indexOf(role);
    for (const stageRole of newProjectStages.slice(0, Math.max(0, target))) {
      const approved = await call(srv.baseUrl, 'POST', `/contributions/${id}/decisions`, { token: tokenOf(stageRole), body: { decision: 'approve' } });
      if (approved.status !== 201) throw new Error(`set-up approval by ${stageRole} answered ${approved.status}: ${JSON.stringify(approved.body)}`);
    }
    return id;
  };

  const expectations: Record<string, RouteExpectation> = {
    // Health and the UI shell: no token needed, nothing in them.
    'GET /healthz': { allowed: 'public', success: [200], request: () => ({ path: '/healthz' }) },
    'GET /readyz': { allowed: 'public', success: [200], request: () => ({ path: '/readyz' }) },
    // The web UI: its page and bundles carry no data. Before `npm run build` has built services/web,
    // the page answers 503 "not built" and no bundle exists (404): still to anyone, with or without a token.
    'GET /': { allowed: 'public', success: webAsset ? [200] : [503], request: () => ({ path: '/' }) },
    'GET /ui/assets/:file': { allowed: 'public', success: webAsset ? [200] : [404], request: () => ({ path: `/ui/assets/${webAsset ?? 'index-missing.js'}` }) },
    // The session cookie opens the queue dashboard in a browser: admins only; anyone signed in may clear it.
    'POST /ui/session': { allowed: ['admin'], success: [201], request: () => ({ path: '/ui/session' }) },
    'DELETE /ui/session': { allowed: 'authenticated', success: [204], request: () => ({ path: '/ui/session' }) },
    // Single sign-on. This server has no identity provider: the options say so to anyone, the
    // provider's routes are not found, and logout with a token (not a session) is a conflict.
    'GET /auth/options': { allowed: 'public', success: [200], request: () => ({ path: '/auth/options' }) },
    'GET /auth/oidc/login': { allowed: 'public', success: [404], request: () => ({ path: '/auth/oidc/login' }) },
    'GET /auth/oidc/callback': { allowed: 'public', success: [404], request: () => ({ path: '/auth/oidc/callback?code=x&state=y' }) },
    'POST /auth/logout': { allowed: 'authenticated', success: [409], request: () => ({ path: '/auth/logout' }) },
    // The live stream: everyone signed in, each seeing what they may read (test/src/live); it ends after CLEARANCE_SSE_LIFETIME_MS.
    'GET /events': { allowed: 'authenticated', success: [200], request: () => ({ path: '/events' }) },
    'POST /events/session': { allowed: 'authenticated', success: [201], request: () => ({ path: '/events/session' }) },
    // bull-board: a sub-application; its API and actions are probed in their own test below.
    'GET /admin/queues': { allowed: ['admin'], success: [200], request: () => ({ path: '/admin/queues' }) },

    // Tokens: who am I for anyone signed in; everything else is the admin's.
    'GET /me': { allowed: 'authenticated', success: [200], request: () => ({ path: '/me' }) },
    'GET /me/notifications': { allowed: 'authenticated', success: [200], request: () => ({ path: '/me/notifications' }) },
    'PUT /me/notifications': { allowed: 'authenticated', success: [200], request: () => ({ path: '/me/notifications', body: { emailOptOut: false } }) },
    'GET /notifications/failed': { allowed: ['admin'], success: [200], request: () => ({ path: '/notifications/failed' }) },
    'POST /notifications/deliveries/:id/retry': {
      allowed: ['admin'],
      success: [202],
      request: async (ctx) => ({ path: `/notifications/deliveries/${ctx.expectSuccess ? await failedDeliveryForTest() : `ntf_${'0'.repeat(32)}`}/retry` }),
    },
    // The tier list with the policy's labels: what the request form and the audit filter render.
    'GET /policy/tiers': { allowed: 'authenticated', success: [200], request: () => ({ path: '/policy/tiers' }) },
    'GET /tokens': { allowed: ['admin'], success: [200], request: () => ({ path: '/tokens' }) },
    'POST /tokens': { allowed: ['admin'], success: [201], request: () => ({ path: '/tokens', body: { user: unique('mx-made'), roles: ['auditor'] } }) },
    'DELETE /tokens/:id': {
      allowed: ['admin'],
      success: [200],
      request: async () => {
        const issued = await issueToken(srv.server.db, { user: unique('mx-victim'), roles: ['requester'], actor: 'matrix', policyVersion: null });
        return { path: `/tokens/${issued.row.id}` };
      },
    },

    // SBOMs: uploaders upload; engineers (requesters) see their own only.
    'POST /sboms': {
      allowed: sbomUploaders,
      success: [202],
      request: () => ({ path: '/sboms', rawBody: tinySbom(unique('mx-upload')), headers: { 'content-type': 'application/json' } }),
    },
    'GET /sboms': { allowed: sbomReaders, success: [200], request: () => ({ path: '/sboms' }) },
    'GET /sboms/:id': {
      allowed: sbomReaders,
      success: [200],
      owned: { readsAll: sbomReadersOfAll, canOwn: sbomUploaders },
      request: async (ctx) => ({ path: `/sboms/${await sbomOf(ctx)}` }),
    },
    'POST /sboms/:id/evaluations': {
      allowed: ['compliance', 'legal', 'admin'],
      success: [202],
      owned: { readsAll: sbomReadersOfAll, canOwn: sbomUploaders },
      request: async (ctx) => ({ path: `/sboms/${await settledSbomOf(ctx)}/evaluations` }),
    },
    'GET /sboms/:id/notice': {
      allowed: sbomReaders,
      success: [200],
      owned: { readsAll: sbomReadersOfAll, canOwn: sbomUploaders },
      request: async (ctx) => ({ path: `/sboms/${await settledSbomOf(ctx)}/notice` }),
    },

    // Waivers: compliance and legal grant and revoke; the OSPO, auditors and admins read.
    'POST /waivers': {
      allowed: ['compliance', 'legal'],
      success: [201],
      request: () => ({
        path: '/waivers',
        body: { scope: { purl: `pkg:npm/${unique('mx-waiver')}@1.0.0`, match: 'exact' }, verdict: 'allow', justification: 'matrix', expiresAt: inADay() },
      }),
    },
    'GET /waivers': { allowed: ['compliance', 'legal', 'ospo', 'auditor', 'admin'], success: [200], request: () => ({ path: '/waivers' }) },
    'POST /waivers/:id/revoke': {
      allowed: ['compliance', 'legal'],
      success: [200],
      request: async (ctx) => ({ path: `/waivers/${ctx.expectSuccess ? await grantWaiverForTest() : 'wvr_0000000000000000'}/revoke`, body: { reason: 'matrix' } }),
    },

    // Releases: compliance engineers create them and settle their obligations; the OSPO, legal, auditors and admins read.
    'GET /sboms/:id/obligations': {
      allowed: sbomReaders,
      success: [200],
      owned: { readsAll: sbomReadersOfAll, canOwn: sbomUploaders },
      request: async (ctx) => ({ path: `/sboms/${await settledSbomOf(ctx)}/obligations` }),
    },
    'POST /releases': {
      allowed: ['compliance'],
      success: [201],
      request: async (ctx) => ({
        path: '/releases',
        body: { name: unique('mx-release'), version: '1.0.0', sbomId: await settledSbomOf({ ...ctx, ownership: 'other' }) },
      }),
    },
    'GET /releases': { allowed: ['compliance', 'legal', 'ospo', 'auditor', 'admin'], success: [200], request: () => ({ path: '/releases' }) },
    'GET /releases/:id': {
      allowed: ['compliance', 'legal', 'ospo', 'auditor', 'admin'],
      success: [200],
      request: async (ctx) => ({ path: `/releases/${ctx.expectSuccess ? await sharedReleaseOf() : 'rel_0000000000000000'}` }),
    },
    'POST /releases/:id/obligations/:key/fulfil': {
      allowed: ['compliance'],
      success: [200],
      request: async (ctx) => ({
        path: `/releases/${ctx.expectSuccess ? await releaseForTest() : 'rel_0000000000000000'}/obligations/attribution:MIT/fulfil`,
        body: { evidence: { kind: 'notice' } },
      }),
    },
    'POST /releases/:id/obligations/:key/waive': {
      allowed: ['compliance'],
      success: [200],
      request: async (ctx) => ({
        path: `/releases/${ctx.expectSuccess ? await releaseForTest() : 'rel_0000000000000000'}/obligations/attribution:MIT/waive`,
        body: { reason: 'matrix' },
      }),
    },

    // Contribution requests: engineers submit and see their own; reviewers, auditors and admins read all.
    'POST /contributions': {
      allowed: ['requester'],
      success: [202],
      request: () => ({ path: '/contributions', body: newProject(unique('mx-submitted')) }),
    },
    'GET /contributions': { allowed: contributionReaders, success: [200], request: () => ({ path: '/contributions?limit=5' }) },
    'GET /contributions/:id': {
      allowed: contributionReaders,
      success: [200],
      owned: { readsAll: contributionReadersOfAll, canOwn: ['requester'] },
      request: async (ctx) => ({ path: `/contributions/${await contributionOf(ctx)}` }),
    },
    'POST /contributions/:id/withdraw': {
      allowed: ['requester'],
      success: [200],
      owned: { readsAll: contributionReadersOfAll, canOwn: ['requester'] },
      request: async (ctx) => ({ path: `/contributions/${await freshContributionOf(ctx)}/withdraw` }),
    },
    'POST /contributions/:id/revisions': {
      allowed: ['requester'],
      success: [202],
      owned: { readsAll: contributionReadersOfAll, canOwn: ['requester'] },
      request: async (ctx) => ({ path: `/contributions/${await withdrawnContributionOf(ctx)}/revisions`, body: {} }),
    },
    // Each reviewer is tried on a request waiting at a stage of their own role; no stage needs an executive.
    'POST /contributions/:id/decisions': {
      allowed: reviewerRoles,
      success: [201],
      refusedByRule: ['executive'],
      request: async (ctx) => ({
        path: `/contributions/${ctx.expectSuccess ? await contributionWaitingFor(ctx.role) : await contributionOf({ ...ctx, ownership: 'other' })}/decisions`,
        body: { decision: 'approve' },
      }),
    },
    'GET /reviews': { allowed: reviewerRoles, success: [200], request: () => ({ path: '/reviews' }) },

    // The audit log: auditors read everything and change nothing; admins also verify and sign.
    'GET /audit/events': { allowed: ['auditor', 'admin'], success: [200], request: () => ({ path: '/audit/events?limit=5' }) },
    'GET /audit/subjects/:type/:id': {
      allowed: ['auditor', 'admin', 'ospo', 'compliance', 'legal'],
      success: [200],
      request: async (ctx) => ({ path: `/audit/subjects/sbom/${await sbomOf({ ...ctx, ownership: 'other' })}` }),
    },
    'GET /audit/public-key': { allowed: 'public', success: [200], request: () => ({ path: '/audit/public-key' }) },
    'GET /audit/verify': { allowed: ['auditor', 'admin'], success: [200], request: () => ({ path: '/audit/verify' }) },
    'POST /audit/checkpoints': { allowed: ['admin'], success: [200, 201], request: () => ({ path: '/audit/checkpoints' }) },
    'GET /audit/export': {
      allowed: ['auditor'],
      success: [200],
      request: async (ctx) => ({ path: `/audit/export?subject=sbom:${await sbomOf({ ...ctx, ownership: 'other' })}` }),
    },
    'GET /audit/report': { allowed: ['auditor', 'admin'], success: [200], request: () => ({ path: '/audit/report?format=json' }) },
  };

  const expectedStatuses = (expectation: RouteExpectation, principal: Principal, ownership: Ownership | null): readonly number[] => {
    if (expectation.allowed === 'public') return expectation.success;
    if (principal === 'anonymous' || principal === 'unknown-token' || principal === 'revoked-admin') return [401];
    if (expectation.allowed !== 'authenticated' && !expectation.allowed.includes(principal)) return [403];
    if (expectation.owned && ownership === 'other' && !expectation.owned.readsAll.includes(principal)) return [404];
    if (expectation.refusedByRule?.includes(principal)) return [403];
    return expectation.success;
  };

  const errorCodeOf: Record<number, string> = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };

  beforeAll(async () => {
    // Enrichment talks to GitHub: here, to a local fake, so nothing leaves the machine.
    github = await startFakeGitHub();
    // Streams end quickly, so a call to GET /events returns.
    srv = await startTestServer({ GITHUB_API_URL: github.baseUrl, CLEARANCE_SSE_LIFETIME_MS: '300' });
    const issue = async (user: string, tokenRoles: Role[]): Promise<string> =>
      (await issueToken(srv.server.db, { user, roles: tokenRoles, actor: 'matrix', policyVersion: null })).token;
    for (const role of roles) tokens.set(role, await issue(userOf(role), [role]));
    tokens.set('unknown-token', `clr_${'Z'.repeat(43)}`);
    const revoked = await issueToken(srv.server.db, { user: 'mx-revoked-admin', roles: ['admin'], actor: 'matrix', policyVersion: null });
    await revokeApiToken(srv.server.db, { id: revoked.row.id, actor: 'matrix', policyVersion: null });
    tokens.set('revoked-admin', revoked.token);
    otherOwnerToken = await issue(otherOwner, ['requester']);
    // /readyz answers 200 once a worker has taken its first heartbeat job.
    await waitFor(async () => (await call(srv.baseUrl, 'GET', '/readyz')).status === 200, { what: 'the server to be ready' });
  });
  afterAll(async () => {
    await srv?.close();
    await github?.close();
  });

  const routeKey = (route: { method: string; path: string }): string => `${route.method.toUpperCase()} ${route.path}`;
  /**
   * How a denial names its route: the declared path, except below a
   * sub-application (the queue dashboard), which records the full path
   * requested; those compare as `<mount>/*`.
   */
  const auditedRoute = (methodAndPath: string): string => {
    const [method = '', path = ''] = methodAndPath.split(' ');
    const mount = srv.server.routes.find((route) => route.subtree && (path === route.path || path.startsWith(`${route.path}/`)));
    return `${method} ${mount ? `${mount.path}/*` : path}`;
  };

  it('has an expectation for every served route, and none for a route that is not served', () => {
    const served = srv.server.routes.map(routeKey).sort();
    const expected = Object.keys(expectations).sort();
    expect(served.length).toBeGreaterThan(15);
    expect({ missingFromMatrix: served.filter((key) => !expected.includes(key)), notServed: expected.filter((key) => !served.includes(key)) }).toEqual({
      missingFromMatrix: [],
      notServed: [],
    });
  });

  it.each(Object.keys(expectations))('%s answers each principal as the matrix says', async (key) => {
    const expectation = expectations[key];
    if (!expectation) throw new Error(`no expectation for ${key}`);
    const route = srv.server.routes.find((candidate) => routeKey(candidate) === key);
    expect(route, `${key} is not served`).toBeDefined();
    const method = key.split(' ')[0] ?? 'GET';
    const mismatches: string[] = [];
    let calls = 0;
    for (const principal of principals) {
      const role = (roles as readonly string[]).includes(principal) ? (principal as Role) : null;
      const variants: Array<Ownership | null> = !expectation.owned
        ? [null]
        : role && expectation.owned.canOwn.includes(role)
          ? ['own', 'other']
          : ['other'];
      for (const ownership of variants) {
        const expected = expectedStatuses(expectation, principal, ownership);
        const expectSuccess = expected.every((status) => status < 300);
        const prepared = await expectation.request({ role, ownership, expectSuccess });
        const token = principal === 'anonymous' ? undefined : tokenOf(principal);
        const response: ApiResponse = await call(srv.baseUrl, method, prepared.path, { ...prepared, token });
        calls++;
        const label = `${principal}${ownership ? `/${ownership}` : ''}`;
        if (!expected.includes(response.status)) {
          mismatches.push(`${label}: expected ${expected.join('|')}, got ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
          continue;
        }
        const code = errorCodeOf[response.status];
        if (code !== undefined && (response.body as { error?: { code?: string } } | null)?.error?.code !== code) {
          mismatches.push(`${label}: ${response.status} without the error body { error: { code: '${code}' } }`);
        }
        if (response.status === 403 && role) forbiddenCalls.push(`${userOf(role)} ${auditedRoute(key)}`);
        if (response.status === 404 && role && expectation.owned && ownership === 'other') notOwnerCalls.push(`${userOf(role)} ${key}`);
      }
    }
    expect(mismatches, `${key}\n${mismatches.join('\n')}`).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(principals.length);
  });

  it('recorded every 403 and every refused other-owner object as an access.denied audit event, once', async () => {
    expect(forbiddenCalls.length).toBeGreaterThan(50);
    expect(notOwnerCalls.length).toBeGreaterThan(0);
    const events = await listAuditEvents(srv.server.db, { action: 'access.denied' }, 10_000);
    const matrixEvents = events.filter((event) => event.actor.startsWith('mx-'));
    const byReason = (reason: string): string[] =>
      matrixEvents
        .filter((event) => (event.payload as { reason?: string }).reason === reason)
        .map((event) => {
          const payload = event.payload as { method: string; route: string };
          return `${event.actor} ${auditedRoute(`${payload.method} ${payload.route}`)}`;
        })
        .sort();
    expect(byReason('forbidden')).toEqual([...forbiddenCalls].sort());
    expect(byReason('not_owner')).toEqual([...notOwnerCalls].sort());
    // Unauthenticated calls have nobody to attribute; they are logged, not audited.
    expect(events.some((event) => event.actor === 'mx-revoked-admin')).toBe(false);
  });

  describe('mass assignment: fields the server owns are refused, never taken', () => {
    it('refuses id, status, owner and timestamp fields on create and update bodies with 422', async () => {
      const waiver = { scope: { purl: 'pkg:npm/mass-assign@1.0.0', match: 'exact' }, verdict: 'allow', justification: 'x', expiresAt: inADay() };
      const attempts: Array<{ path: string; token: string; body: Record<string, unknown> }> = [
        { path: '/tokens', token: srv.adminToken, body: { user: 'mx-sneaky', roles: ['auditor'], id: 'tok_chosen' } },
        { path: '/tokens', token: srv.adminToken, body: { user: 'mx-sneaky', roles: ['auditor'], createdBy: 'someone-else' } },
        { path: '/tokens', token: srv.adminToken, body: { user: 'mx-sneaky', roles: ['auditor'], revokedAt: null, status: 'active' } },
        { path: '/waivers', token: tokenOf('compliance'), body: { ...waiver, status: 'active' } },
        { path: '/waivers', token: tokenOf('compliance'), body: { ...waiver, id: 'wvr_0123456789abcdef' } },
        { path: '/waivers', token: tokenOf('compliance'), body: { ...waiver, grantedBy: 'mx-legal' } },
        { path: '/waivers', token: tokenOf('compliance'), body: { ...waiver, revokedAt: null } },
        { path: '/waivers', token: tokenOf('compliance'), body: { ...waiver, scope: { ...waiver.scope, uploadedBy: 'x' } } },
      ];
      for (const attempt of attempts) {
        const response = await call(srv.baseUrl, 'POST', attempt.path, { token: attempt.token, body: attempt.body });
        expect(response.status, `${attempt.path} ${JSON.stringify(attempt.body)}`).toBe(422);
        expect(response.body).toMatchObject({ error: { code: 'validation_failed' } });
      }
      const waiverId = await grantWaiverForTest();
      const revoke = await call(srv.baseUrl, 'POST', `/waivers/${waiverId}/revoke`, { token: tokenOf('compliance'), body: { reason: 'r', revokedBy: 'mx-legal' } });
      expect(revoke.status).toBe(422);
      const tokens = await call<{ items: Array<{ user: string }> }>(srv.baseUrl, 'GET', '/tokens', { token: srv.adminToken });
      expect(tokens.body.items.some((item) => item.user === 'mx-sneaky')).toBe(false);
      const waivers = await call<{ items: Array<{ id: string; revokedAt: string | null; scope: { purl: string } }> }>(srv.baseUrl, 'GET', '/waivers', { token: tokenOf('compliance') });
      expect(waivers.body.items.some((item) => item.scope.purl === 'pkg:npm/mass-assign@1.0.0')).toBe(false);
      expect(waivers.body.items.find((item) => item.id === waiverId)?.revokedAt).toBeNull();
    });

    it('refuses server-owned fields on contribution requests and decisions with 422', async () => {
      const body = newProject(unique('mx-mass'));
      const extras: Array<Record<string, unknown>> = [
        { status: 'approved' },
        { id: 'ctr_00000000000000000000' },
        { requester: 'mx-admin' },
        { decisions: [{ decision: 'approve', by: 'mx-manager' }] },
        { stages: [] },
        { revision: 7 },
        { flags: { touchesCoreIp: false, approvedBy: 'mx-ospo' } },
      ];
      for (const extra of extras) {
        const response = await call(srv.baseUrl, 'POST', '/contributions', { token: tokenOf('requester'), body: { ...body, ...extra } });
        expect(response.status, JSON.stringify(extra)).toBe(422);
      }
      const target = await contributionWaitingFor('manager');
      for (const extra of [{ by: 'mx-admin' }, { asRoles: ['executive'] }, { at: '2020-01-01T00:00:00Z' }]) {
        const response = await call(srv.baseUrl, 'POST', `/contributions/${target}/decisions`, { token: tokenOf('manager'), body: { decision: 'approve', ...extra } });
        expect(response.status, JSON.stringify(extra)).toBe(422);
      }
      const untouched = await call<ContributionBody>(srv.baseUrl, 'GET', `/contributions/${target}`, { token: srv.adminToken });
      expect(untouched.body.stages[0]?.status).toBe('pending');
    });

    it('takes the uploader from the token, whatever the query or headers say, and refuses owner filters', async () => {
      const upload = await call<{ id: string; uploadedBy: string }>(srv.baseUrl, 'POST', '/sboms?uploadedBy=mx-admin&status=evaluated', {
        token: tokenOf('requester'),
        rawBody: tinySbom('mass-assign-upload'),
        headers: { 'x-uploaded-by': 'mx-admin', 'x-user': 'mx-admin' },
      });
      expect(upload.status).toBe(202);
      expect(upload.body).toMatchObject({ uploadedBy: userOf('requester'), status: 'queued' });
      expect((await findSbom(srv.server.db, upload.body.id))?.uploadedBy).toBe(userOf('requester'));
      // A requester cannot widen the list to someone else's SBOMs with a filter of their own.
      const widened = await call(srv.baseUrl, 'GET', `/sboms?uploadedBy=${otherOwner}`, { token: tokenOf('requester') });
      expect(widened.status).toBe(422);
    });
  });

  describe('object level: another engineer\'s SBOM is invisible, whatever the route', () => {
    it('answers 404 for reading it, 403 for acting on it, and leaves it out of lists', async () => {
      const theirs = await sbomOf({ role: null, ownership: 'other', expectSuccess: false });
      const me = tokenOf('requester');
      const read = await call(srv.baseUrl, 'GET', `/sboms/${theirs}`, { token: me });
      expect(read.status).toBe(404);
      // Same answer as for an id that does not exist: nothing to learn by probing.
      const missing = await call(srv.baseUrl, 'GET', '/sboms/sbom_00000000000000000000', { token: me });
      expect(missing.status).toBe(404);
      expect((read.body as { error: { message: string } }).error.message).toBe(`no SBOM ${theirs}`);
      expect((missing.body as { error: { message: string } }).error.message).toBe('no SBOM sbom_00000000000000000000');
      expect((await call(srv.baseUrl, 'POST', `/sboms/${theirs}/evaluations`, { token: me })).status).toBe(403);
      const filtered = await call(srv.baseUrl, 'GET', `/sboms/${theirs}?verdict=deny&search=mx`, { token: me });
      expect(filtered.status).toBe(404);
      const listed = await call<{ items: Array<{ uploadedBy: string }> }>(srv.baseUrl, 'GET', '/sboms?limit=200', { token: me });
      expect(listed.status).toBe(200);
      expect(listed.body.items.length).toBeGreaterThan(0);
      expect(listed.body.items.every((item) => item.uploadedBy === userOf('requester'))).toBe(true);
      const timeline = await call(srv.baseUrl, 'GET', `/audit/subjects/sbom/${theirs}`, { token: me });
      expect(timeline.status).toBe(403);
    });
  });

  describe('object level: another engineer\'s contribution request is invisible, and nobody decides their own', () => {
    it('answers 404 for reading or acting on it, and 403 for listing someone else\'s', async () => {
      const theirs = await contributionOf({ role: null, ownership: 'other', expectSuccess: false });
      const me = tokenOf('requester');
      for (const [method, path, body] of [
        ['GET', `/contributions/${theirs}`, undefined],
        ['POST', `/contributions/${theirs}/withdraw`, undefined],
        ['POST', `/contributions/${theirs}/revisions`, {}],
      ] as const) {
        const response = await call(srv.baseUrl, method, path, { token: me, body });
        expect(response.status, `${method} ${path}`).toBe(404);
        expect((response.body as { error: { message: string } }).error.message).toBe(`no contribution request ${theirs}`);
      }
      const theirsStill = await call<ContributionBody>(srv.baseUrl, 'GET', `/contributions/${theirs}`, { token: srv.adminToken });
      expect(theirsStill.body.status).toBe('in-review');
      expect((await call(srv.baseUrl, 'GET', `/contributions?requester=${otherOwner}`, { token: me })).status).toBe(403);
      const mine = await call<{ items: ContributionBody[] }>(srv.baseUrl, 'GET', '/contributions?limit=200', { token: me });
      expect(mine.body.items.length).toBeGreaterThan(0);
      expect(mine.body.items.every((item) => item.requester === userOf('requester'))).toBe(true);
      const listDenial = await listAuditEvents(srv.server.db, { action: 'access.denied', actor: userOf('requester'), subjectId: 'GET /contributions' }, 10);
      expect(listDenial.map((event) => (event.payload as { reason: string }).reason)).toEqual(['not_owner']);
    });

    it('refuses a reviewer who is also the requester, and a reviewer of another stage\'s role (403, audited)', async () => {
      const dual = (await issueToken(srv.server.db, { user: 'mx-dual', roles: ['requester', 'manager'], actor: 'matrix', policyVersion: null })).token;
      const own = await submitContributionAs(dual);
      const selfDecision = await call(srv.baseUrl, 'POST', `/contributions/${own}/decisions`, { token: dual, body: { decision: 'approve' } });
      expect(selfDecision.status).toBe(403);
      const atOspo = await contributionWaitingFor('ospo');
      const wrongRole = await call(srv.baseUrl, 'POST', `/contributions/${atOspo}/decisions`, { token: tokenOf('manager'), body: { decision: 'approve' } });
      expect(wrongRole.status).toBe(403);
      const detail = await call<ContributionBody>(srv.baseUrl, 'GET', `/contributions/${own}`, { token: srv.adminToken });
      expect(detail.body.status).toBe('in-review');
      const denials = await listAuditEvents(srv.server.db, { action: 'access.denied', subjectId: 'POST /contributions/:id/decisions' }, 1_000);
      expect(denials.filter((event) => event.actor === 'mx-dual')).toHaveLength(1);
    });

    it('keeps the queue dashboard\'s whole subtree (its API and actions) behind the admin rule', async () => {
      const probes: Array<[string, string]> = [
        ['GET', '/admin/queues/api/queues'],
        ['PUT', '/admin/queues/api/queues/sbom.evaluate/pause'],
        ['PUT', '/admin/queues/api/queues/sbom.evaluate/retry/failed'],
        ['GET', '/admin/queues/static/anything.js'],
      ];
      for (const [method, path] of probes) {
        expect((await call(srv.baseUrl, method, path)).status, `anonymous ${method} ${path}`).toBe(401);
        const forged = await call(srv.baseUrl, method, path, { headers: { cookie: `clearance_ui_session=tok_0123.9999999999.${'A'.repeat(43)}` } });
        expect(forged.status, `forged cookie ${method} ${path}`).toBe(401);
        for (const role of roles.filter((candidate) => candidate !== 'admin')) {
          expect((await call(srv.baseUrl, method, path, { token: tokenOf(role) })).status, `${role} ${method} ${path}`).toBe(403);
        }
      }
      expect((await call(srv.baseUrl, 'GET', '/admin/queues/api/queues', { token: tokenOf('admin') })).status).toBe(200);
    });
  });

  describe('rate limits on upload and token creation', () => {
    const declaredRate = (key: string): number => {
      const route = srv.server.routes.find((candidate) => routeKey(candidate) === key);
      if (route?.ratePerMinute === undefined) throw new Error(`${key} declares no rate limit`);
      return route.ratePerMinute;
    };

    const exhaust = async (path: string, token: string, budget: number, send: () => { body?: unknown; rawBody?: string }): Promise<ApiResponse> => {
      for (let i = 0; i < budget; i++) {
        const response = await call(srv.baseUrl, 'POST', path, { token, ...send() });
        if (response.status === 429) throw new Error(`limited after ${i} of ${budget} requests`);
      }
      return call(srv.baseUrl, 'POST', path, { token, ...send() });
    };

    const expectLimited = (response: ApiResponse): void => {
      expect(response.status).toBe(429);
      expect(response.body).toMatchObject({ error: { code: 'rate_limited' } });
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    };

    it('answers 429 with Retry-After once a token spends its upload budget; other tokens are unaffected', async () => {
      const rate = declaredRate('POST /sboms');
      expect(rate).toBeLessThanOrEqual(120);
      const noisy = (await issueToken(srv.server.db, { user: 'mx-noisy-uploader', roles: ['requester'], actor: 'matrix', policyVersion: null })).token;
      const quiet = (await issueToken(srv.server.db, { user: 'mx-quiet-uploader', roles: ['requester'], actor: 'matrix', policyVersion: null })).token;
      // Empty bodies (400) count against the budget too: the limit sits before the body is read.
      expectLimited(await exhaust('/sboms', noisy, rate, () => ({ rawBody: '' })));
      expectLimited(await call(srv.baseUrl, 'POST', '/sboms', { token: noisy, rawBody: tinySbom('after-limit') }));
      expect((await call(srv.baseUrl, 'POST', '/sboms', { token: quiet, rawBody: tinySbom('quiet') })).status).toBe(202);
    });

    it('answers 429 with Retry-After once an admin token spends its token-creation budget', async () => {
      const rate = declaredRate('POST /tokens');
      expect(rate).toBeLessThanOrEqual(120);
      const busyAdmin = (await issueToken(srv.server.db, { user: 'mx-busy-admin', roles: ['admin'], actor: 'matrix', policyVersion: null })).token;
      expectLimited(await exhaust('/tokens', busyAdmin, rate, () => ({ body: { user: 'x', roles: ['nope'] } })));
      expectLimited(await call(srv.baseUrl, 'POST', '/tokens', { token: busyAdmin, body: { user: 'mx-late', roles: ['auditor'] } }));
      // Listing is not limited, and the bootstrap admin still has its own budget.
      expect((await call(srv.baseUrl, 'GET', '/tokens', { token: busyAdmin })).status).toBe(200);
      expect((await call(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user: 'mx-on-time', roles: ['auditor'] } })).status).toBe(201);
    });
  });
});
