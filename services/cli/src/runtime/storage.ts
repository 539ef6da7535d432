import { resolve } from 'node:path';
import { migrate, openDatabase, type Database } from '@clearance/db';

/**
 * PostgreSQL when DATABASE_URL is set, else the embedded PGlite in the data
 * folder; migrated before anything else touches it.
 */
export async function openStorage(input: {
  databaseUrl: string | undefined;
  schema: string | undefined;
  dataDir: string;
}): Promise<{ db: Database; applied: string[] }> {
  const db = input.databaseUrl
    ? await openDatabase({ kind: 'postgres', url: input.databaseUrl, schema: input.schema })
    : await openDatabase({ kind: 'pglite', dataDir: resolve(input.dataDir, 'pglite') });
  try {
    return { db, applied: await migrate(db) };
  } catch (error) {
    await db.close();
    throw error;
  }
}
