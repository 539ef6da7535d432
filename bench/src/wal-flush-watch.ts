import { openPostgres } from '@clearance/db';

const SAMPLE_EVERY_MS = 20;

/**
 * Runs `measure` and says how long, at the longest, a statement was seen
 * waiting for the WAL to reach the disk meanwhile: every 20 ms it reads
 * `pg_stat_activity` for client backends in the WAL flush (`IO/WALSync`, its
 * own fsync; `LWLock/WALWrite`, queued behind another's) and keeps the
 * oldest such statement's running time. An accepted request waits for its
 * commit's flush, so one slow fsync of a shared disk holds every request of
 * its moment: an intake stall seen here at a steady rate (answers up to
 * 298 ms late) was COMMITs in `WALSync` for up to 274 ms, sampled this way.
 * A lower bound (the statement may wait on after the last sample), to 20 ms.
 */
export async function withWalFlushWatch<T>(connectionString: string, measure: () => Promise<T>): Promise<{ result: T; longestWalWaitMs: number }> {
  const db = await openPostgres({ connectionString, maxConnections: 1, applicationName: 'bench-wal-flush-watch' });
  let longest = 0;
  let watching = true;
  let failure: Error | undefined;
  const watch = (async () => {
    while (watching) {
      const { rows } = await db.query<{ ms: number | null }>(
        `SELECT max(extract(epoch FROM clock_timestamp() - query_start) * 1000)::float8 AS ms FROM pg_stat_activity
          WHERE backend_type = 'client backend' AND state = 'active'
            AND ((wait_event_type = 'IO' AND wait_event = 'WALSync') OR (wait_event_type = 'LWLock' AND wait_event = 'WALWrite'))`,
      );
      longest = Math.max(longest, rows[0]?.ms ?? 0);
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
    }
  })().catch((error: unknown) => {
    failure = error instanceof Error ? error : new Error(String(error));
  });
  let result: T;
  try {
    result = await measure();
  } finally {
    watching = false;
    await watch;
    await db.close();
  }
  if (failure !== undefined) throw failure;
  return { result, longestWalWaitMs: Math.round(longest) };
}
