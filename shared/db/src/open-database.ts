import type { Database } from './database.js';
import { openPglite } from './pglite-database.js';
import { openPostgres } from './postgres-database.js';

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; schema?: string; maxConnections?: number }
  | { kind: 'pglite'; dataDir: string | null };

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'postgres'
    ? openPostgres({ connectionString: target.url, schema: target.schema, maxConnections: target.maxConnections })
    : openPglite(target.dataDir);
}
