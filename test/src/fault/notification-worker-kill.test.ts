import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor, withClusterDb } from '../support/cluster-checks.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { startFakeSmtp, type FakeSmtp } from '../support/fake-smtp.js';
import { startFakeWebhook, type FakeWebhook } from '../support/fake-webhook.js';
import { startTestCluster, type TestCluster } from '../support/test-cluster.js';
import { call } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';
import { writeNotificationPolicy } from '../notifications/notification-policy.js';

/**
 * A worker process killed with SIGKILL while a webhook delivery waits for
 * its answer: after a restart the notice reaches that webhook (not lost), and
 * the channels that had already acknowledged get nothing twice.
 */
describe('kill -9 of a worker in the middle of a notification delivery (real processes)', () => {
  let github: FakeGitHub;
  let smtp: FakeSmtp;
  let slack: FakeWebhook;
  let teams: FakeWebhook;
  let hook: FakeWebhook;
  let cluster: TestCluster;
  let policyDir: string;

  beforeAll(async () => {
    github = await startFakeGitHub();
    github.addRepo({ owner: 'octo-org', name: 'widget', license: 'MIT' });
    smtp = await startFakeSmtp();
    [slack, teams, hook] = await Promise.all([startFakeWebhook(), startFakeWebhook(), startFakeWebhook()]);
    policyDir = await writeNotificationPolicy();
    cluster = await startTestCluster({
      workers: 1,
      env: {
        GITHUB_API_URL: github.baseUrl,
        CLEARANCE_POLICY_DIR: policyDir,
        CLEARANCE_SMTP_URL: smtp.url,
        NTF_TEST_SLACK_URL: slack.url,
        NTF_TEST_TEAMS_URL: teams.url,
        NTF_TEST_HOOK_URL: hook.url,
        NTF_TEST_HOOK_SECRET: 'kill-test-secret',
      },
    });
  }, 120_000);
  afterAll(async () => {
    await cluster.stop();
    await Promise.all([github.close(), smtp.close(), slack.close(), teams.close(), hook.close()]);
    await rm(policyDir, { recursive: true, force: true });
  });

  it('delivers the interrupted notice after the restart, once to every channel that acknowledged', async () => {
    const erin = await tokenFor(cluster.baseUrl, cluster.adminToken, 'erin', ['requester']);
    const held = hook.holdNext();
    const submitted = await call<{ id: string }>(cluster.baseUrl, 'POST', '/contributions', {
      token: erin,
      body: { tier: 'enhancement', upstream: 'https://github.com/octo-org/widget', title: 'Killed mid-delivery', justification: 'fault test', estimatedLinesChanged: 20 },
    });
    expect(submitted.status).toBe(202);
    const requestId = submitted.body.id;

    // The worker has sent the webhook its POST and waits for the answer: kill it there.
    await held.arrived;
    await cluster.killWorker(0, 'SIGKILL');
    held.release();
    cluster.startWorker(0);

    const schema = cluster.env.DATABASE_SCHEMA ?? '';
    const rows = await waitFor(
      () =>
        withClusterDb(schema, async (query) => {
          const found = await query<{ channel: string; recipient: string; state: string }>(
            "SELECT channel, recipient, state FROM notification_deliveries WHERE event_kind = 'stage.waiting' AND notice->'data'->>'requestId' = $1 ORDER BY recipient, channel",
            [requestId],
          );
          return found.length === 5 && found.every((row) => row.state !== 'pending') && found;
        }),
      { timeoutMs: 90_000, intervalMs: 250, what: 'every delivery settled after the restart' },
    );
    expect(rows.map((row) => [row.recipient, row.state])).toEqual([
      ['#legal-teams', 'sent'],
      ['#ospo-slack', 'sent'],
      ['#ticketing', 'sent'],
      ['max', 'held'],
      ['mona', 'sent'],
    ]);
    const mentions = (bodies: Array<Record<string, unknown>>): number => bodies.filter((body) => JSON.stringify(body).includes(requestId)).length;
    // The webhook saw the unanswered POST and then exactly one it acknowledged.
    expect(hook.arrivals()).toBe(2);
    expect(mentions(hook.received)).toBe(1);
    expect(mentions(slack.received)).toBe(1);
    expect(mentions(teams.received)).toBe(1);
    expect(smtp.mails.filter((mail) => mail.text.includes(requestId)).map((mail) => mail.to)).toEqual([['mona@example.com']]);
  }, 150_000);
});
