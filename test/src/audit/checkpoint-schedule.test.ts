import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, keyIdOf } from '@clearance/core';
import { appendAuditEvent, auditEventAt, listCheckpoints } from '@clearance/db';
import { verifyBundle } from '@clearance/dossier';
import { checkpointIfDue, exportDossier, type AuditSigner } from '@clearance/services';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestPostgres, type TestDatabase } from '../support/test-database.js';

const HOUR = 3_600_000;

/** A small deployment: a handful of events, never the 1,000 that trigger a checkpoint by count. */
describe('time-based audit checkpoints (real PostgreSQL, injected clock)', () => {
  let test: TestDatabase;
  let signer: AuditSigner;
  let dir: string;

  const tokenEvent = (id: string) =>
    test.db.transaction((tx) =>
      appendAuditEvent(tx, {
        actor: 'admin',
        subjectType: 'token',
        subjectId: id,
        payload: { type: 'token.created', tokenId: id, user: 'alice', roles: ['requester'], bootstrap: false },
        policyVersion: null,
      }),
    );

  beforeEach(async () => {
    test = await openTestPostgres('checkpoint_schedule');
    dir = await mkdtemp(join(tmpdir(), 'clearance-schedule-'));
    const key = generateSigningKey();
    signer = { privateKey: createPrivateKey(key.privateKeyPem), publicKeyPem: key.publicKeyPem, keyId: keyIdOf(key.publicKeyPem), checkpointDir: join(dir, 'checkpoints') };
  });
  afterEach(async () => {
    await test.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('signs once the oldest unsigned event is an hour old, and not again until new events arrive', async () => {
    await tokenEvent('tok_a');
    await tokenEvent('tok_b');
    const oldest = await auditEventAt(test.db, 1);
    if (!oldest) throw new Error('no event');
    const at = (ms: number) => ({ everyEvents: 1_000, maxAgeMs: HOUR, now: () => new Date(Date.parse(oldest.occurredAt) + ms) });

    expect(await checkpointIfDue(test.db, signer, null, at(HOUR - 60_000))).toBeNull();
    const signed = await checkpointIfDue(test.db, signer, null, at(HOUR));
    expect(signed).toMatchObject({ seq: 2, keyId: signer.keyId, createdAt: new Date(Date.parse(oldest.occurredAt) + HOUR).toISOString() });
    // The checkpoint's own event is unsigned now, but an hour has not passed since it was written.
    expect(await checkpointIfDue(test.db, signer, null, { everyEvents: 1_000, maxAgeMs: HOUR })).toBeNull();
    expect((await listCheckpoints(test.db)).map((checkpoint) => checkpoint.seq)).toEqual([2]);
    const file = JSON.parse(await readFile(join(signer.checkpointDir ?? '', 'checkpoint-000000000002.json'), 'utf8')) as { seq: number };
    expect(file.seq).toBe(2);
  });

  it('still signs by count when events come faster than the hour', async () => {
    await tokenEvent('tok_a');
    await tokenEvent('tok_b');
    await tokenEvent('tok_c');
    expect(await checkpointIfDue(test.db, signer, null, { everyEvents: 4, maxAgeMs: HOUR })).toBeNull();
    expect(await checkpointIfDue(test.db, signer, null, { everyEvents: 3, maxAgeMs: HOUR })).toMatchObject({ seq: 3 });
  });

  it("gives a subject export a signed checkpoint covering the subject's events", async () => {
    await tokenEvent('tok_a');
    await tokenEvent('tok_b');
    await tokenEvent('tok_c');
    const bundle = join(dir, 'bundle');
    await exportDossier(test.db, signer, bundle, { subject: { type: 'token', id: 'tok_b' }, actor: 'audrey', policyVersion: null });
    const report = await verifyBundle(bundle, { expectKey: signer.publicKeyPem });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.chain?.checkpointsVerified).toBe(1);
    expect(report.subjectEventCount).toBe(1);
    // The run ends at the checkpoint signed at export (the head then: seq 3), not at the subject's event (seq 2).
    expect(report.chain?.lastCheckpointSeq).toBe(3);
    expect(report.warnings).toEqual([]);
  });
});
