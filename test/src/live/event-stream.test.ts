import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, decide, routed, startContributionWorld, submit, tokenOf, upstreamRequest, type ContributionWorld } from '../contributions/contribution-harness.js';
import { openEventStream, type EventStreamClient } from '../support/event-stream-client.js';
import { call } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

const cookieOf = (headers: Headers): string => (headers.get('set-cookie') ?? '').split(';')[0] ?? '';

/**
 * GET /events against the real all-in-one server on PostgreSQL: who gets
 * which change, resuming after Last-Event-ID from the audit log, the UI
 * session cookie as the browser's way in, heartbeats, and bad ids refused.
 */
describe('live event stream (Server-Sent Events, PostgreSQL LISTEN/NOTIFY)', () => {
  let world: ContributionWorld;
  const streams: EventStreamClient[] = [];
  const open = async (user: string, query = '', headers: Record<string, string> = {}): Promise<EventStreamClient> => {
    const stream = await openEventStream(`${world.srv.baseUrl}/events${query}`, { authorization: `Bearer ${tokenOf(world, user)}`, ...headers });
    streams.push(stream);
    return stream;
  };
  const changeOf = (id: string) => (data: Record<string, unknown>) => data.subjectId === id;

  beforeAll(async () => {
    world = await startContributionWorld({ CLEARANCE_SSE_HEARTBEAT_MS: '100' });
    world.github.addRepo({ owner: 'octo-org', name: 'widget', license: 'MIT' });
  });
  // The server stops with streams still open: they end, and stop does not wait for them.
  afterAll(async () => {
    await world.close();
    await Promise.all(streams.map((stream) => stream.ended));
  });

  it('refuses a caller without a token or cookie; the cookie from POST /events/session opens it and nothing else', async () => {
    const anonymous = await openEventStream(`${world.srv.baseUrl}/events`, {});
    anonymous.close();
    expect(anonymous.status).toBe(401);

    const issued = await call<{ path: string; expiresAt: string }>(world.srv.baseUrl, 'POST', '/events/session', { token: tokenOf(world, 'erin') });
    expect(issued.status).toBe(201);
    expect(issued.body.path).toBe('/events');
    const header = issued.headers.get('set-cookie') ?? '';
    expect(header).toContain('Path=/events');
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Strict');

    const cookie = cookieOf(issued.headers);
    const viaCookie = await openEventStream(`${world.srv.baseUrl}/events`, { cookie });
    streams.push(viaCookie);
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.contentType).toMatch(/^text\/event-stream/);
    await viaCookie.next('ready');
    // The cookie is not a token: the rest of the API still wants the bearer header.
    expect((await fetch(`${world.srv.baseUrl}/me`, { headers: { cookie } })).status).toBe(401);
  });

  it("gives each person the changes they may read: the requester their own, reviewers and auditors everyone's", async () => {
    const erin = await open('erin');
    const omar = await open('omar');
    const mona = await open('mona');
    const audrey = await open('audrey');
    await Promise.all([erin, omar, mona, audrey].map((stream) => stream.next('ready')));

    const erins = await submit(world, 'erin', upstreamRequest({ title: 'Erin fixes the pager' }));
    await erin.next('change', changeOf(erins.id), "erin's request");
    await mona.next('change', changeOf(erins.id), "erin's request (for a manager)");
    const seen = await audrey.next('change', changeOf(erins.id), "erin's request (for an auditor)");
    expect(seen.id).toBe(String((seen.data as { seq: number }).seq));

    const omars = await submit(world, 'omar', upstreamRequest({ title: 'Omar fixes the pager too' }));
    await omar.next('change', changeOf(omars.id), "omar's request");
    // Events arrive in sequence order, so omar has passed erin's by now: none of it reached him.
    expect(omar.events.some((event) => (event.data as { subjectId?: string }).subjectId === erins.id)).toBe(false);
    // Token changes are audit readers' business only.
    await call(world.srv.baseUrl, 'POST', '/tokens', { token: world.srv.adminToken, body: { user: 'newcomer', roles: ['requester'] } });
    await audrey.next('change', (data) => data.subjectType === 'token', 'a token change');
    const routedRequest = await routed(world, erins.id);
    expect(routedRequest.status).toBe('in-review');
    const decision = await decide(world, 'mona', erins.id, { decision: 'approve', stageIndex: 0 });
    expect(decision.status).toBe(201);
    await erin.next('change', (data) => data.subjectId === erins.id && data.action === 'contribution.decided', 'the decision on her request');
    expect(erin.events.every((event) => event.event !== 'change' || (event.data as { subjectId: string }).subjectId === erins.id)).toBe(true);
  });

  it('narrows to one subject with ?subjectType=&subjectId=', async () => {
    const first = await submit(world, 'erin', upstreamRequest({ title: 'Watched' }));
    const watcher = await open('audrey', `?subjectType=contribution&subjectId=${first.id}`);
    await watcher.next('ready');
    const other = await submit(world, 'erin', upstreamRequest({ title: 'Not watched' }));
    await api(world, 'erin', 'POST', `/contributions/${first.id}/withdraw`, {});
    await watcher.next('change', (data) => data.action === 'contribution.withdrawn', 'the withdrawal');
    expect(watcher.events.some((event) => (event.data as { subjectId?: string }).subjectId === other.id)).toBe(false);
  });

  it('resumes after Last-Event-ID (or ?after=) with exactly the events the client missed, read from the audit log', async () => {
    const auditor = await open('audrey');
    const ready = await auditor.next('ready');
    const from = Number(ready.id);
    const made = [];
    for (let n = 0; n < 3; n += 1) made.push(await submit(world, 'erin', upstreamRequest({ title: `Missed ${n}` })));
    const lastMade = made.at(-1)?.id ?? '';
    await auditor.next('change', changeOf(lastMade), 'the last one made');
    const live = auditor.events.filter((event) => event.event === 'change' && Number(event.id) > from).map((event) => event.id);

    const resumed = await open('audrey', '', { 'last-event-id': String(from) });
    const resumedReady = await resumed.next('ready');
    const replayed = resumed.events.filter((event) => event.event === 'change').map((event) => event.id);
    expect(replayed.slice(0, live.length)).toEqual(live);
    expect(Number(resumedReady.id)).toBeGreaterThanOrEqual(Number(live.at(-1)));

    const viaQuery = await open('audrey', `?after=${from}`);
    await viaQuery.next('ready');
    expect(viaQuery.events.filter((event) => event.event === 'change').map((event) => event.id).slice(0, live.length)).toEqual(live);

    // A requester resuming gets only her own requests' changes, and her id still moves past the rest (id-only frames).
    const erin = await open('erin', '', { 'last-event-id': String(from) });
    await erin.next('ready');
    const subjects = new Set(erin.events.filter((event) => event.event === 'change').map((event) => (event.data as { subjectId: string }).subjectId));
    expect(subjects.has(lastMade)).toBe(true);
    for (const id of subjects) expect((await api(world, 'audrey', 'GET', `/contributions/${id}`)).body.requester).toBe('erin');
    expect(Number(erin.lastId())).toBeGreaterThanOrEqual(Number(live.at(-1)));
  });

  it('says reset when it cannot replay (an id past the end of the log)', async () => {
    const stream = await open('audrey', '', { 'last-event-id': '999999999' });
    const reset = await stream.next('reset');
    expect((reset.data as { reason: string }).reason).toContain('past the end');
    await stream.next('ready');
  });

  it('refuses an id that is not a sequence number with 422 naming it', async () => {
    const badHeader = await call<{ error: { code: string; details: Array<{ path: string }> } }>(world.srv.baseUrl, 'GET', '/events', {
      token: tokenOf(world, 'audrey'),
      headers: { 'last-event-id': 'abc' },
    });
    expect(badHeader.status).toBe(422);
    expect(badHeader.body.error.details[0]?.path).toBe('Last-Event-ID');
    const badQuery = await call<{ error: { code: string; details: Array<{ path: string }> } }>(world.srv.baseUrl, 'GET', '/events?after=-1', { token: tokenOf(world, 'audrey') });
    expect(badQuery.status).toBe(422);
    expect(badQuery.body.error.details[0]?.path).toBe('after');
  });

  it('sends heartbeat comments on an idle stream', async () => {
    const stream = await open('omar');
    await stream.next('ready');
    await waitFor(() => stream.comments() >= 2, { what: 'two heartbeat comments' });
  });
});
