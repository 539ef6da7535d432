import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAppError } from '@clearance/core';
import { Command, CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { capturedIo, type CapturedRun } from './captured-io.js';
import { registerCheckCommand } from './check.js';

const fixtures = fileURLToPath(new URL('../../../../test/fixtures/', import.meta.url));
const policies = fileURLToPath(new URL('../../../../policies/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'clearance-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sbom = (name: string, licenses: unknown[][]): string => {
  const path = join(dir, name);
  writeFileSync(
    path,
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1,
      components: licenses.map((entries, i) => ({ type: 'library', 'bom-ref': `c${i}`, name: `c${i}`, version: '1.0.0', licenses: entries })),
    }),
  );
  return path;
};

const clean = sbom('clean.json', [[{ license: { id: 'MIT' } }], [{ expression: 'Apache-2.0 OR GPL-3.0-only' }]]);
const needsReview = sbom('review.json', [[{ license: { id: 'MIT' } }], []]);
const denied = sbom('denied.json', [[{ license: { id: 'MIT' } }], [{ license: { id: 'GPL-3.0-only' } }]]);

/** `clearance check …` in-process: a fresh program with exitOverride and captured io. */
const check = async (args: string[], stdin = ''): Promise<CapturedRun> => {
  const { run, io } = capturedIo(stdin);
  const program = new Command('clearance').exitOverride().configureOutput({ writeErr: (text) => (run.stderr += text), writeOut: () => undefined });
  registerCheckCommand(program, io);
  await program.parseAsync(['check', ...args], { from: 'user' });
  return run;
};

const rejection = async (args: string[]): Promise<unknown> => {
  try {
    await check(args);
  } catch (error) {
    return error;
  }
  throw new Error('expected the command to fail');
};

describe('clearance check (in-process)', () => {
  it('passes a clean SBOM with exit 0 and a table by default', async () => {
    const run = await check([clean]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No component needs review or is denied.');
    expect(run.stdout).toMatch(/^PASS: 2 components — 2 allow, 0 review, 0 deny/mu);
  });

  it('exits 1 on a denied component, 0 on review unless --fail-on review', async () => {
    expect((await check([denied])).code).toBe(1);
    expect((await check([needsReview])).code).toBe(0);
    expect((await check([needsReview, '--fail-on', 'review'])).code).toBe(1);
    expect((await check([clean, '--fail-on', 'review'])).code).toBe(0);
  });

  it('json: the evaluation with format info', async () => {
    const run = await check([denied, '--format', 'json']);
    const output = JSON.parse(run.stdout) as { verdict: string; counts: unknown; sbom: { format: unknown }; findings: { verdict: string }[] };
    expect(output.verdict).toBe('fail');
    expect(output.counts).toEqual({ total: 2, allow: 1, review: 0, deny: 1 });
    expect(output.sbom.format).toEqual({ kind: 'cyclonedx', encoding: 'json', specVersion: '1.6' });
    expect(output.findings.map((f) => f.verdict)).toEqual(['allow', 'deny']);
  });

  it('sarif: an error result pointing into the SBOM', async () => {
    const run = await check([denied, '--format', 'sarif']);
    const sarif = JSON.parse(run.stdout) as { version: string; runs: { results: { level: string; locations: unknown[] }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results.map((r) => r.level)).toEqual(['error']);
  });

  it('markdown for a PR comment', async () => {
    const run = await check([denied, '--format', 'markdown']);
    expect(run.stdout).toContain('### Denied (1)');
  });

  it('checks the juice-shop SBOM (1,115 components) with the default policy and an explicit --policy', async () => {
    const file = join(fixtures, 'real-sboms/juice-shop/bom.1.4.json');
    const byDefault = JSON.parse((await check([file, '--format', 'json'])).stdout) as { counts: { total: number }; policyVersion: string };
    expect(byDefault.counts.total).toBe(1115);
    const explicit = JSON.parse((await check([file, '--format', 'json', '--policy', policies])).stdout) as { policyVersion: string };
    expect(explicit.policyVersion).toBe(byDefault.policyVersion);
  });

  it('reads the SBOM from stdin with -', async () => {
    const run = await check(['-', '--format', 'json'], readFileSync(denied, 'utf8'));
    expect(run.code).toBe(1);
  });

  it('bad input is an AppError for main to print (exit 2)', async () => {
    const notSbom = join(dir, 'sbom.spdx.yaml');
    writeFileSync(notSbom, 'spdxVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\n');
    const error = await rejection([notSbom]);
    expect(isAppError(error) && error.code).toBe('unsupported_media_type');
    expect((error as Error).message).toMatch(/^SPDX YAML is not supported; accepted: CycloneDX 1\.2–1\.7/u);
    const broken = join(dir, 'broken.spdx');
    writeFileSync(broken, 'SPDXVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\nPackageName: a\n');
    expect(((await rejection([broken])) as Error).message).toBe('SPDX tag-value failed validation at line 3: package "a" has no SPDXID');

    const missing = await rejection([join(dir, 'nope.json')]);
    expect(isAppError(missing) && missing.code).toBe('not_found');
    expect((missing as Error).message).toMatch(/^cannot read SBOM .*nope\.json: no such file$/u);

    const directory = await rejection([dir]);
    expect(isAppError(directory) && directory.code).toBe('validation_failed');
  });

  it('bad flags are usage errors', async () => {
    const error = await rejection([clean, '--format', 'xml']);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).exitCode).not.toBe(0);
    expect(await rejection([clean, '--fail-on', 'allow'])).toBeInstanceOf(CommanderError);
    expect(await rejection([])).toBeInstanceOf(CommanderError);
  });
});
