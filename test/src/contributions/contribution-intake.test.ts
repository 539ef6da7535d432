import { contributionRequestInputSchema, type ContributionRequest } from '@clearance/core';
import { findContribution, listAuditEvents, type ContributionRecord, type Database } from '@clearance/db';
import { loadDefaultPolicy } from '@clearance/policy';
import { ContributionIntake, type ContributionServiceDeps } from '@clearance/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, type TestDatabase } from '../support/test-database.js';
import { expectIntactChain } from './contribution-harness.js';

const request = (title: string): ContributionRequest =>
  contributionRequestInputSchema.parse({
    tier: 'new-project',
    project: { name: 'streamer', outboundLicense: 'Apache-2.0', owningTeam: 'platform', maintenanceCommitment: 'two engineers' },
    title,
    justification: 'Batching test',
    estimatedLinesChanged: 100,
  });

/** The real database, with every transaction counted: how the intake groups submissions shows there. */
const countingTransactions = (db: Database): { db: Database; transactions: () => number } => {
  let count = 0;
  const counted: Database = Object.create(db) as Database;
  counted.transaction = (work) => {
    count += 1;
    return db.transaction(work);
  };
  return { db: counted, transactions: () => count };
};

describe.each(databaseKinds)('contribution intake on $name', ({ open }) => {
  let test: TestDatabase;
  let deps: ContributionServiceDeps;
  let transactions: () => number;
  beforeAll(async () => {
    test = await open();
    const loaded = await loadDefaultPolicy();
    const counting = countingTransactions(test.db);
    transactions = counting.transactions;
    deps = { db: counting.db, policy: { version: loaded.version, licenses: loaded.licenses, contributions: loaded.contributions, obligations: loaded.obligations } };
  });
  afterAll(async () => {
    await test.close();
  });

  it('commits submissions that arrive together in shared transactions, each answered with its own stored record', async () => {
    const intake = new ContributionIntake(deps);
    const before = transactions();
    const titles = Array.from({ length: 40 }, (_, i) => `Release streamer ${i}`);
    const records = await Promise.all(titles.map((title, i) => intake.submit({ principal: { user: `dev${i % 4}`, roles: ['requester'], tokenId: 't' }, request: request(title) })));

    expect(records.map((record) => record.title)).toEqual(titles);
    expect(new Set(records.map((record) => record.state.id)).size).toBe(40);
    // The first starts alone (nothing was waiting yet); the other 39 arrive while it runs,
    // wait for it and go together in one more: two transactions for 40 submissions.
    expect(transactions() - before).toBe(2);
    for (const record of records) expect(await findContribution(test.db, record.state.id)).toEqual(record);
    const submitted = await listAuditEvents(test.db, { action: 'contribution.submitted' }, 100);
    expect(submitted.map((event) => event.subjectId).sort()).toEqual(records.map((record) => record.state.id).sort());
    expect(submitted.every((event) => event.actor === (event.payload as { requester: string }).requester)).toBe(true);
    await expectIntactChain(test.db);
  });

  it('lets a submission the database refuses fail alone; the others of its batch are stored', async () => {
    // A rule only this test's schema has: the database itself refuses one row of a batch.
    await test.db.exec(`ALTER TABLE contribution_requests ADD CONSTRAINT intake_test_refuses CHECK (title <> 'Refuse me')`);
    try {
      const intake = new ContributionIntake(deps);
      const titles = ['Accept A', 'Accept B', 'Refuse me', 'Accept C', 'Accept D'];
      const results = await Promise.allSettled(
        titles.map((title) => intake.submit({ principal: { user: 'dev', roles: ['requester'], tokenId: 't' }, request: request(title) })),
      );
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect(String((results[2] as PromiseRejectedResult).reason)).toContain('intake_test_refuses');
      const stored = await test.db.query<{ title: string }>(`SELECT title FROM contribution_requests WHERE title LIKE 'Accept %' OR title = 'Refuse me' ORDER BY title`);
      expect(stored.rows.map((row) => row.title)).toEqual(['Accept A', 'Accept B', 'Accept C', 'Accept D']);
      const events = await listAuditEvents(test.db, { action: 'contribution.submitted' }, 1_000);
      expect(events.filter((event) => (event.payload as { title: string }).title === 'Refuse me')).toEqual([]);
      await expectIntactChain(test.db);
    } finally {
      await test.db.exec('ALTER TABLE contribution_requests DROP CONSTRAINT intake_test_refuses');
    }
  });

  it('tries a submission whose new id clashed with a stored one again with a new id, alone or in a batch, once', async () => {
    const intake = new ContributionIntake(deps);
    const submit = (title: string): Promise<ContributionRecord> => intake.submit({ principal: { user: 'dev', roles: ['requester'], tokenId: 't' }, request: request(title) });
    const tries = async (): Promise<number> => Number((await test.db.query<{ tries: string }>(`SELECT last_value::text AS tries FROM intake_test_clashes`)).rows[0]?.tries);
    const stored = await submit('Stored before');
    // A rule only this test's schema has: a request's row takes the stored id, as two ids made in
    // one millisecond would; PostgreSQL itself refuses the duplicate primary key.
    await test.db.exec(`
      CREATE SEQUENCE intake_test_clashes;
      CREATE FUNCTION intake_test_clash() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A sequence is not rolled back with the refused statement: it counts the tries.
        IF NEW.title = 'Always clashes' THEN
          PERFORM nextval('intake_test_clashes');
          NEW.id := '${stored.state.id}';
        ELSIF NEW.title LIKE 'Clashes once%' THEN
          IF nextval('intake_test_clashes') % 2 = 1 THEN NEW.id := '${stored.state.id}'; END IF;
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER intake_test_clash BEFORE INSERT ON contribution_requests FOR EACH ROW EXECUTE FUNCTION intake_test_clash();`);
    try {
      const alone = await submit('Clashes once, alone');
      const before = transactions();
      // The first of these goes alone; the other three wait for it and go together.
      const results = await Promise.allSettled(['Lead', 'Batch A', 'Clashes once, in a batch', 'Batch B'].map(submit));
      // The lead, the refused batch, then each of its three alone.
      expect(transactions() - before).toBe(5);
      const triesBefore = await tries();
      const never = await Promise.allSettled([submit('Always clashes')]);

      expect(alone.state.id).not.toBe(stored.state.id);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect(never[0]?.status).toBe('rejected');
      expect((never[0] as PromiseRejectedResult).reason).toMatchObject({ code: '23505' });
      const rows = await test.db.query<{ id: string; title: string }>(
        `SELECT id, title FROM contribution_requests WHERE title IN ('Stored before', 'Clashes once, alone', 'Lead', 'Batch A', 'Clashes once, in a batch', 'Batch B', 'Always clashes') ORDER BY title`,
      );
      expect(rows.rows.map((row) => row.title)).toEqual(['Batch A', 'Batch B', 'Clashes once, alone', 'Clashes once, in a batch', 'Lead', 'Stored before']);
      const submitted = await listAuditEvents(test.db, { action: 'contribution.submitted' }, 1_000);
      const ids = new Set(rows.rows.map((row) => row.id));
      expect(submitted.filter((event) => ids.has(event.subjectId ?? ''))).toHaveLength(6);
      // Clashed alone and passed on the next try (1, 2); clashed in the batch and passed alone (3, 4).
      expect(triesBefore).toBe(4);
      // Refused twice, then given up: a clash every time is no clash of random ids.
      expect(await tries()).toBe(6);
      await expectIntactChain(test.db);
    } finally {
      await test.db.exec('DROP TRIGGER intake_test_clash ON contribution_requests; DROP FUNCTION intake_test_clash(); DROP SEQUENCE intake_test_clashes');
    }
  });
});
