import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeEventHash, type AuditEventBody } from '@clearance/core';
import { listAuditEvents } from '@clearance/db';
import { verifyAuditLog, type AuditSigner } from '@clearance/services';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestPostgres, type TestDatabase } from '../support/test-database.js';
import { appendTokenLog, newSigner } from './token-log.js';

/**
 * Tampering as a database superuser would do it: the append-only trigger is
 * disabled, rows are edited, and verification must still name what changed.
 */
describe('audit chain tamper detection (real PostgreSQL, trigger disabled by a superuser)', () => {
  let test: TestDatabase;
  let signer: AuditSigner;
  let dir: string;

  beforeEach(async () => {
    test = await openTestPostgres('tamper');
    dir = await mkdtemp(join(tmpdir(), 'clearance-checkpoints-'));
    signer = newSigner(dir);
    await appendTokenLog(test.db, signer);
    expect((await verifyAuditLog(test.db, signer)).ok).toBe(true);
    await test.db.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
  });
  afterEach(async () => {
    await test.close();
    await rm(dir, { recursive: true, force: true });
  });

  const verify = () => verifyAuditLog(test.db, signer);

  it('starts from a chain of 33 events and 3 verified checkpoints', async () => {
    await test.db.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
    const report = await verify();
    expect(report).toMatchObject({ ok: true, eventCount: 33, checkpointsVerified: 3, firstBadSeq: null });
  });

  it('names the row when one byte of a payload changes', async () => {
    await test.db.query(`UPDATE audit_events SET payload = jsonb_set(payload, '{user}', '"user9"') WHERE seq = 5`);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBadSeq).toBe(5);
    expect(report.problems[0]).toMatchObject({ kind: 'hash-mismatch', seq: 5 });
  });

  it('names the gap when a row in the middle is deleted', async () => {
    await test.db.query('DELETE FROM audit_events WHERE seq = 12');
    const report = await verify();
    expect(report.firstBadSeq).toBe(12);
    expect(report.problems.map((problem) => problem.kind)).toContain('gap');
  });

  it('names rows removed from the end, even with their checkpoint rows removed too', async () => {
    await test.db.query('DELETE FROM audit_events WHERE seq > 25');
    await test.db.query('DELETE FROM audit_checkpoints WHERE seq > 25');
    const report = await verify();
    expect(report.ok).toBe(false);
    // The checkpoint file outside the database still points past the new end.
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'truncated' }));
  });

  it('detects two rows swapped', async () => {
    const rows = await listAuditEvents(test.db, { afterSeq: 6, untilSeq: 8 }, 2);
    const [seven, eight] = rows;
    if (!seven || !eight) throw new Error('fixture rows missing');
    await test.db.transaction(async (tx) => {
      await tx.query('UPDATE audit_events SET seq = -1 WHERE seq = 7');
      await tx.query('UPDATE audit_events SET seq = 7 WHERE seq = 8');
      await tx.query('UPDATE audit_events SET seq = 8 WHERE seq = -1');
    });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBadSeq).toBe(7);
  });

  it('detects a chain re-hashed from a point on by someone without the key', async () => {
    // Edit seq 15, then recompute every hash from there: the chain is self-consistent again…
    await test.db.query(`UPDATE audit_events SET actor = 'mallory' WHERE seq = 15`);
    const events = await listAuditEvents(test.db, { afterSeq: 13 }, 100);
    let prev = events[0]?.hash ?? '';
    for (const event of events.slice(1)) {
      const body: AuditEventBody = { ...event };
      const hash = computeEventHash(prev, body);
      await test.db.query('UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE seq = $3', [prev, hash, event.seq]);
      prev = hash;
    }
    // …but the checkpoint signed at seq 21 (events 1-10, checkpoint 11, events 12-21) no longer matches.
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'checkpoint-mismatch', seq: 21 }));
  });
});
