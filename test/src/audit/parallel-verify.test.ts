import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeEventHash, generateSigningKey, linkEvents, signCheckpoint, verifyChain, verifyChainParallel, type AuditEventBody, type AuditEventRecord } from '@clearance/core';
import { auditEventAt } from '@clearance/db';
import { verifyAuditLog, type AuditSigner } from '@clearance/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPostgres, type TestDatabase } from '../support/test-database.js';
import { appendTokenLog, newSigner } from './token-log.js';

// Parts of 8 events in 2 threads, and no small-log shortcut: every test crosses seams.
const parallel = { threads: 2, partSize: 8, minEventsForThreads: 0 };

describe('verifyChainParallel gives the single-threaded result (in memory)', () => {
  const key = generateSigningKey();
  const body = (seq: number): AuditEventBody => ({
    seq,
    occurredAt: new Date(Date.UTC(2025, 0, 1) + seq * 60_000).toISOString(),
    actor: `user-${seq % 5}`,
    action: 'contribution.submitted',
    subjectType: 'contribution',
    subjectId: `c-${seq}`,
    payload: { type: 'contribution.submitted', note: `event ${seq}` },
    policyVersion: 'p1',
  });
  const chain = (): AuditEventRecord[] => [...linkEvents(Array.from({ length: 40 }, (_, i) => body(i + 1)))];
  const options = (events: AuditEventRecord[]) => {
    const at = events[23];
    if (at === undefined) throw new Error('no event 24');
    return { checkpoints: [signCheckpoint({ seq: 24, headHash: at.hash, createdAt: at.occurredAt }, key.privateKeyPem)], publicKey: key.publicKeyPem };
  };
  const edit = (events: AuditEventRecord[], seq: number, change: (event: AuditEventRecord) => AuditEventRecord): AuditEventRecord[] =>
    events.map((event) => (event.seq === seq ? change(event) : event));

  const cases: [string, (events: AuditEventRecord[]) => AuditEventRecord[], number | null][] = [
    ['an intact chain', (events) => events, null],
    ['a payload changed in the first event', (events) => edit(events, 1, (e) => ({ ...e, actor: 'mallory' })), 1],
    ['a payload changed inside a part', (events) => edit(events, 13, (e) => ({ ...e, actor: 'mallory' })), 13],
    ['the first event of a part (a seam) changed', (events) => edit(events, 17, (e) => ({ ...e, actor: 'mallory' })), 17],
    ['the last event of a part (a seam) changed', (events) => edit(events, 16, (e) => ({ ...e, actor: 'mallory' })), 16],
    ['a prevHash broken at a seam', (events) => edit(events, 9, (e) => ({ ...e, prevHash: 'f'.repeat(64) })), 9],
    ['the last event changed', (events) => edit(events, 40, (e) => ({ ...e, actor: 'mallory' })), 40],
    ['a row removed at a seam', (events) => events.filter((e) => e.seq !== 8), 8],
    ['two rows swapped across a seam', (events) => events.map((e, i) => (i === 7 ? events[8] : i === 8 ? events[7] : e) ?? e), 8],
    ['rows removed from the end past the checkpoint', (events) => events.slice(0, 20), 21],
  ];
  for (const [name, tamper, firstBad] of cases) {
    it(`${name}: same report, first bad seq ${String(firstBad)}`, async () => {
      const events = tamper(chain());
      const single = await verifyChain(events, options(chain()));
      const threaded = await verifyChainParallel(
        events.map((event) => ({ event, json: JSON.stringify(event) })),
        options(chain()),
        parallel,
      );
      expect(threaded).toEqual(single);
      expect(threaded.firstBadSeq).toBe(firstBad);
      expect(threaded.ok).toBe(firstBad === null);
    });
  }
});

