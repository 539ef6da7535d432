import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, computeEventHash } from '@clearance/core';
import {
  appendAuditEvent,
  appendAuditEvents,
  auditHead,
  listAuditEvents,
  lockAuditChain,
  openPglite,
  outboxInsert,
  streamAuditEvents,
} from '@clearance/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

const tokenEvent = (n: number) => ({
  actor: 'admin',
  subjectType: 'token',
  subjectId: `tok_${n}`,
  payload: { type: 'token.created' as const, tokenId: `tok_${n}`, user: `user${n}`, roles: ['ospo' as const], bootstrap: false },
  policyVersion: null,
});

describe.each(databaseKinds)('audit log on $name', ({ open }) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await open();
  });
  afterAll(async () => {
    await test.close();
  });

  it('appends events that chain from the genesis hash', async () => {
    for (let n = 1; n <= 3; n += 1) await test.db.transaction((tx) => appendAuditEvent(tx, tokenEvent(n)));
    const events = await listAuditEvents(test.db, {}, 10);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    let prev = GENESIS_HASH;
    for (const event of events) {
      expect(event.prevHash).toBe(prev);
      expect(computeEventHash(prev, event)).toBe(event.hash);
      prev = event.hash;
    }
    expect(await auditHead(test.db)).toEqual({ seq: 3, hash: prev });
  });


  it('rolls the event back with the transaction that failed', async () => {
    await expect(
      test.db.transaction(async (tx) => {
        await appendAuditEvent(tx, tokenEvent(99));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await auditHead(test.db))?.seq).toBe(3);
  });

  it('refuses a payload that is not in the catalog', async () => {
    const bad = { ...tokenEvent(5), payload: { type: 'token.created', tokenId: 'x' } } as unknown as ReturnType<typeof tokenEvent>;
    await expect(test.db.transaction((tx) => appendAuditEvent(tx, bad))).rejects.toThrow();
  });

  it.each([
    ['UPDATE', "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2"],
    ['DELETE', 'DELETE FROM audit_events WHERE seq = 2'],
    ['TRUNCATE', 'TRUNCATE audit_events'],
  ])('refuses %s on the audit table', async (operation, sql) => {
    await expect(test.db.query(sql)).rejects.toThrow(`audit_events is append-only: ${operation} refused`);
    expect((await auditHead(test.db))?.seq).toBe(3);
  });

  it('streams events page by page in order', async () => {
    const seqs: number[] = [];
    for await (const event of streamAuditEvents(test.db, {}, 2)) seqs.push(event.seq);
    expect(seqs).toEqual([1, 2, 3]);
  });

  it('writes the inserts given alongside in the statement of the events, and neither when one of them fails', async () => {
    const job = (id: string) => ({ id, jobName: 'contribution.enrich', payload: { requestId: id } });
    const outboxIds = async (): Promise<string[]> => (await test.db.query<{ id: string }>('SELECT id FROM outbox ORDER BY id')).rows.map((row) => row.id);
    const [event] = await test.db.transaction((tx) => appendAuditEvents(tx, [tokenEvent(4)], [outboxInsert([job('a1'), job('a2')])]));
    expect(event?.seq).toBe(4);
    expect(await outboxIds()).toEqual(['a1', 'a2']);
    // A second insert alongside that breaks a constraint (a NULL job name): no row and no event.
    const broken = outboxInsert([job('a3')]);
    await expect(
      test.db.transaction((tx) => appendAuditEvents(tx, [tokenEvent(5)], [outboxInsert([job('a4')]), { ...broken, rows: [['a3', null, '{}', new Date()]] }])),
    ).rejects.toThrow(/job_name/);
    expect(await outboxIds()).toEqual(['a1', 'a2']);
    expect((await auditHead(test.db))?.seq).toBe(4);
  });

  it('indexes the audit log only by what its queries read (migration 0009 dropped the payload GIN and the hash constraint)', async () => {
    // Every index costs each append a write, and a random key (a hash) a full page in the WAL
    // after each checkpoint; one added back must come with a query that reads it.
    const { rows } = await test.db.query<{ name: string }>(
      "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'audit_events' ORDER BY indexname",
    );
    expect(rows.map((row) => row.name)).toEqual(['audit_events_action', 'audit_events_actor', 'audit_events_pkey', 'audit_events_subject', 'audit_events_time']);
  });
});

