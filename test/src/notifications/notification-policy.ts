import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The routing file the notification tests run with: one channel of each kind, people by role, one on a daily digest. */
export const testNotificationsYaml = `version: 1
channels:
  email: { type: email }
  ospo-slack: { type: slack, urlEnv: NTF_TEST_SLACK_URL }
  legal-teams: { type: teams, urlEnv: NTF_TEST_TEAMS_URL }
  ticketing: { type: webhook, urlEnv: NTF_TEST_HOOK_URL, secretEnv: NTF_TEST_HOOK_SECRET }
recipients:
  mona: { email: mona@example.com, roles: [manager] }
  max: { email: max@example.com, roles: [manager], digest: daily }
  erin: { email: erin@example.com }
  carla: { email: carla@example.com, roles: [compliance] }
routes:
  - events: [stage.waiting]
    channels: [email, ospo-slack, legal-teams, ticketing]
    eventAudience: true
  - events: [request.decided]
    channels: [email]
    eventAudience: true
  - events: [waiver.expiring, obligation.due]
    channels: [email, ospo-slack]
    roles: [compliance]
waiverExpiryDays: [30, 7]
`;

/** The default policy folder plus that routing file, in a fresh temporary folder. */
export async function writeNotificationPolicy(yaml = testNotificationsYaml): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'clearance-notify-policy-'));
  await cp(fileURLToPath(new URL('../../../policies/', import.meta.url)), dir, { recursive: true });
  await writeFile(join(dir, 'notifications.yaml'), yaml);
  return dir;
}
