import type { Database } from '@clearance/db';
import { z } from 'zod';
import { parseEnvironment } from '../config/environment.js';

const storageEnvironmentSchema = z.object({
  DATABASE_URL: z.string().optional(),
  DATABASE_SCHEMA: z.string().optional(),
  CLEARANCE_DATA_DIR: z.string().min(1).default('.clearance-data'),
});

/**
 * Opens the same storage the server uses, for admin commands. With the
 * embedded database only one process may hold the folder: stop the server
 * first, or use the HTTP API instead.
 */
export async function withStorage<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const env = parseEnvironment(storageEnvironmentSchema, process.env);
  const { openStorage } = await import('../runtime/storage.js');
  const { db } = await openStorage({ databaseUrl: env.DATABASE_URL, schema: env.DATABASE_SCHEMA, dataDir: env.CLEARANCE_DATA_DIR });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}
