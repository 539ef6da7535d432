import type { Queryable } from '../database.js';

export interface StoredPolicyFile {
  name: string;
  content: string;
  sha256: string;
}

export async function savePolicyVersion(tx: Queryable, version: string, files: readonly StoredPolicyFile[]): Promise<void> {
  await tx.query('INSERT INTO policy_versions (version, files) VALUES ($1, $2) ON CONFLICT (version) DO NOTHING', [
    version,
    JSON.stringify(files),
  ]);
}

export async function findPolicyVersions(db: Queryable, versions: readonly string[]): Promise<Array<{ version: string; files: StoredPolicyFile[] }>> {
  const { rows } = await db.query<{ version: string; files: StoredPolicyFile[] }>(
    'SELECT version, files FROM policy_versions WHERE version = ANY($1) ORDER BY version',
    [versions],
  );
  return rows;
}

/** The version named by the newest `policy.activated` event, or null before the first. */
export async function lastActivatedPolicyVersion(db: Queryable): Promise<string | null> {
  const { rows } = await db.query<{ version: string }>(
    "SELECT payload->>'version' AS version FROM audit_events WHERE action = 'policy.activated' ORDER BY seq DESC LIMIT 1",
  );
  return rows[0]?.version ?? null;
}
