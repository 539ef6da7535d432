import type { Queryable } from '@clearance/db';
import { insertOutbox } from '@clearance/db';
import { jobCatalog, jobIdOf, type JobName, type JobPayload } from './job-catalog.js';

/**
 * The only way domain code asks for work: an outbox row written in the
 * caller's transaction, next to the change and its audit event. The relay
 * moves it to Redis after commit, so a crash or a Redis outage loses nothing.
 * Returns the job id, or null when the same work was already queued.
 */
export async function enqueue<Name extends JobName>(
  tx: Queryable,
  name: Name,
  payload: JobPayload<Name>,
  options: { runAt?: Date } = {},
): Promise<string | null> {
  const parsed = jobCatalog[name].schema.parse(payload) as JobPayload<Name>;
  const id = jobIdOf(name, parsed);
  const inserted = await insertOutbox(tx, { id, jobName: name, payload: parsed, runAt: options.runAt });
  return inserted ? id : null;
}
