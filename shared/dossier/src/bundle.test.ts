import {
  GENESIS_HASH,
  generateSigningKey,
  linkEvents,
  policyFileSha256,
  policyVersionOf,
  signCheckpoint,
  type AuditEventBody,
  type AuditEventRecord,
  type SignedCheckpoint,
} from '@clearance/core';
import { appendFile, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signManifest } from './manifest.js';
import { readBundleEvents } from './read-bundle.js';
import { verifyBundle, type BundleProblemKind, type BundleReport } from './verify-bundle.js';
import { writeBundle, type PolicyVersionFiles, type WriteBundleInput } from './write-bundle.js';

const key = generateSigningKey();
const policyV1 = [
  { name: 'contributions.yaml', content: 'tiers:\n  bug-fix: {}\n' },
  { name: 'licenses/rules.yaml', content: 'allow: [MIT]\n' },
];
const policyV2 = [{ name: 'contributions.yaml', content: 'tiers:\n  bug-fix: { autoApprove: true }\n' }];
const V1 = policyVersionOf(policyV1);
const V2 = policyVersionOf(policyV2);
const policies: PolicyVersionFiles[] = [
  { version: V1, files: policyV1 },
  { version: V2, files: policyV2 },
  { version: policyVersionOf([{ name: 'x.yaml', content: 'x' }]), files: [{ name: 'x.yaml', content: 'x' }] },
];

const body = (seq: number): AuditEventBody => {
  const occurredAt = new Date(Date.UTC(2025, 0, 1) + seq * 3_600_000).toISOString();
  if (seq === 30) {
    return {
      seq,
      occurredAt,
      actor: 'admin',
      action: 'policy.activated',
      subjectType: 'policy',
      subjectId: V2,
      payload: { type: 'policy.activated', version: V2, previousVersion: V1, files: policyV2.map((f) => ({ name: f.name, sha256: policyFileSha256(f.content) })) },
      policyVersion: V1,
    };
  }
  return {
    seq,
    occurredAt,
    actor: `user-${seq % 3}`,
    action: 'contribution.submitted',
    subjectType: 'contribution',
    subjectId: `c-${seq % 5}`,
    payload: { type: 'contribution.submitted', tier: 'bug-fix', upstream: 'nodejs/node', note: `row ${seq}` },
    policyVersion: seq > 30 ? V2 : V1,
  };
};

const chain: AuditEventRecord[] = [...linkEvents(Array.from({ length: 50 }, (_, i) => body(i + 1)))];
const at = (seq: number): AuditEventRecord => {
  const event = chain[seq - 1];
  if (event === undefined) throw new Error(`no event ${seq}`);
  return event;
};
const checkpoints: SignedCheckpoint[] = [10, 20, 40, 50].map((seq) =>
  signCheckpoint({ seq, headHash: at(seq).hash, createdAt: at(seq).occurredAt }, key.privateKeyPem),
);

async function* stream(events: readonly AuditEventRecord[]): AsyncGenerator<AuditEventRecord> {
  for (const event of events) yield await Promise.resolve(event);
}

const input = (overrides: Partial<WriteBundleInput> = {}): WriteBundleInput => ({
  events: stream(chain),
  checkpoints,
  publicKeyPem: key.publicKeyPem,
  signingKey: key.privateKeyPem,
  policyFiles: policies,
  scope: {},
  createdAt: '2025-06-01T00:00:00.000Z',
  ...overrides,
});

let root: string;
let dir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dossier-'));
  dir = join(root, 'bundle');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const kinds = (report: BundleReport): [BundleProblemKind, string | null][] => report.problems.map((p) => [p.kind, p.file]);

/** Changes one byte of a file in place (a different byte, same length). */
const flipByte = async (path: string, at: (text: string) => number): Promise<void> => {
  const bytes = await readFile(path);
  const index = at(bytes.toString('latin1'));
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  await writeFile(path, bytes);
};