describe('concurrent appends on postgres', () => {
  it('keep the chain gap-free and linear', async () => {
    const test = await databaseKinds[0].open();
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, n) => test.db.transaction((tx) => appendAuditEvent(tx, tokenEvent(n)))),
      );
      const events = await listAuditEvents(test.db, {}, 100);
      expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
      for (let i = 1; i < events.length; i += 1) expect(events[i]?.prevHash).toBe(events[i - 1]?.hash);
    } finally {
      await test.close();
    }
  });

  it('appends batches in order under one lock: two concurrent batches make one gap-free chain', async () => {
    const test = await databaseKinds[0].open();
    try {
      const batch = (from: number) => [0, 1, 2, 3].map((i) => tokenEvent(from + i));
      const [first = [], second = []] = await Promise.all([
        test.db.transaction((tx) => appendAuditEvents(tx, batch(100))),
        test.db.transaction((tx) => appendAuditEvents(tx, batch(200))),
      ]);
      const stored = await listAuditEvents(test.db, {}, 100);
      expect(stored.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      // One batch lies wholly before the other, each in its own order.
      const subjects = (events: ReadonlyArray<{ subjectId: string }>): string => events.map((event) => event.subjectId).join(' ');
      expect([subjects(stored.slice(0, 4)), subjects(stored.slice(4))].sort()).toEqual([subjects(batch(100)), subjects(batch(200))].sort());
      let previous = GENESIS_HASH;
      for (const event of stored) {
        const { prevHash, hash, ...body } = event;
        expect(prevHash).toBe(previous);
        expect(computeEventHash(previous, body)).toBe(hash);
        previous = hash;
      }
      expect([...first, ...second]).toEqual(expect.arrayContaining(stored));
    } finally {
      await test.close();
    }
  });
});

describe('the chain lock on postgres', () => {
  it('gives a waiting appender the head its previous holder committed, not the one its call started with', async () => {
    const test = await databaseKinds[0].open();
    try {
      await test.db.transaction((tx) => appendAuditEvent(tx, tokenEvent(1)));
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let lockTaken = (): void => undefined;
      const taken = new Promise<void>((resolve) => {
        lockTaken = resolve;
      });
      const first = test.db.transaction(async (tx) => {
        await lockAuditChain(tx);
        lockTaken();
        await held;
        return appendAuditEvent(tx, tokenEvent(2));
      });
      await taken;
      const second = test.db.transaction((tx) => lockAuditChain(tx));
      // The second call is waiting for the lock (an event, seen in pg_locks) before the first commits.
      await waitFor(async () => {
        const { rows } = await test.db.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
           AND ((classid::bigint << 32) | objid::bigint) = hashtext(current_schema() || '.clearance.audit')::bigint`,
        );
        return (rows[0]?.waiting ?? 0) > 0;
      }, { what: 'the second transaction waiting for the chain lock' });
      release();
      const appended = await first;
      expect(await second).toEqual({ seq: 2, hash: appended.hash });
    } finally {
      await test.close();
    }
  });
});

describe('the embedded database folder', () => {
  it('refuses a second opener while the first holds it, and reopens after close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clearance-lock-'));
    try {
      const first = await openPglite(join(dir, 'db'));
      await expect(openPglite(join(dir, 'db'))).rejects.toThrow(`in use by process ${process.pid}`);
      await first.close();
      const second = await openPglite(join(dir, 'db'));
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
