import { readFile } from 'node:fs/promises';
import { generateSigningKey, keyIdOf } from '@clearance/core';
import { migrate, openPostgres, type Database } from '@clearance/db';
import { loadDefaultPolicy, type LoadedPolicy } from '@clearance/policy';
import { evaluateStoredSbom, uploadSbom, verifyAuditLog, type PolicyContext } from '@clearance/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl, uniqueName } from '../support/test-database.js';

/**
 * The database connection dies in the middle of a worker's transaction (the
 * backend is terminated, as a failover or an admin would): nothing of the
 * transaction may remain, the chain stays whole, and the retry succeeds.
 */
describe('PostgreSQL connection dropped mid-transaction', () => {
  const schema = uniqueName('pgterm');
  const applicationName = uniqueName('clearance_fault');
  let db: Database;
  let admin: Database;
  let policy: PolicyContext;

  beforeAll(async () => {
    db = await openPostgres({ connectionString: testDatabaseUrl, schema, maxConnections: 3, applicationName });
    admin = await openPostgres({ connectionString: testDatabaseUrl, maxConnections: 1 });
    await migrate(db);
    const loaded: LoadedPolicy = await loadDefaultPolicy();
    policy = loaded;
  });
  afterAll(async () => {
    await db.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.close();
  });

  it('leaves no partial rows, keeps the chain whole, and the retry evaluates', async () => {
    const content = await readFile(new URL('../../fixtures/real-sboms/juice-shop/bom.1.4.json', import.meta.url));
    const row = await uploadSbom({ db, policy }, { content, filename: null, uploadedBy: 'carla' });

    let terminated = 0;
    const killOwnBackend = async (): Promise<void> => {
      // Called between batches of findings, inside the evaluation's transaction.
      const result = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle in transaction'`,
        [applicationName],
      );
      terminated += result.rowCount;
    };
    await expect(evaluateStoredSbom({ db, policy }, { sbomId: row.id, evaluation: 1, keepAlive: killOwnBackend })).rejects.toThrow();
    expect(terminated).toBe(1);

    const findings = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM sbom_findings WHERE sbom_id = $1', [row.id]);
    expect(findings.rows[0]?.count).toBe(0);
    const state = await db.query<{ status: string }>('SELECT status FROM sboms WHERE id = $1', [row.id]);
    expect(state.rows[0]?.status).toBe('queued');
    const evaluatedEvents = await db.query("SELECT 1 FROM audit_events WHERE action = 'sbom.evaluated'");
    expect(evaluatedEvents.rowCount).toBe(0);

    // The job's retry (same payload) finds the SBOM still queued and completes it.
    expect(await evaluateStoredSbom({ db, policy }, { sbomId: row.id, evaluation: 1 })).toBe('evaluated');
    const key = generateSigningKey();
    const report = await verifyAuditLog(db, { publicKeyPem: key.publicKeyPem, keyId: keyIdOf(key.publicKeyPem), checkpointDir: null });
    // sbom.uploaded, then the one sbom.evaluated of the retry.
    expect(report).toMatchObject({ ok: true, eventCount: 2 });
  });
});
