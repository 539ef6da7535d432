/** PostgreSQL's wire protocol numbers parameters with 16 bits. */
const MAX_PARAMETERS = 65_535;

/**
 * `($1, $2), ($3, $4)` for a multi-row INSERT of `rows` rows of `columns`
 * parameters each: a batch is one statement and one round trip, whatever its
 * size.
 */
export function valuesList(rows: number, columns: number): string {
  if (rows < 1 || rows * columns > MAX_PARAMETERS) {
    throw new Error(`a multi-row insert takes 1 to ${Math.floor(MAX_PARAMETERS / columns)} rows of ${columns} values, not ${rows}`);
  }
  const tuples: string[] = [];
  for (let row = 0; row < rows; row++) {
    const first = row * columns;
    tuples.push(`(${Array.from({ length: columns }, (_, column) => `$${first + column + 1}`).join(', ')})`);
  }
  return tuples.join(', ');
}
