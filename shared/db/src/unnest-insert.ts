/**
 * A multi-row INSERT as `INSERT … SELECT * FROM unnest($1::type[], …)`: one
 * array parameter per column, so a batch of any size is one statement with
 * the same text (no limit of 65,535 parameters, one plan shape).
 */
export interface UnnestInsert {
  table: string;
  /** `[name, type]` pairs; each row gives its values in this order. */
  columns: ReadonlyArray<readonly [name: string, type: string]>;
  rows: ReadonlyArray<readonly unknown[]>;
  /** Text after the SELECT: `ON CONFLICT …`, `RETURNING …`. */
  suffix?: string;
}

export interface Statement {
  text: string;
  values: unknown[][];
}

function unnestInsertFrom(insert: UnnestInsert, firstParam: number): Statement {
  const names = insert.columns.map(([name]) => name).join(', ');
  const arrays = insert.columns.map(([, type], i) => `$${firstParam + i}::${type}[]`).join(', ');
  return {
    text: `INSERT INTO ${insert.table} (${names}) SELECT * FROM unnest(${arrays})${insert.suffix ? ` ${insert.suffix}` : ''}`,
    values: insert.columns.map((_, column) => insert.rows.map((row) => row[column])),
  };
}

export const unnestInsert = (insert: UnnestInsert): Statement => unnestInsertFrom(insert, 1);

/**
 * Several inserts as one statement, the first ones as data-modifying CTEs:
 * one round trip instead of one each. PostgreSQL runs them all on one
 * snapshot, so none may depend on rows another one writes. The statement
 * returns what the last insert's `RETURNING` gives.
 */
export function unnestInserts(inserts: readonly UnnestInsert[]): Statement {
  const values: unknown[][] = [];
  const texts = inserts.map((insert) => {
    const statement = unnestInsertFrom(insert, values.length + 1);
    values.push(...statement.values);
    return statement.text;
  });
  const last = texts.pop();
  if (last === undefined) throw new Error('unnestInserts needs at least one insert');
  const ctes = texts.map((text, i) => `write_${i + 1} AS (${text})`);
  return { text: ctes.length === 0 ? last : `WITH ${ctes.join(', ')} ${last}`, values };
}
