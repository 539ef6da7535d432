import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { lockDataFolder } from './data-folder-lock.js';
import type { Database, QueryResult, Queryable } from './database.js';

const INT8_OID = 20;

/**
 * The embedded default: PostgreSQL compiled to WASM, keeping its files in a
 * local folder. One process per folder, which is why the all-in-one mode is
 * one process.
 */
export async function openPglite(dataDir: string | null): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const lock = dataDir ? lockDataFolder(dataDir) : null;
  // int8 values we store are sequence numbers and counts well below 2^53.
  const parsers = { [INT8_OID]: (value: string) => Number(value) };
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir ? { dataDir, parsers } : { parsers });
  } catch (error) {
    lock?.release();
    throw error;
  }

  const toResult = <Row>(result: { rows: unknown[]; affectedRows?: number }): QueryResult<Row> => ({
    rows: result.rows as Row[],
    rowCount: result.affectedRows ?? result.rows.length,
  });

  return {
    kind: 'pglite',
    query: async (sql, params) => toResult(await pglite.query(sql, params as unknown[] | undefined)),
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    transaction: (work) =>
      pglite.transaction(async (inner) => {
        const tx: Queryable = {
          query: async (sql, params) => toResult(await inner.query(sql, params as unknown[] | undefined)),
          exec: async (sql) => {
            await inner.exec(sql);
          },
        };
        return work(tx);
      }),
    // PGlite has LISTEN/NOTIFY (one process, so its own notifications are the only ones).
    listen: async (channel, onNotify) => {
      const unlisten = await pglite.listen(channel, onNotify);
      return () => unlisten();
    },
    close: async () => {
      await pglite.close();
      lock?.release();
    },
  };
}
