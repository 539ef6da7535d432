import { Writable } from 'node:stream';
import { readFile, rm } from 'node:fs/promises';
import { signatureHeader, timestampHeader, verifyWebhookSignature } from '@clearance/core';
import { listAuditEvents } from '@clearance/db';
import { loadPolicyDir } from '@clearance/policy';
import { collectDailyDigests } from '@clearance/services';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, cast, GITHUB_ORG, routed, submit, upstreamRequest, type ContributionWorld } from '../contributions/contribution-harness.js';
import { startFakeGitHub } from '../support/fake-github.js';
import { startFakeSmtp, type FakeSmtp } from '../support/fake-smtp.js';
import { startFakeWebhook, type FakeWebhook } from '../support/fake-webhook.js';
import { call, startTestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';
import { writeNotificationPolicy } from './notification-policy.js';

interface DeliveryState {
  recipient: string;
  channel: string;
  state: string;
  attempts: number;
  last_error: string | null;
}

/**
 * Notifications end to end on the real stack: the routing file, the audit
 * log read by the dispatcher, the outbox, BullMQ delivery jobs with retries,
 * a real SMTP server and local HTTP receivers for Slack, Teams and the signed
 * webhook.
 */
describe('notifications: email, Slack, Teams and signed webhooks through the outbox and BullMQ', () => {
  let world: ContributionWorld;
  let smtp: FakeSmtp;
  let slack: FakeWebhook;
  let teams: FakeWebhook;
  let hook: FakeWebhook;
  let policyDir: string;
  const hookSecret = 'whsec-never-in-a-log-0123456789';
  const logLines: string[] = [];

  const deliveriesOf = async (eventKeyLike: string): Promise<DeliveryState[]> =>
    (
      await world.srv.server.db.query<DeliveryState>(
        'SELECT recipient, channel, state, attempts, last_error FROM notification_deliveries WHERE event_key LIKE $1 ORDER BY recipient, channel',
        [eventKeyLike],
      )
    ).rows;
  const keyOfRequest = async (requestId: string, kind: string): Promise<string> => {
    const rows = await world.srv.server.db.query<{ event_key: string }>(
      "SELECT DISTINCT event_key FROM notification_deliveries WHERE event_kind = $1 AND notice->'data'->>'requestId' = $2",
      [kind, requestId],
    );
    const key = rows.rows[0]?.event_key;
    if (key === undefined) throw new Error(`no ${kind} notice for ${requestId} yet`);
    return key;
  };

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    [slack, teams, hook] = await Promise.all([startFakeWebhook(), startFakeWebhook(), startFakeWebhook()]);
    process.env.NTF_TEST_SLACK_URL = slack.url;
    process.env.NTF_TEST_TEAMS_URL = teams.url;
    process.env.NTF_TEST_HOOK_URL = hook.url;
    process.env.NTF_TEST_HOOK_SECRET = hookSecret;
    policyDir = await writeNotificationPolicy();
    const policy = await loadPolicyDir(policyDir);
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    const github = await startFakeGitHub();
    github.addOrg(GITHUB_ORG);
    github.addRepo({ owner: 'octo-org', name: 'widget', license: 'MIT' });
    const srv = await startTestServer(
      { GITHUB_API_URL: github.baseUrl, CLEARANCE_GITHUB_HOST: 'github.com', CLEARANCE_SMTP_URL: smtp.url, CLEARANCE_MAIL_FROM: 'Clearance <clearance@example.com>' },
      policy,
      pino({ level: 'trace' }, sink),
    );
    const tokens: Record<string, string> = {};
    for (const [user, roles] of Object.entries(cast)) {
      tokens[user] = (await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user, roles } })).body.token;
    }
    world = { srv, github, tokens, close: async () => { await srv.close(); await github.close(); } };
  }, 60_000);
  afterAll(async () => {
    await world.close();
    await Promise.all([smtp.close(), slack.close(), teams.close(), hook.close()]);
    await rm(policyDir, { recursive: true, force: true });
  });

  it('a stage waiting for the manager role: email to each manager, Slack text and blocks, a Teams card, a signed webhook that failed twice then took it once', async () => {
    hook.failNext(503, 2);
    const request = await submit(world, 'erin', upstreamRequest({ tier: 'enhancement', title: 'Notify <!channel> & friends' }));
    await routed(world, request.id);
    const key = await waitFor(() => keyOfRequest(request.id, 'stage.waiting'), { what: 'the stage.waiting notice' });
    const settled = await waitFor(
      async () => {
        const rows = await deliveriesOf(key);
        return rows.length === 5 && rows.every((row) => row.state === 'sent' || row.state === 'held') && rows;
      },
      { timeoutMs: 30_000, what: 'every delivery sent or held' },
    );
    expect(settled.map((row) => [row.recipient, row.channel, row.state])).toEqual([
      ['#legal-teams', 'legal-teams', 'sent'],
      ['#ospo-slack', 'ospo-slack', 'sent'],
      ['#ticketing', 'ticketing', 'sent'],
      ['max', 'email', 'held'],
      ['mona', 'email', 'sent'],
    ]);
    // The webhook refused twice; the third try got through, and only that one was acknowledged.
    expect(settled.find((row) => row.channel === 'ticketing')?.attempts).toBe(3);
    expect(hook.arrivals()).toBe(3);

    const mails = smtp.mails.filter((mail) => mail.text.includes(request.id));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toEqual(['mona@example.com']);
    expect(mails[0]?.subject).toBe('Review waiting: Notify <!channel> & friends');
    expect(mails[0]?.messageId).toMatch(/^<ntf_[0-9a-f]{32}@example\.com>$/);

    const [slackBody] = slack.received;
    expect(slackBody?.text).toContain('"Notify &lt;!channel&gt; &amp; friends"');
    expect(slackBody?.blocks).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'section' }), expect.objectContaining({ type: 'context' })]));

    const [teamsBody] = teams.received;
    expect(teamsBody).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } }] });

    expect(hook.requests).toHaveLength(1);
    const [signed] = hook.requests;
    if (signed === undefined) throw new Error('no webhook request');
    const header = (name: string): string | undefined => {
      const value = signed.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    expect(verifyWebhookSignature({ secret: hookSecret, timestamp: header(timestampHeader), signature: header(signatureHeader), body: signed.raw })).toBe(true);
    expect(verifyWebhookSignature({ secret: 'another secret', timestamp: header(timestampHeader), signature: header(signatureHeader), body: signed.raw })).toBe(false);
    expect(verifyWebhookSignature({ secret: hookSecret, timestamp: header(timestampHeader), signature: header(signatureHeader), body: `${signed.raw} ` })).toBe(false);
    expect(JSON.parse(signed.raw)).toMatchObject({ kind: 'stage.waiting', data: { requestId: request.id, roles: ['manager'] } });

    // A manager on the daily digest gets it in one message when the digest job runs (its clock set here).
    const digest = await collectDailyDigests({ db: world.srv.server.db }, new Date('2030-01-02T07:00:00Z'));
    expect(digest.digests).toBeGreaterThanOrEqual(1);
    const digestMail = await waitFor(() => smtp.mails.find((mail) => mail.to.includes('max@example.com')), { what: "max's digest" });
    expect(digestMail.subject).toMatch(/^Clearance daily digest, 2030-01-02: \d+ notices?$/);
    expect(digestMail.text).toContain(request.id);
    expect((await collectDailyDigests({ db: world.srv.server.db }, new Date('2030-01-02T08:00:00Z'))).digests).toBe(0);
  });

  it('a person who opted out of email gets none; the choice is theirs alone and audited', async () => {
    const optOut = await api<{ user: string; emailOptOut: boolean }>(world, 'erin', 'PUT', '/me/notifications', { emailOptOut: true });
    expect(optOut.body).toEqual({ user: 'erin', emailOptOut: true });
    expect((await api(world, 'erin', 'GET', '/me/notifications')).body).toEqual({ user: 'erin', emailOptOut: true });
    expect((await api(world, 'mona', 'GET', '/me/notifications')).body).toEqual({ user: 'mona', emailOptOut: false });
    const bad = await api<{ error: { code: string; details: Array<{ path: string }> } }>(world, 'erin', 'PUT', '/me/notifications', { emailOptOut: 'yes' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((detail) => detail.path)).toEqual(['emailOptOut']);
    expect((await listAuditEvents(world.srv.server.db, { action: 'notification.preferences-changed' }, 10)).map((event) => event.payload)).toEqual([
      { type: 'notification.preferences-changed', user: 'erin', emailOptOut: true },
    ]);

    const request = await submit(world, 'erin', upstreamRequest({ tier: 'enhancement', title: 'Opted out' }));
    await routed(world, request.id);
    const decided = await api(world, 'mona', 'POST', `/contributions/${request.id}/decisions`, { decision: 'reject', stageIndex: 0, reason: 'not now' });
    expect(decided.status).toBe(201);
    const decision = await listAuditEvents(world.srv.server.db, { subjectId: request.id, action: 'contribution.decided' }, 1);
    const seq = decision[0]?.seq ?? 0;
    await waitFor(async () => Number((await world.srv.server.db.query<{ last_seq: string }>('SELECT last_seq FROM notification_cursor')).rows[0]?.last_seq) >= seq, {
      what: 'the dispatcher past the decision',
    });
    expect(await deliveriesOf(`request.decided.${seq}`)).toEqual([]);
    await api(world, 'erin', 'PUT', '/me/notifications', { emailOptOut: false });
  });

  it('a channel that fails every try ends failed, audited and listed for admins; a retry after it recovers sends it once', async () => {
    slack.failNext(500, 1_000);
    const request = await submit(world, 'erin', upstreamRequest({ tier: 'enhancement', title: 'Slack is down' }));
    await routed(world, request.id);
    const key = await waitFor(() => keyOfRequest(request.id, 'stage.waiting'), { what: 'the stage.waiting notice' });
    const failed = await waitFor(async () => (await deliveriesOf(key)).find((row) => row.channel === 'ospo-slack' && row.state === 'failed'), {
      timeoutMs: 60_000,
      what: 'the Slack delivery to fail after every retry',
    });
    expect(failed).toMatchObject({ attempts: 6, last_error: 'Slack channel "ospo-slack" answered 500' });
    const audited = await listAuditEvents(world.srv.server.db, { action: 'notification.failed' }, 10);
    expect(audited.map((event) => event.payload)).toEqual([expect.objectContaining({ channel: 'ospo-slack', eventKey: key, attempts: 6, error: 'Slack channel "ospo-slack" answered 500' })]);

    const listed = await call<{ items: Array<{ id: string; channel: string; lastError: string; title: string }> }>(world.srv.baseUrl, 'GET', '/notifications/failed', {
      token: world.srv.adminToken,
    });
    const item = listed.body.items.find((entry) => entry.channel === 'ospo-slack');
    expect(item).toMatchObject({ lastError: 'Slack channel "ospo-slack" answered 500', title: 'Review waiting: Slack is down' });
    expect((await api(world, 'mona', 'GET', '/notifications/failed')).status).toBe(403);

    slack.failNext(500, 0);
    const before = slack.received.length;
    const retried = await call(world.srv.baseUrl, 'POST', `/notifications/deliveries/${item?.id ?? ''}/retry`, { token: world.srv.adminToken });
    expect(retried.status).toBe(202);
    await waitFor(async () => (await deliveriesOf(key)).find((row) => row.channel === 'ospo-slack')?.state === 'sent', { what: 'the retried delivery sent' });
    expect(slack.received.slice(before).filter((body) => String(body.text).includes(request.id))).toHaveLength(1);
    const again = await call(world.srv.baseUrl, 'POST', `/notifications/deliveries/${item?.id ?? ''}/retry`, { token: world.srv.adminToken });
    expect(again.status).toBe(404);
  }, 90_000);

  it('a release created with open obligations tells compliance (email and Slack), naming the release and how many are open', async () => {
    // Cody creates the release; Carla, the routed compliance recipient, is told (whoever causes an event is not).
    const cody = (await call<{ token: string }>(world.srv.baseUrl, 'POST', '/tokens', { token: world.srv.adminToken, body: { user: 'cody', roles: ['compliance'] } })).body.token;
    const rawBody = await readFile(new URL('../../fixtures/real-sboms/dropwizard/bom.json', import.meta.url));
    const sbom = await call<{ id: string }>(world.srv.baseUrl, 'POST', '/sboms', { token: cody, rawBody });
    await waitFor(async () => ((await call<{ status: string }>(world.srv.baseUrl, 'GET', `/sboms/${sbom.body.id}?limit=1`, { token: cody })).body.status === 'evaluated' ? true : undefined), {
      what: 'the SBOM evaluated',
    });
    const release = await call<{ id: string; obligations: Array<{ state: string }> }>(world.srv.baseUrl, 'POST', '/releases', {
      token: cody,
      body: { name: 'notify-widget', version: '1.0.0', sbomId: sbom.body.id },
    });
    expect(release.status).toBe(201);
    const open = release.body.obligations.filter((obligation) => obligation.state === 'open').length;
    expect(open).toBeGreaterThan(0);
    const mail = await waitFor(() => smtp.mails.find((m) => m.to.includes('carla@example.com') && m.subject.includes('notify-widget 1.0.0')), { what: "carla's obligation email" });
    expect(mail.text).toContain(`${open} open obligation`);
    await waitFor(() => slack.requests.find((request) => request.raw.includes('Obligations due: notify-widget 1.0.0')), { what: 'the Slack notice' });
    // Only compliance is routed for obligations: no manager got it.
    expect(smtp.mails.filter((m) => m.subject.includes('notify-widget')).map((m) => m.to)).toEqual([['carla@example.com']]);
  });

  it('the routing file is validated at load: an unknown channel and an inline secret are refused, naming the field', async () => {
    const dir = await writeNotificationPolicy(`version: 1
channels:
  chat: { type: slack, urlEnv: https://hooks.slack.com/services/T0/B0/XXXX }
routes:
  - events: [stage.waiting]
    channels: [chat, pager]
`);
    try {
      const refused = await loadPolicyDir(dir).then(
        () => null,
        (error: unknown) => error,
      );
      const details = (refused as { details?: Array<{ file: string; path: string; message: string }> } | null)?.details ?? [];
      expect(details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ file: 'notifications.yaml', path: 'channels.chat.urlEnv', message: expect.stringContaining('never the secret itself') }),
        ]),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('examples/notifications.yaml, the one the docs point to, is a valid routing file', async () => {
    const dir = await writeNotificationPolicy(await readFile(new URL('../../../examples/notifications.yaml', import.meta.url), 'utf8'));
    try {
      const loaded = await loadPolicyDir(dir);
      expect(Object.keys(loaded.notifications?.channels ?? {})).toEqual(['email', 'ospo-slack', 'legal-teams', 'ticketing']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('no log line holds the SMTP password or a webhook URL or secret', () => {
    const logs = logLines.join('');
    expect(logs).toContain('notification delivery');
    for (const secret of [smtp.password, smtp.url, hookSecret, '/hooks/T0/secret-part', slack.url, teams.url, hook.url]) expect(logs).not.toContain(secret);
  });
});
