import { generateSigningKey, keyFingerprintOf, linkEvents, policyVersionOf, signCheckpoint, type AuditEventBody } from '@clearance/core';
import { writeBundle } from '@clearance/dossier';
import { Command } from 'commander';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerOfflineAuditCommands } from './audit-offline.js';

const key = generateSigningKey();
const policy = [{ name: 'contributions.yaml', content: 'tiers: {}\n' }];
const version = policyVersionOf(policy);
const body = (seq: number, action: string, subjectId: string, payload: Record<string, unknown>): AuditEventBody => ({
  seq,
  occurredAt: new Date(Date.UTC(2025, 2, 3, 9, seq)).toISOString(),
  actor: 'reviewer',
  action,
  subjectType: 'contribution',
  subjectId,
  payload: { type: action, ...payload },
  policyVersion: version,
});
const events = [
  ...linkEvents([
    body(1, 'contribution.submitted', 'c-1', { tier: 'bug-fix', upstream: 'nodejs/node' }),
    body(2, 'contribution.decided', 'c-1', { decision: 'reject', reason: 'No <b>CLA</b>', stage: 0 }),
    body(3, 'contribution.submitted', 'c-2', { tier: 'new-feature', upstream: 'nodejs/node' }),
  ]),
];

let root: string;
let bundle: string;
let out: string[];
let err: string[];

/** The fixture's events as a bundle whose checkpoint and manifest `signer` signed. */
const bundleSignedBy = async (dir: string, signer: typeof key): Promise<void> => {
  const last = events[2];
  if (last === undefined) throw new Error('fixture');
  await writeBundle(dir, {
    events,
    checkpoints: [signCheckpoint({ seq: 3, headHash: last.hash, createdAt: last.occurredAt }, signer.privateKeyPem)],
    publicKeyPem: signer.publicKeyPem,
    signingKey: signer.privateKeyPem,
    policyFiles: [{ version, files: policy }],
    scope: { from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z' },
  });
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'audit-offline-'));
  bundle = join(root, 'bundle');
  await bundleSignedBy(bundle, key);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

const run = async (...args: string[]): Promise<number> => {
  out = [];
  err = [];
  const program = new Command('clearance');
  registerOfflineAuditCommands(program.command('audit'), { out: (text) => out.push(text), err: (text) => err.push(text) });
  await program.parseAsync(['audit', ...args], { from: 'user' });
  return Number(process.exitCode ?? 0);
};

describe('clearance audit verify-bundle', () => {
  it('exits 0 on an intact bundle', async () => {
    expect(await run('verify-bundle', bundle, '--key-id', key.keyId)).toBe(0);
    expect(out.join('')).toMatch(/^OK: .* 3 events \(seq 1–3\), 1 signed checkpoints matched/);
  });

  it('exits 1 naming the problem on a tampered bundle', async () => {
    const copy = join(root, 'tampered');
    await writeBundle(copy, { events, checkpoints: [], publicKeyPem: key.publicKeyPem, signingKey: key.privateKeyPem, policyFiles: [{ version, files: policy }], scope: {} });
    await writeFile(join(copy, 'events.ndjson'), (await readFile(join(copy, 'events.ndjson'), 'utf8')).replace('No <b>CLA</b>', 'No CLA'));
    expect(await run('verify-bundle', copy)).toBe(1);
    expect(err.join('')).toContain('file-changed (events.ndjson)');
    expect(err.join('')).toContain('hash-mismatch (events.ndjson, seq 2)');
  });

  it('exits 2 on a usage error', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
    await expect(run('verify-bundle')).rejects.toThrow('exit 2');
    await expect(run('report', '--bundle', bundle, '--format', 'pdf')).rejects.toThrow('exit 2');
    expect(exit).toHaveBeenCalledWith(2);
  });
});

describe('clearance audit verify-bundle --expect-key', () => {
  // Someone rewrites the whole bundle and signs it, checkpoints included, with a key of their own.
  const forger = generateSigningKey();
  let forged: string;
  beforeAll(async () => {
    forged = join(root, 'forged');
    await bundleSignedBy(forged, forger);
  });

  it('passes a forged, re-signed bundle without the flag, but prints its fingerprint and warns that the key was not pinned', async () => {
    expect(await run('verify-bundle', forged)).toBe(0);
    expect(out.join('')).toContain(`Signing key SHA-256 fingerprint: ${keyFingerprintOf(forger.publicKeyPem)} (NOT PINNED)`);
    expect(out.join('')).toMatch(/warning: The bundle's key \(SHA-256 fingerprint [0-9a-f]{64}\) was not pinned.*GET \/audit\/public-key.*--expect-key/);
  });

  it('fails the forged bundle against the expected fingerprint, naming both keys', async () => {
    expect(await run('verify-bundle', forged, '--expect-key', keyFingerprintOf(key.publicKeyPem))).toBe(1);
    expect(err.join('')).toContain(
      `key-untrusted (public-key.pem): the bundle is signed by key ${keyFingerprintOf(forger.publicKeyPem)}, not by the expected key ${keyFingerprintOf(key.publicKeyPem)}: public-key.pem was replaced`,
    );
  });

  it('fails the forged bundle against the expected public-key file, and passes the genuine one', async () => {
    const pem = join(root, 'trusted-key.pem');
    await writeFile(pem, key.publicKeyPem);
    expect(await run('verify-bundle', forged, '--expect-key', pem)).toBe(1);
    expect(err.join('')).toContain('key-untrusted');
    expect(await run('verify-bundle', bundle, '--expect-key', pem)).toBe(0);
    expect(await run('verify-bundle', bundle, '--expect-key', `sha256:${keyFingerprintOf(key.publicKeyPem).toUpperCase()}`)).toBe(0);
    expect(out.join('')).toContain('(the key you expected)');
    expect(out.join('')).not.toContain('warning: The bundle');
  });

  it('refuses an --expect-key that is neither a fingerprint nor a key file', async () => {
    await expect(run('verify-bundle', bundle, '--expect-key', join(root, 'no-such-key.pem'))).rejects.toThrow(/--expect-key .*no-such-key\.pem: neither a SHA-256 fingerprint/);
    const notAKey = join(root, 'not-a-key.pem');
    await writeFile(notAKey, 'hello\n');
    await expect(run('verify-bundle', bundle, '--expect-key', notAKey)).rejects.toThrow('the file is not a public key in PEM form');
  });
});

describe('clearance audit report', () => {
  it('writes the same HTML for the same bundle, escaped', async () => {
    const file = join(root, 'report.html');
    expect(await run('report', '--bundle', bundle, '--format', 'html', '--out', file)).toBe(0);
    const html = await readFile(file, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('No &lt;b&gt;CLA&lt;/b&gt;');
    expect(await run('report', '--bundle', bundle, '--format', 'html')).toBe(0);
    expect(out.join('')).toBe(html);
  });

  it('writes Markdown to standard output', async () => {
    expect(await run('report', '--bundle', bundle, '--format', 'md')).toBe(0);
    expect(out.join('')).toContain('| 2 | 2025-03-03T09:02:00.000Z | c-1 | bug-fix | nodejs/node |');
  });
});
