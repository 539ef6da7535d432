import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generateSigningKey, keyFingerprintOf, linkEvents, signCheckpoint } from '@clearance/core';
import { writeBundle } from '@clearance/dossier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The CLI as someone outside the repository gets it: `npm pack` output
 * installed into an empty folder, run with no database, no Redis and no
 * Clearance variables in the environment.
 */
describe('the packed CLI, installed into an empty folder', () => {
  let work: string;
  let app: string;

  const clearance = async (...args: string[]): Promise<Outcome> => {
    try {
      const { stdout, stderr } = await run('npx', ['--no-install', 'clearance', ...args], { cwd: app, env: { PATH: process.env.PATH, HOME: process.env.HOME }, maxBuffer: 32 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'clearance-packed-'));
    const { stdout } = await run('node', [join(root, 'services/cli/scripts/pack-standalone.js'), join(work, 'out')], { cwd: root });
    const tarball = stdout.trim();
    expect(tarball).toMatch(/clearance-cli-\d+\.\d+\.\d+\.tgz$/);
    app = join(work, 'app');
    await run('mkdir', ['-p', app]);
    await writeFile(join(app, 'package.json'), '{ "name": "ci-job", "private": true }\n');
    // From the local npm cache where it holds the packages; our own packages come inside the tarball.
    await run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, maxBuffer: 32 * 1024 * 1024 });
  }, 600_000);
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('checks an SBOM against the shipped default policy', async () => {
    // Juice Shop ships fuzzball under GPL-2.0, which the default policy denies.
    const result = await clearance('check', join(root, 'test/fixtures/real-sboms/juice-shop/bom.1.4.json'), '--format', 'json');
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as { verdict: string; counts: { total: number; deny: number } };
    expect(report).toMatchObject({ verdict: 'fail', counts: { total: 1115, deny: 1 } });
    expect(result.code).toBe(1);
    expect((await clearance('check', join(work, 'missing.json'))).code).toBe(2);
  });

  it('writes the NOTICE of an SBOM, license texts included', async () => {
    const result = await clearance('notice', join(root, 'test/fixtures/real-sboms/dropwizard/bom.json'));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^THIRD-PARTY SOFTWARE NOTICES\n/);
    expect(result.stdout).toContain('This notice lists the 167 components');
    expect(result.stdout).toContain('Apache License');
  });

  it('verifies a dossier offline against a pinned key, and fails one re-signed by another key', async () => {
    const key = generateSigningKey();
    const events = [
      ...linkEvents([
      { seq: 1, occurredAt: '2026-01-05T10:00:00.000Z', actor: 'admin', action: 'token.created', subjectType: 'token', subjectId: 'tok_1', payload: { type: 'token.created', tokenId: 'tok_1', user: 'alice', roles: ['requester'], bootstrap: false }, policyVersion: null },
      ]),
    ];
    const head = events[0];
    if (!head) throw new Error('fixture');
    const bundleWith = async (dir: string, signer: typeof key) =>
      writeBundle(dir, {
        events,
        checkpoints: [signCheckpoint({ seq: 1, headHash: head.hash, createdAt: head.occurredAt }, signer.privateKeyPem)],
        publicKeyPem: signer.publicKeyPem,
        signingKey: signer.privateKeyPem,
        policyFiles: [],
        scope: {},
      });
    await bundleWith(join(work, 'dossier'), key);
    await bundleWith(join(work, 'forged'), generateSigningKey());

    const intact = await clearance('audit', 'verify-bundle', join(work, 'dossier'), '--expect-key', keyFingerprintOf(key.publicKeyPem));
    expect(intact.stdout).toContain('1 signed checkpoints matched');
    expect(intact.code).toBe(0);
    const forged = await clearance('audit', 'verify-bundle', join(work, 'forged'), '--expect-key', keyFingerprintOf(key.publicKeyPem));
    expect(forged.stderr).toContain('not by the expected key');
    expect(forged.code).toBe(1);
  });
});
