import { migrate, openPglite } from '@clearance/db';

/**
 * `node bench/dist/pglite-open-child.js <data folder>`: opens (creating it
 * when missing) a PGlite database, applies Clearance's migrations and closes
 * it, as `clearance serve` does at start without DATABASE_URL.
 */
const [dataDir] = process.argv.slice(2);
if (dataDir === undefined) {
  process.stderr.write('usage: pglite-open-child.js <data folder>\n');
  process.exit(2);
}
const db = await openPglite(dataDir);
await migrate(db);
await db.close();
