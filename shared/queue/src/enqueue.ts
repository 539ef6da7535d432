import { insertOutbox, outboxInsert, type NewOutboxRow, type Queryable, type UnnestInsert } from '@clearance/db';
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

const outboxRowsOf = <Name extends JobName>(name: Name, payloads: ReadonlyArray<JobPayload<Name>>, options: { runAt?: Date }): NewOutboxRow[] =>
  payloads.map((payload) => {
    const parsed = jobCatalog[name].schema.parse(payload) as JobPayload<Name>;
    return { id: jobIdOf(name, parsed), jobName: name, payload: parsed, runAt: options.runAt };
  });

/** `enqueue` for several jobs of one kind, with one statement; returns the ids that were new. */
export async function enqueueEach<Name extends JobName>(
  tx: Queryable,
  name: Name,
  payloads: ReadonlyArray<JobPayload<Name>>,
  options: { runAt?: Date } = {},
): Promise<string[]> {
  const rows = outboxRowsOf(name, payloads, options);
  const inserted = await insertOutbox(tx, rows);
  return rows.map((row) => row.id).filter((id) => inserted.has(id));
}

/**
 * `enqueueEach` as an insert to write along with others in one statement
 * (see `appendAuditEvents`), for work that is certainly new (its domain key
 * was created in the same transaction): it does not report which ids were.
 */
export const enqueueInsert = <Name extends JobName>(
  name: Name,
  payloads: ReadonlyArray<JobPayload<Name>>,
  options: { runAt?: Date } = {},
): UnnestInsert => outboxInsert(outboxRowsOf(name, payloads, options));
