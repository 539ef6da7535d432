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
  const [id] = await enqueueEach(tx, name, [payload], options);
  return id ?? null;
}

/** `enqueue` for several jobs of one kind, with one statement; returns the ids that were new. */
export async function enqueueEach<Name extends JobName>(
  tx: Queryable,
  name: Name,
  payloads: ReadonlyArray<JobPayload<Name>>,
  options: { runAt?: Date } = {},
): Promise<string[]> {
  const rows = payloads.map((payload) => {
    const parsed = jobCatalog[name].schema.parse(payload) as JobPayload<Name>;
    return { id: jobIdOf(name, parsed), jobName: name, payload: parsed, runAt: options.runAt };
  });
  const inserted = await insertOutbox(tx, rows);
  return rows.map((row) => row.id).filter((id) => inserted.has(id));
}
