import type { Database } from '@clearance/db';
import type { JobLogger } from '@clearance/queue';
import type { PolicyContext } from '@clearance/services';

/** What every handler may use; built once per worker process. */
export interface WorkerDependencies {
  db: Database;
  log: JobLogger;
  policy: PolicyContext;
  redisPrefix: string;
  /** Called after a handler committed outbox rows, so the relay sends them now. */
  nudgeRelay: () => void;
}
