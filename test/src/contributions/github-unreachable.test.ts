import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/spawn-cli.js';
import { startSilentTcpServer, type SilentTcpServer } from '../support/silent-tcp-server.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';
import { actionsOf, type ContributionBody } from './contribution-harness.js';

/**
 * A GitHub that accepts connections and never answers (a black-holing proxy
 * or firewall). The worker finds it unreachable at first contact, routes the
 * request at once with a note instead of retrying for half a minute, and
 * remembers it: the next request is routed without another connection.
 */
describe('an unreachable GitHub (a TCP server that never answers)', () => {
  let silent: SilentTcpServer;
  let srv: TestServer;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    silent = await startSilentTcpServer();
    srv = await startTestServer({ GITHUB_API_URL: silent.baseUrl, CLEARANCE_GITHUB_HOST: 'github.com' });
    for (const [user, roles] of Object.entries({ erin: ['requester'], audrey: ['auditor'] })) {
      tokens[user] = (await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user, roles } })).body.token;
    }
  });
  afterAll(async () => {
    await srv?.close();
    await silent?.close();
  });

  it('submit --wait prints the id at once, then each stage, and the request is routed to a person with the note', { timeout: 90_000 }, async () => {
    const cli = spawnCli(
      ['submit', '--tier', 'bug-fix', '--upstream', 'https://github.com/octo-org/widget', '--title', 'Fix the pager', '--justification', 'Customers hit it', '--lines', '5', '--wait'],
      { CLEARANCE_URL: srv.baseUrl, CLEARANCE_TOKEN: tokens.erin },
    );
    expect(await cli.exited).toBe(0);
    const lines = cli.stdout().split('\n');
    expect(lines[0]).toMatch(/^Submitted ctr_[0-9a-f]{20} \(bug-fix, revision 1\): submitted$/);
    expect(lines[1]).toBe('  submitted: queued: waiting for a worker to read GitHub and route it');
    expect(lines).toContain('  routed: in-review');
    expect(cli.stdout()).toContain('enrichment-finding [note]: GitHub unreachable: routed without upstream facts');
    expect(cli.stderr()).toBe('');

    const id = /^Submitted (ctr_[0-9a-f]{20})/.exec(lines[0] ?? '')?.[1] ?? '';
    const request = (await call<ContributionBody>(srv.baseUrl, 'GET', `/contributions/${id}`, { token: tokens.audrey })).body;
    expect(request.enrichment?.upstream).toBeNull();
    expect(request.enrichment?.findings).toEqual([expect.stringMatching(/^GitHub unreachable: routed without upstream facts \(GitHub getUpstream octo-org\/widget: unreachable at http:\/\/127\.0\.0\.1:\d+ /)]);
    // A person checks what GitHub could not say.
    expect(request.plan?.explanation.map((entry) => entry.rule)).toContain('missing-enrichment');
    expect(await actionsOf(srv.server.db, id)).toEqual(expect.arrayContaining(['contribution.enrichment-failed', 'contribution.enriched', 'contribution.routed']));
    expect(silent.requests).toBe(1);
  });

  it('remembers the failure: the next request is routed with the note and no new request to GitHub', { timeout: 60_000 }, async () => {
    const submitted = await call<ContributionBody>(srv.baseUrl, 'POST', '/contributions', {
      token: tokens.erin,
      body: { tier: 'bug-fix', upstream: 'https://github.com/octo-org/gadget', title: 'Fix a leak', justification: 'Memory grows', estimatedLinesChanged: 3 },
    });
    expect(submitted.status).toBe(202);
    const result = await waitFor(
      async () => {
        const body = (await call<ContributionBody>(srv.baseUrl, 'GET', `/contributions/${submitted.body.id}`, { token: tokens.audrey })).body;
        return body.status === 'submitted' || body.status === 'enriching' ? undefined : body;
      },
      { what: 'the second request to be routed' },
    );
    expect(result.status).toBe('in-review');
    expect(result.enrichment?.findings.join(' ')).toMatch(/^GitHub unreachable: routed without upstream facts \(GitHub getUpstream octo-org\/gadget: not tried, GitHub was unreachable at /);
    expect(silent.requests).toBe(1);
  });
});
