import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Umzug, type UmzugStorage } from 'umzug';
import type { Database, Queryable } from './database.js';

const migrationsDir = fileURLToPath(new URL('../migrations/', import.meta.url));

const storage: UmzugStorage<Queryable> = {
  async executed({ context }) {
    await context.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await context.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    return rows.map((row) => row.name);
  },
  async logMigration({ name, context }) {
    await context.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
  },
  async unlogMigration({ name, context }) {
    await context.query('DELETE FROM schema_migrations WHERE name = $1', [name]);
  },
};

/**
 * Applies the pending SQL migrations, all in one transaction, so a crash
 * leaves the schema as it was. The advisory lock lets the API and several
 * workers start at once against one database: one migrates, the others wait
 * and then find nothing to do.
 */
export async function migrate(db: Database): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.clearance.migrate'))");
    const umzug = new Umzug<Queryable>({
      migrations: {
        glob: ['*.sql', { cwd: migrationsDir }],
        resolve: ({ name, path }) => ({
          name,
          up: async ({ context }) => {
            if (!path) throw new Error(`migration ${name} has no file`);
            await context.exec(await readFile(path, 'utf8'));
          },
        }),
      },
      context: tx,
      storage,
      logger: undefined,
    });
    const applied = await umzug.up();
    return applied.map((migration) => migration.name);
  });
}
