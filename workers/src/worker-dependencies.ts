import type { Database } from '@clearance/db';
import type { JobLogger } from '@clearance/queue';
import type { NotificationPolicy } from '@clearance/core';
import type { ContributionGitHub, NotificationSender, PolicyContext } from '@clearance/services';

/** What every handler may use; built once per worker process. */
export interface WorkerDependencies {
  db: Database;
  log: JobLogger;
  policy: PolicyContext;
  redisPrefix: string;
  /** Called after a handler committed outbox rows, so the relay sends them now. */
  nudgeRelay: () => void;
  /** GitHub as contribution jobs use it (GITHUB_API_URL, GITHUB_TOKEN). */
  github: ContributionGitHub;
  /** CLEARANCE_GITHUB_ORG: where approved new projects get their repository; null: not configured. */
  githubOrg: string | null;
  /** The routing in force (notifications.yaml, plus CLEARANCE_NOTIFY_WEBHOOK_URL's route) and the sender of its channels. */
  notifications: { routing: NotificationPolicy | null; send: NotificationSender };
}
