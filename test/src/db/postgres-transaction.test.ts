import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPostgres, type TestDatabase } from '../support/test-database.js';

/**
 * On PostgreSQL, BEGIN goes out with a transaction's first statement when
 * that one has no parameters: the transaction must stay one, whichever way
 * it starts and ends.
 */
describe('postgres transactions', () => {
  let test: TestDatabase;
  const values = async (): Promise<number[]> => (await test.db.query<{ v: number }>('SELECT v FROM scratch ORDER BY v')).rows.map((row) => row.v);

  beforeAll(async () => {
    test = await openTestPostgres();
    await test.db.exec('CREATE TABLE scratch (v int PRIMARY KEY)');
  });
  afterAll(async () => {
    await test.close();
  });

  it('commits a transaction that starts with a statement without parameters, and answers its rows', async () => {
    const answered = await test.db.transaction(async (tx) => {
      const first = await tx.query<{ v: number }>('INSERT INTO scratch VALUES (1), (2) RETURNING v');
      await tx.query('INSERT INTO scratch VALUES ($1)', [3]);
      return first;
    });
    expect(answered).toEqual({ rows: [{ v: 1 }, { v: 2 }], rowCount: 2 });
    expect(await values()).toEqual([1, 2, 3]);
  });

  it.each([
    ['without parameters', 'INSERT INTO scratch VALUES (10)', undefined],
    ['with parameters', 'INSERT INTO scratch VALUES ($1)', [10]],
  ])('rolls back everything when the work fails after a first statement %s', async (_, sql, params) => {
    await expect(
      test.db.transaction(async (tx) => {
        await tx.query(sql, params);
        await tx.query('INSERT INTO scratch VALUES (11)');
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await values()).toEqual([1, 2, 3]);
  });

  it('rolls back when the first statement itself fails, and the pool goes on working', async () => {
    await expect(test.db.transaction((tx) => tx.query('INSERT INTO scratch VALUES (1)'))).rejects.toThrow(/duplicate key/);
    await expect(test.db.transaction((tx) => tx.exec('INSERT INTO scratch VALUES (20); INSERT INTO scratch VALUES (2)'))).rejects.toThrow(/duplicate key/);
    expect(await values()).toEqual([1, 2, 3]);
    // All five connections of the pool at once: one left in an aborted transaction would refuse its query.
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => test.db.transaction(async (tx) => (await tx.query<{ one: number }>('SELECT 1 AS one')).rows)),
    );
    expect(answers).toEqual(Array.from({ length: 5 }, () => [{ one: 1 }]));
  });

  it('runs a transaction that sends nothing', async () => {
    expect(await test.db.transaction(() => Promise.resolve('nothing to do'))).toBe('nothing to do');
  });
});
