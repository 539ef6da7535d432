import { openPostgres } from '@clearance/db';
import { call } from './test-server.js';
import { testDatabaseUrl } from './test-database.js';

/** Rows and events of a cluster's schema, read straight from PostgreSQL. */
export async function withClusterDb<T>(schema: string, work: (query: <R>(sql: string, params?: unknown[]) => Promise<R[]>) => Promise<T>): Promise<T> {
  const db = await openPostgres({ connectionString: testDatabaseUrl, schema, maxConnections: 2 });
  try {
    return await work(async <R>(sql: string, params?: unknown[]) => (await db.query<R>(sql, params)).rows);
  } finally {
    await db.close();
  }
}

/** (action, subject) pairs recorded more than once among actions that must happen once per subject. */
export const duplicateEventsSql = `
  SELECT action, subject_id, count(*)::int AS count FROM audit_events
  WHERE action IN ('sbom.uploaded', 'sbom.evaluated', 'contribution.submitted', 'contribution.enriched',
                   'contribution.routed', 'contribution.auto-approved', 'contribution.auto-rejected')
  GROUP BY action, subject_id HAVING count(*) > 1`;

export async function tokenFor(baseUrl: string, adminToken: string, user: string, roles: string[]): Promise<string> {
  const response = await call<{ token: string }>(baseUrl, 'POST', '/tokens', { token: adminToken, body: { user, roles } });
  if (response.status !== 201) throw new Error(`token for ${user}: ${response.status}`);
  return response.body.token;
}

/** Runs `task` over `items` with at most `limit` at a time. */
export async function inBatches<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index] as T, index);
    }
  });
  await Promise.all(runners);
  return results;
}
