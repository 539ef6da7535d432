/**
 * The one database interface of Clearance. Repositories and services take a
 * `Queryable` so the same code runs on a pool, inside a transaction, on real
 * PostgreSQL or on the embedded PGlite.
 */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** How a PostgreSQL database was opened, so another thread can open its own pool to it (none for PGlite). */
  readonly connection?: { connectionString: string; schema?: string };
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * LISTENs on a channel until the returned function is called. `onNotify`
   * gets each notification's payload, and null when the listening connection
   * came back after a loss (notifications may have been missed meanwhile).
   */
  listen(channel: string, onNotify: (payload: string | null) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
