/**
 * A multi-row INSERT as `INSERT … SELECT * FROM unnest($1::type[], …)`: one
 * array parameter per column, so a batch of any size is one statement with
 * the same text (no limit of 65,535 parameters, one plan shape).
 * `columns` are `[name, type]` pairs; each row gives its values in that order.
 */
export function unnestInsert(
  table: string,
  columns: ReadonlyArray<readonly [name: string, type: string]>,
  rows: ReadonlyArray<readonly unknown[]>,
  suffix = '',
): { text: string; values: unknown[][] } {
  const names = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  return {
    text: `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})${suffix ? ` ${suffix}` : ''}`,
    values: columns.map((_, column) => rows.map((row) => row[column])),
  };
}
