import { createContribution } from '@clearance/core';
import { contributionsInsert, unnestInsert } from '@clearance/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, type TestDatabase } from '../support/test-database.js';

/**
 * Migration 0008: without statistics on `roles || escalated_roles` the
 * planner guessed that 0.2% of pending stages match a reviewer's roles and
 * sorted them all instead of walking the queue's index (README, "The review
 * queue"). What it must learn from ANALYZE is which roles are common.
 */
describe.each(databaseKinds)('review queue statistics (migration 0008) on $name', ({ open }) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await open();
  });
  afterAll(async () => {
    await test.close();
  });

  it("gives ANALYZE the roles common among stages' reviewer roles", async () => {
    const now = new Date();
    const state = createContribution({ id: 'ctr_00000000000000000001', requester: 'dev', tier: 'new-project', now });
    const insert = unnestInsert(
      contributionsInsert([{ state, chainId: state.id, title: 'seed', input: {}, upstreamKey: null, pullRequest: null, createdAt: now }]),
    );
    await test.db.query(insert.text, insert.values);
    // Nine in ten pending stages wait for a manager, one in ten for the OSPO.
    await test.db.query(
      `INSERT INTO contribution_stages (request_id, idx, roles, approvals, due_in_working_days, rule, reason, status, started_at)
       SELECT $1, i, CASE WHEN i % 10 = 0 THEN ARRAY['ospo'] ELSE ARRAY['manager'] END, 1, 5, 'seed', 'seed', 'pending', now()
       FROM generate_series(0, 999) AS i`,
      [state.id],
    );
    await test.db.exec('ANALYZE contribution_stages');

    const { rows } = await test.db.query<{ elems: string[]; freqs: number[] }>(
      `SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs AS freqs FROM pg_stats_ext_exprs
       WHERE statistics_name = 'contribution_stages_reviewer_roles' AND statistics_schemaname = current_schema()`,
    );
    expect(rows).toHaveLength(1);
    const [stats] = rows;
    const elems = stats?.elems ?? [];
    const frequencyOf = (role: string): number => stats?.freqs[elems.indexOf(role)] ?? 0;
    expect(frequencyOf('manager')).toBeCloseTo(0.9, 1);
    expect(frequencyOf('ospo')).toBeCloseTo(0.1, 1);
  });
});