describe('a written bundle', () => {
  it('verifies, with its files, checkpoints and referenced policies', async () => {
    const { manifest, manifestSha256 } = await writeBundle(dir, input());
    expect(manifestSha256).toBe(policyFileSha256(await readFile(join(dir, 'manifest.json'))));
    expect(manifest.events).toMatchObject({ count: 50, firstSeq: 1, lastSeq: 50, predecessor: { seq: 0, hash: GENESIS_HASH }, headHash: at(50).hash });
    expect(manifest.policyVersions).toEqual([V1, V2].sort());
    expect(Object.keys(manifest.files)).toEqual(
      ['checkpoints.json', 'conformance.json', 'events.ndjson', 'key-rotations.json', `policies/${V1}/contributions.yaml`, `policies/${V1}/licenses/rules.yaml`, `policies/${V2}/contributions.yaml`, 'public-key.pem'].sort(),
    );
    const report = await verifyBundle(dir, { trustedKeys: [key.keyId] });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.chain).toMatchObject({ eventCount: 50, headSeq: 50, checkpointsVerified: 4 });
    expect(report.warnings).toEqual([]);
    const lines = (await readFile(join(dir, 'events.ndjson'), 'utf8')).split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[0]).toMatch(/^\{"action":"contribution.submitted","actor":"user-1","hash":"/);
  });

  it('still verifies a bundle written before key rotation existed (no key-rotations.json)', async () => {
    const { manifest } = await writeBundle(dir, input());
    await unlink(join(dir, 'key-rotations.json'));
    const { signature: _signature, ...unsigned } = manifest;
    const { 'key-rotations.json': _listed, ...files } = unsigned.files;
    await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(signManifest({ ...unsigned, files }, key.privateKeyPem), null, 2)}\n`);
    const report = await verifyBundle(dir, { trustedKeys: [key.keyId] });
    expect(report.problems).toEqual([]);
    expect(report.chain).toMatchObject({ checkpointsVerified: 4 });
  });

  it('verifies a period that starts mid-chain, from the predecessor hash', async () => {
    await writeBundle(dir, input({ events: stream(chain.slice(15, 45)), startAfter: { seq: 15, hash: at(15).hash }, scope: { from: at(16).occurredAt, to: at(46).occurredAt } }));
    const report = await verifyBundle(dir, { trustedKeys: [key.publicKeyPem] });
    expect(report.problems).toEqual([]);
    expect(report.manifest?.checkpoints.count).toBe(2);
    expect(report.chain).toMatchObject({ eventCount: 30, headSeq: 45, checkpointsVerified: 2 });
    expect(report.warnings).toEqual([expect.stringContaining('after seq 40')]);
    const events: AuditEventRecord[] = [];
    for await (const event of readBundleEvents(dir)) events.push(event);
    expect(events).toEqual(chain.slice(15, 45));
  });

  it('counts the subject events of a subject export, which keeps the whole chain of its range', async () => {
    const { manifest } = await writeBundle(dir, input({ scope: { subject: 'contribution:c-2' } }));
    expect(manifest.events.subjectEventCount).toBe(10);
    const report = await verifyBundle(dir, { trustedKeys: [key.keyId] });
    expect(report.ok).toBe(true);
    expect(report.subjectEventCount).toBe(10);
  });

  it('verifies an export of a period with no events', async () => {
    const { manifest } = await writeBundle(dir, input({ events: [], startAfter: { seq: 50, hash: at(50).hash } }));
    expect(manifest.events).toMatchObject({ count: 0, firstSeq: null, lastSeq: null, headHash: at(50).hash });
    expect(manifest.checkpoints.count).toBe(1);
    const report = await verifyBundle(dir, { trustedKeys: [key.keyId] });
    expect(report.problems).toEqual([]);
    expect(report.chain).toMatchObject({ eventCount: 0, checkpointsVerified: 1 });
  });

  it('warns when no key was pinned and when no checkpoint covers the events', async () => {
    await writeBundle(dir, input({ checkpoints: [] }));
    const report = await verifyBundle(dir);
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual([expect.stringContaining(key.keyId), expect.stringContaining('nothing signed vouches')]);
  });

  it('fails when signed by a key other than the trusted one', async () => {
    const other = generateSigningKey();
    await writeBundle(dir, input({ publicKeyPem: other.publicKeyPem, signingKey: other.privateKeyPem }));
    const report = await verifyBundle(dir, { trustedKeys: [key.keyId] });
    expect(kinds(report)).toContainEqual(['key-untrusted', 'public-key.pem']);
    // The checkpoints were signed by the real key: they do not verify with the substitute.
    expect(kinds(report)).toContainEqual(['checkpoint-signature', 'checkpoints.json']);
  });
});

describe('writing a bundle', () => {
  it('refuses a folder that is not empty', async () => {
    await writeBundle(dir, input());
    await expect(writeBundle(dir, input())).rejects.toThrow(/not empty/);
  });

  it('refuses to export without the files of a referenced policy version, leaving nothing behind', async () => {
    await expect(writeBundle(dir, input({ policyFiles: policies.slice(1) }))).rejects.toThrow(new RegExp(`policy version ${V1}`));
    await expect(readFile(join(dir, 'events.ndjson'))).rejects.toThrow();
  });

  it('refuses policy files that do not hash to their version', async () => {
    await expect(writeBundle(dir, input({ policyFiles: [{ version: V1, files: policyV2 }, ...policies.slice(1)] }))).rejects.toThrow(/hash to/);
  });

  it('refuses a signing key that is not the bundle key', async () => {
    await expect(writeBundle(dir, input({ signingKey: generateSigningKey().privateKeyPem }))).rejects.toThrow(/private half/);
  });
});

describe('a bundle edited after export', () => {
  beforeEach(async () => {
    await writeBundle(dir, input());
  });

  it('fails on one byte changed in events.ndjson, naming the event', async () => {
    const path = join(dir, 'events.ndjson');
    await flipByte(path, (text) => text.indexOf('row 7"') + 4);
    const report = await verifyBundle(dir);
    expect(report.ok).toBe(false);
    expect(kinds(report)).toEqual([
      ['file-changed', 'events.ndjson'],
      ['hash-mismatch', 'events.ndjson'],
    ]);
    expect(report.problems[1]?.seq).toBe(7);
  });

  it('fails on a line removed from events.ndjson', async () => {
    const path = join(dir, 'events.ndjson');
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines.splice(24, 1);
    await writeFile(path, lines.join('\n'));
    const report = await verifyBundle(dir);
    expect(kinds(report)).toContainEqual(['gap', 'events.ndjson']);
    expect(report.problems.find((p) => p.kind === 'gap')?.seq).toBe(25);
    expect(kinds(report)).toContainEqual(['manifest-mismatch', 'events.ndjson']);
  });

  it('fails on one byte changed in the manifest', async () => {
    await flipByte(join(dir, 'manifest.json'), (text) => text.indexOf('2025-06-01') + 3);
    const report = await verifyBundle(dir);
    expect(kinds(report)).toEqual([['manifest-signature', 'manifest.json']]);
  });

  it('fails on a manifest that is no longer JSON', async () => {
    await flipByte(join(dir, 'manifest.json'), () => 0);
    expect(kinds(await verifyBundle(dir))).toEqual([['manifest-unreadable', 'manifest.json']]);
  });

  it('fails on one byte changed in checkpoints.json', async () => {
    await flipByte(join(dir, 'checkpoints.json'), (text) => text.indexOf('"headHash": "') + 14);
    const report = await verifyBundle(dir);
    expect(kinds(report)).toEqual([
      ['file-changed', 'checkpoints.json'],
      ['checkpoint-signature', 'checkpoints.json'],
    ]);
  });

  it('fails on one byte changed in the public key', async () => {
    await flipByte(join(dir, 'public-key.pem'), (text) => text.indexOf('\n') + 20);
    const report = await verifyBundle(dir);
    expect(report.ok).toBe(false);
    expect(kinds(report)).toContainEqual(['file-changed', 'public-key.pem']);
    expect(report.problems.some((p) => p.kind === 'manifest-signature' || p.kind === 'key-unreadable')).toBe(true);
  });

  it('fails on one byte changed in a policy file', async () => {
    await flipByte(join(dir, 'policies', V1, 'licenses', 'rules.yaml'), () => 0);
    const report = await verifyBundle(dir);
    expect(kinds(report)).toEqual([
      ['file-changed', `policies/${V1}/licenses/rules.yaml`],
      ['policy-version-mismatch', `policies/${V1}`],
    ]);
  });

  it('fails on a changed policy file whose version was activated by an event', async () => {
    await appendFile(join(dir, 'policies', V2, 'contributions.yaml'), '#');
    const report = await verifyBundle(dir);
    expect(kinds(report)).toEqual([
      ['file-changed', `policies/${V2}/contributions.yaml`],
      ['policy-version-mismatch', `policies/${V2}`],
      ['policy-files-mismatch', `policies/${V2}`],
    ]);
  });

  it('fails on an added file, also inside policies', async () => {
    await writeFile(join(dir, 'notes.txt'), 'hello');
    await writeFile(join(dir, 'policies', V1, 'extra.yaml'), 'x: 1\n');
    const report = await verifyBundle(dir);
    expect(kinds(report)).toEqual([
      ['file-extra', 'notes.txt'],
      ['file-extra', `policies/${V1}/extra.yaml`],
    ]);
  });

  it('fails on a symbolic link put in the bundle', async () => {
    await symlink('/etc/hostname', join(dir, 'link'));
    expect(kinds(await verifyBundle(dir))).toEqual([['file-extra', 'link']]);
  });

  it('fails on a removed file', async () => {
    await unlink(join(dir, 'policies', V1, 'contributions.yaml'));
    const report = await verifyBundle(dir);
    expect(kinds(report)).toEqual([
      ['file-missing', `policies/${V1}/contributions.yaml`],
      ['policy-version-mismatch', `policies/${V1}`],
    ]);
  });

  it('fails on removed checkpoints.json, events.ndjson or manifest.json', async () => {
    await unlink(join(dir, 'checkpoints.json'));
    expect(kinds(await verifyBundle(dir))).toEqual([['file-missing', 'checkpoints.json']]);
    await unlink(join(dir, 'events.ndjson'));
    expect(kinds(await verifyBundle(dir))).toContainEqual(['file-missing', 'events.ndjson']);
    await unlink(join(dir, 'manifest.json'));
    expect(kinds(await verifyBundle(dir))).toEqual([['file-missing', 'manifest.json']]);
  });
});

describe('a bundle verified on all cores', () => {
  // Parts of 8 events in 2 threads, no small-bundle shortcut: seams at 8|9, 16|17, …; checkpoints at 10, 20, 40, 50.
  const threaded = { parallel: { threads: 2, partSize: 8, minEventsForThreads: 0 } };
  const single = { parallel: { threads: 1 } };
  beforeEach(async () => {
    await writeBundle(dir, input());
  });

  it('gives the single-threaded report for an intact bundle', async () => {
    const report = await verifyBundle(dir, threaded);
    expect(report.ok).toBe(true);
    expect(report).toEqual(await verifyBundle(dir, single));
  });

  // The note of each row is `row N"`: one byte flipped inside it breaks that event's hash alone.
  for (const [where, seq] of [
    ['the first event', 1],
    ['an event inside a part', 13],
    ['the last event of a part', 16],
    ['the first event of a part', 17],
    ['the last event', 50],
  ] as const) {
    it(`names ${where} (seq ${seq}) exactly as the single-threaded path does`, async () => {
      await flipByte(join(dir, 'events.ndjson'), (text) => text.indexOf(`row ${seq}"`) + 4);
      const report = await verifyBundle(dir, threaded);
      expect(report).toEqual(await verifyBundle(dir, single));
      expect(report.problems.find((p) => p.kind === 'hash-mismatch')?.seq).toBe(seq);
      expect(report.chain?.firstBadSeq).toBe(seq);
    });
  }

  it('reports a line removed at a seam exactly as the single-threaded path does', async () => {
    const path = join(dir, 'events.ndjson');
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines.splice(8, 1);
    await writeFile(path, lines.join('\n'));
    const report = await verifyBundle(dir, threaded);
    expect(report).toEqual(await verifyBundle(dir, single));
    expect(report.chain?.firstBadSeq).toBe(9);
  });
});
