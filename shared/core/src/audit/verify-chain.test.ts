import { describe, expect, it } from 'vitest';
import { generateSigningKey, signCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { computeEventHash, type AuditEventBody, type AuditEventRecord } from './event-hash.js';
import { linkEvents } from './link-events.js';
import { verifyChain } from './verify-chain.js';

const key = generateSigningKey();

const body = (seq: number): AuditEventBody => ({
  seq,
  occurredAt: new Date(Date.UTC(2025, 0, 1) + seq * 60_000).toISOString(),
  actor: `user-${seq % 7}`,
  action: 'contribution.submitted',
  subjectType: 'contribution',
  subjectId: `c-${seq}`,
  payload: { type: 'contribution.submitted', tier: 'bug-fix', note: `event ${seq}` },
  policyVersion: 'p1',
});

function* bodies(count: number): Generator<AuditEventBody> {
  for (let seq = 1; seq <= count; seq += 1) yield body(seq);
}

const chain = (count: number): AuditEventRecord[] => [...linkEvents(bodies(count))];

const checkpointAt = (events: readonly AuditEventRecord[], seq: number): SignedCheckpoint => {
  const event = events[seq - 1];
  if (event === undefined) throw new Error(`no event ${seq}`);
  return signCheckpoint({ seq, headHash: event.hash, createdAt: event.occurredAt }, key.privateKeyPem);
};

const verify = (events: Iterable<AuditEventRecord>, checkpoints: SignedCheckpoint[] = []) =>
  verifyChain(events, { checkpoints, publicKey: key.publicKeyPem });

describe('verifyChain', () => {
  it('accepts an intact chain with its checkpoints', async () => {
    const events = chain(50);
    const report = await verify(events, [checkpointAt(events, 20), checkpointAt(events, 50)]);
    expect(report).toMatchObject({ ok: true, eventCount: 50, headSeq: 50, headHash: events[49]?.hash, checkpointsVerified: 2, lastCheckpointSeq: 50, firstBadSeq: null });
    expect(report.problems).toEqual([]);
  });

  it('names a one-byte change of a payload', async () => {
    const events = chain(30);
    const target = events[11];
    if (target === undefined) throw new Error('fixture');
    events[11] = { ...target, payload: { type: 'contribution.submitted', tier: 'bug-fix', note: 'event 13' } };
    const report = await verify(events);
    expect(report.ok).toBe(false);
    expect(report.firstBadSeq).toBe(12);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'hash-mismatch', seq: 12 })]);
  });

  it('names the missing range when a row is deleted in the middle', async () => {
    const events = chain(30);
    events.splice(14, 2);
    const report = await verify(events);
    expect(report.firstBadSeq).toBe(15);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'gap', seq: 15, range: { from: 15, to: 16 } })]);
  });

  it('names rows removed from the end when a checkpoint points past the end', async () => {
    const events = chain(40);
    const checkpoints = [checkpointAt(events, 10), checkpointAt(events, 40)];
    const report = await verify(events.slice(0, 35), checkpoints);
    expect(report.ok).toBe(false);
    expect(report.headSeq).toBe(35);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'truncated', seq: 36, range: { from: 36, to: 40 } })]);
    expect(report.problems[0]?.detail).toContain('removed from the end');
  });

  it('names two rows swapped in the stream', async () => {
    const events = chain(20);
    const [a, b] = [events[8], events[9]];
    if (a === undefined || b === undefined) throw new Error('fixture');
    events[8] = b;
    events[9] = a;
    const report = await verify(events);
    expect(report.firstBadSeq).toBe(9);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'out-of-order', seq: 9 })]);
    expect(report.problems[0]?.detail).toContain('swapped');
  });

  it('names two rows whose contents were swapped under their sequence numbers', async () => {
    const events = chain(20);
    const [a, b] = [events[8], events[9]];
    if (a === undefined || b === undefined) throw new Error('fixture');
    events[8] = { ...b, seq: 9 };
    events[9] = { ...a, seq: 10 };
    const report = await verify(events);
    expect(report.firstBadSeq).toBe(9);
    expect(report.problems.map((p) => [p.kind, p.seq])).toEqual(
      expect.arrayContaining([
        ['hash-mismatch', 9],
        ['hash-mismatch', 10],
      ]),
    );
  });

  it('catches a chain re-hashed from a point on without the key, at the next checkpoint', async () => {
    const original = chain(100);
    const checkpoints = [checkpointAt(original, 40), checkpointAt(original, 60), checkpointAt(original, 100)];
    const tampered = [
      ...original.slice(0, 49),
      ...linkEvents(
        original.slice(49).map((event) => (event.seq === 50 ? { ...body(50), actor: 'someone-else' } : body(event.seq))),
        original[48]?.hash,
      ),
    ];
    // Self-consistent: without the checkpoints nothing is wrong.
    expect((await verify(tampered)).ok).toBe(true);
    const report = await verify(tampered, checkpoints);
    expect(report.ok).toBe(false);
    expect(report.checkpointsVerified).toBe(1);
    expect(report.firstBadSeq).toBe(60);
    expect(report.problems[0]).toMatchObject({ kind: 'checkpoint-mismatch', seq: 60, range: { from: 41, to: 60 } });
    expect(report.problems.map((p) => p.kind)).toEqual(['checkpoint-mismatch', 'checkpoint-mismatch']);
  });

  it('reports a forged or foreign checkpoint and ignores it', async () => {
    const events = chain(10);
    const good = checkpointAt(events, 5);
    const forged = { ...good, headHash: 'f'.repeat(64) };
    const foreign = signCheckpoint({ seq: 8, headHash: events[7]?.hash ?? '', createdAt: 'x' }, generateSigningKey().privateKeyPem);
    const report = await verify(events, [good, forged, foreign]);
    expect(report.checkpointsVerified).toBe(1);
    expect(report.firstBadSeq).toBeNull();
    expect(report.problems.map((p) => [p.kind, p.seq])).toEqual([
      ['checkpoint-signature', 5],
      ['checkpoint-signature', 8],
    ]);
    expect(report.problems[1]?.detail).toContain(foreign.keyId);
  });

  it('names a prevHash that does not link although the row itself is consistent', async () => {
    const events = chain(10);
    const bad = body(6);
    events[5] = { ...bad, prevHash: 'e'.repeat(64), hash: computeEventHash('e'.repeat(64), bad) };
    const report = await verify(events);
    expect(report.problems.map((p) => [p.kind, p.seq])).toEqual([
      ['prev-hash-mismatch', 6],
      ['prev-hash-mismatch', 7],
    ]);
  });

  it('verifies a period that continues after a known event, checking a checkpoint at the start', async () => {
    const events = chain(30);
    const startAfter = { seq: 10, hash: events[9]?.hash ?? '' };
    const checkpoints = [checkpointAt(events, 5), checkpointAt(events, 10), checkpointAt(events, 25)];
    const report = await verifyChain(events.slice(10), { checkpoints, publicKey: key.publicKeyPem, startAfter });
    expect(report).toMatchObject({ ok: true, eventCount: 20, headSeq: 30, checkpointsVerified: 2, checkpointsSkipped: 1 });
    const wrongStart = await verifyChain(events.slice(10), { checkpoints, publicKey: key.publicKeyPem, startAfter: { seq: 10, hash: 'd'.repeat(64) } });
    expect(wrongStart.problems.map((p) => [p.kind, p.seq])).toEqual([
      ['checkpoint-mismatch', 10],
      ['prev-hash-mismatch', 11],
    ]);
  });

  it('keeps the first 20 problems and counts the rest', async () => {
    const events = chain(60).map((event) => ({ ...event, hash: 'c'.repeat(64) }));
    const report = await verify(events);
    expect(report.problems).toHaveLength(20);
    expect(report.problemCount).toBeGreaterThan(60);
    expect(report.firstBadSeq).toBe(1);
  });

  it('accepts an empty chain', async () => {
    expect(await verify([])).toMatchObject({ ok: true, eventCount: 0, headSeq: 0, firstBadSeq: null });
  });

  it('streams 100k events, checking each before it asks for the next', async () => {
    const total = 100_000;
    let produced = 0;
    let pulledBeforeChecked = 0;
    let lastChecked = true;
    // A generator that hashes as it goes (so the test holds nothing either) and
    // notices whether the verifier read an event's hash before pulling the next
    // one: a verifier that collected the stream first would pull them all unread.
    async function* stream(): AsyncGenerator<AuditEventRecord> {
      for (const event of linkEvents(bodies(total))) {
        if (!lastChecked) pulledBeforeChecked += 1;
        lastChecked = false;
        produced += 1;
        const { hash } = event;
        // As a database cursor would, hand each row over asynchronously.
        yield await Promise.resolve(
          Object.defineProperty({ ...event }, 'hash', {
            enumerable: true,
            get: () => {
              lastChecked = true;
              return hash;
            },
          }),
        );
      }
    }
    const checkpoints: SignedCheckpoint[] = [];
    let head = '';
    for (const event of linkEvents(bodies(total))) {
      if (event.seq % 25_000 === 0) checkpoints.push(signCheckpoint({ seq: event.seq, headHash: event.hash, createdAt: event.occurredAt }, key.privateKeyPem));
      head = event.hash;
    }
    const report = await verifyChain(stream(), { checkpoints, publicKey: key.publicKeyPem });
    expect(report).toMatchObject({ ok: true, eventCount: total, headSeq: total, headHash: head, checkpointsVerified: 4 });
    expect(produced).toBe(total);
    expect(pulledBeforeChecked).toBe(0);
  });
});
