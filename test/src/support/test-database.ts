import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openPglite, openPostgres, type Database } from '@clearance/db';

/** The real PostgreSQL server the tests use (trust auth on this machine and in CI). */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  db: Database;
  schema: string | null;
  close(): Promise<void>;
}

export const uniqueName = (prefix: string): string => `${prefix}_${randomBytes(5).toString('hex')}`;

/** A migrated database in a schema of its own on the real server, dropped on close. */
export async function openTestPostgres(prefix = 't'): Promise<TestDatabase> {
  const schema = uniqueName(prefix);
  const db = await openPostgres({ connectionString: testDatabaseUrl, schema, maxConnections: 5 });
  await migrate(db);
  return {
    db,
    schema,
    async close() {
      await db.query(`DROP SCHEMA "${schema}" CASCADE`);
      await db.close();
    },
  };
}

/** A migrated PGlite database in a temporary folder, removed on close. */
export async function openTestPglite(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'clearance-pglite-'));
  const db = await openPglite(join(dir, 'db'));
  await migrate(db);
  return {
    db,
    schema: null,
    async close() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const databaseKinds = [
  { name: 'postgres', open: openTestPostgres },
  { name: 'pglite', open: openTestPglite },
] as const;
