import type { Contribution, ContributionDetail } from '@clearance/contract';
import { computeEventHash, GENESIS_HASH, type AuditEventRecord } from '@clearance/core';
import { listAuditEvents, type Database } from '@clearance/db';
import type { LoadedPolicy } from '@clearance/policy';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { call, startTestServer, type ApiResponse, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

/** A contribution request as the API answers it (the route contract's type); the detail route adds the revision chain. */
export type ContributionBody = Contribution & Partial<Pick<ContributionDetail, 'nextRevisionId' | 'revisions'>>;

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** A running server whose workers talk to a fake GitHub, with a token per person. */
export interface ContributionWorld {
  srv: TestServer;
  github: FakeGitHub;
  tokens: Record<string, string>;
  close(): Promise<void>;
}

/** People of the default cast and their roles. */
export const cast: Record<string, string[]> = {
  erin: ['requester'],
  omar: ['requester'],
  mona: ['manager'],
  max: ['manager'],
  olga: ['ospo'],
  otto: ['ospo'],
  lee: ['legal'],
  sam: ['security'],
  audrey: ['auditor'],
  // A manager who also contributes: may submit, never decide their own request.
  rita: ['requester', 'manager'],
  // Holds two reviewer roles: may sign one stage of a request, never two.
  mo: ['manager', 'ospo'],
};

export const GITHUB_ORG = 'acme-oss';

export async function startContributionWorld(overrides: Record<string, string> = {}, policy?: LoadedPolicy): Promise<ContributionWorld> {
  const github = await startFakeGitHub();
  github.addOrg(GITHUB_ORG);
  const srv = await startTestServer({ GITHUB_API_URL: github.baseUrl, CLEARANCE_GITHUB_HOST: 'github.com', CLEARANCE_GITHUB_ORG: GITHUB_ORG, ...overrides }, policy);
  const tokens: Record<string, string> = {};
  for (const [user, roles] of Object.entries(cast)) {
    const created = await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user, roles } });
    tokens[user] = created.body.token;
  }
  return {
    srv,
    github,
    tokens,
    async close() {
      await srv.close();
      await github.close();
    },
  };
}

export const tokenOf = (world: ContributionWorld, user: string): string => {
  const token = world.tokens[user];
  if (token === undefined) throw new Error(`no token for ${user}`);
  return token;
};

export const api = <T = ContributionBody>(world: ContributionWorld, user: string, method: string, path: string, body?: unknown): Promise<ApiResponse<T>> =>
  call<T>(world.srv.baseUrl, method, path, { token: tokenOf(world, user), ...(body === undefined ? {} : { body }) });

export const submit = async (world: ContributionWorld, user: string, request: Record<string, unknown>): Promise<ContributionBody> => {
  const response = await api(world, user, 'POST', '/contributions', request);
  if (response.status !== 202) throw new Error(`submit answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
};

/** Waits until the worker has enriched and routed the request. */
export const routed = (world: ContributionWorld, id: string, user = 'audrey'): Promise<ContributionBody> =>
  waitFor(
    async () => {
      const response = await api(world, user, 'GET', `/contributions/${id}`);
      return response.body.status !== 'submitted' && response.body.status !== 'enriching' ? response.body : undefined;
    },
    { what: `request ${id} to be routed` },
  );

export const decide = (world: ContributionWorld, user: string, id: string, body: Record<string, unknown>) =>
  api<{ decision: { stageIndex: number; decision: string }; outcome: string; request: ContributionBody } & ErrorBody>(world, user, 'POST', `/contributions/${id}/decisions`, body);

export const upstreamRequest = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  tier: 'bug-fix',
  upstream: 'https://github.com/octo-org/widget',
  title: 'Fix the pager off-by-one',
  justification: 'Customers hit it every day',
  estimatedLinesChanged: 20,
  ...overrides,
});

export const actionsOf = async (db: Database, requestId: string): Promise<string[]> =>
  (await listAuditEvents(db, { subjectType: 'contribution', subjectId: requestId }, 1_000)).map((event) => event.action);

/** Recomputes every hash of the log from the stored events: the chain is intact and gap-free. */
export async function expectIntactChain(db: Database): Promise<AuditEventRecord[]> {
  const events = await listAuditEvents(db, {}, 100_000);
  let previous = GENESIS_HASH;
  events.forEach((event, index) => {
    if (event.seq !== index + 1) throw new Error(`audit sequence gap at ${event.seq}`);
    if (event.prevHash !== previous) throw new Error(`audit event ${event.seq} does not link to the one before`);
    const { prevHash: _prev, hash: _hash, ...body } = event;
    if (computeEventHash(event.prevHash, body) !== event.hash) throw new Error(`audit event ${event.seq} does not match its hash`);
    previous = event.hash;
  });
  return events;
}