describe('verifyAuditLog on all cores (real PostgreSQL, trigger disabled by a superuser)', () => {
  let test: TestDatabase;
  let signer: AuditSigner;
  let dir: string;

  beforeAll(async () => {
    test = await openTestPostgres('parverify');
    dir = await mkdtemp(join(tmpdir(), 'clearance-checkpoints-'));
    signer = newSigner(dir);
    await appendTokenLog(test.db, signer);
    await test.db.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
  });
  afterAll(async () => {
    await test.close();
    await rm(dir, { recursive: true, force: true });
  });

  // Two parts, seqs 1–16 and 17–33: the seam is 16|17.
  const both = async () => {
    const paths: string[] = [];
    const single = await verifyAuditLog(test.db, signer, { threads: 1, onPath: (path) => paths.push(path) });
    const threaded = await verifyAuditLog(test.db, signer, { threads: 2, minEvents: 0, onPath: (path) => paths.push(path) });
    return { single, threaded, paths };
  };

  it('verifies the intact log alike', async () => {
    const { single, threaded, paths } = await both();
    expect(paths).toEqual(['single', 'parts']);
    expect(threaded).toEqual(single);
    expect(threaded).toMatchObject({ ok: true, eventCount: 33, checkpointsVerified: 3 });
  });

  // Each edit is undone afterwards, so the cases do not add up.
  const tampered = async (seq: number, firstBad: number) => {
    const actor = (await auditEventAt(test.db, seq))?.actor;
    await test.db.query(`UPDATE audit_events SET actor = 'mallory' WHERE seq = $1`, [seq]);
    try {
      const { single, threaded, paths } = await both();
      expect(paths).toEqual(['single', 'parts-then-single']);
      expect(threaded).toEqual(single);
      expect(threaded.ok).toBe(false);
      expect(threaded.firstBadSeq).toBe(firstBad);
    } finally {
      await test.db.query('UPDATE audit_events SET actor = $2 WHERE seq = $1', [seq, actor]);
    }
  };
  it('names the first event when it was edited', () => tampered(1, 1));
  it('names an event inside a part', () => tampered(5, 5));
  it('names the last event of a part, at a seam', () => tampered(16, 16));
  it('names the first event of a part, at a seam', () => tampered(17, 17));
  it('names the last event', () => tampered(33, 33));

  it('catches a seam whose link alone was forged (event 17 re-hashed onto another prevHash)', async () => {
    const original = await auditEventAt(test.db, 17);
    if (original === null) throw new Error('no event 17');
    const forgedPrev = 'a'.repeat(64);
    await test.db.query('UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE seq = 17', [forgedPrev, computeEventHash(forgedPrev, original)]);
    try {
      const { single, threaded, paths } = await both();
      expect(paths).toEqual(['single', 'parts-then-single']);
      expect(threaded).toEqual(single);
      // The part from 17 on starts from the forged prevHash, so only the seam names 17; 18 still follows the old hash.
      expect(threaded.problems.map((problem) => [problem.kind, problem.seq])).toEqual([
        ['prev-hash-mismatch', 17],
        ['prev-hash-mismatch', 18],
      ]);
      expect(threaded.firstBadSeq).toBe(17);
    } finally {
      await test.db.query('UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE seq = 17', [original.prevHash, original.hash]);
    }
  });

  it('names a row removed at the seam', async () => {
    const original = await auditEventAt(test.db, 17);
    if (original === null) throw new Error('no event 17');
    await test.db.query('DELETE FROM audit_events WHERE seq = 17');
    try {
      const { single, threaded, paths } = await both();
      expect(paths).toEqual(['single', 'parts-then-single']);
      expect(threaded).toEqual(single);
      expect(threaded.problems[0]).toMatchObject({ kind: 'gap', seq: 17 });
    } finally {
      await test.db.query(
        `INSERT INTO audit_events (seq, occurred_at, actor, action, subject_type, subject_id, payload, policy_version, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [original.seq, original.occurredAt, original.actor, original.action, original.subjectType, original.subjectId, JSON.stringify(original.payload), original.policyVersion, original.prevHash, original.hash],
      );
      expect((await verifyAuditLog(test.db, signer)).ok).toBe(true);
    }
  });
});
