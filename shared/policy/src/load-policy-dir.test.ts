import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { licensePolicySchema } from '@clearance/core';
import { z } from 'zod';
import { defaultPolicyDir, loadDefaultPolicy } from './default-policy.js';
import { loadPolicyDir } from './load-policy-dir.js';
import { type PolicyProblem, policyProblemsOf } from './policy-problem.js';

let dir: string;
const defaultLicenses = join(defaultPolicyDir(), 'licenses.yaml');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clearance-policy-'));
  await copyFile(defaultLicenses, join(dir, 'licenses.yaml'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const problemsLoading = async (folder: string, schemas?: Record<string, z.ZodType>): Promise<PolicyProblem[]> => {
  try {
    await loadPolicyDir(folder, schemas === undefined ? {} : { schemas });
  } catch (error) {
    const problems = policyProblemsOf(error);
    if (problems === null) throw error;
    return problems;
  }
  throw new Error('the policy loaded');
};

/** Rewrites one line of the copied licenses.yaml; returns its 1-based line number. */
const editLine = async (find: string, replace: string): Promise<number> => {
  const path = join(dir, 'licenses.yaml');
  const lines = (await readFile(path, 'utf8')).split('\n');
  const index = lines.findIndex((line) => line.includes(find));
  if (index === -1) throw new Error(`no line with ${find}`);
  lines[index] = replace;
  await writeFile(path, lines.join('\n'));
  return index + 1;
};

describe('loadPolicyDir', () => {
  it('loads the default license policy, with a stable version', async () => {
    const first = await loadPolicyDir(dir);
    const again = await loadPolicyDir(dir);
    expect(first.version).toMatch(/^[0-9a-f]{64}$/);
    expect(again.version).toBe(first.version);
    expect(first.files.map((file) => file.name)).toEqual(['licenses.yaml']);
    expect(first.licenses.categories.permissive?.licenses).toContain('MIT');
    expect(first.documents['licenses.yaml']).toEqual(first.licenses);
  });

  it('computes the version by the recipe in policies/README.md', async () => {
    await writeFile(join(dir, 'extra.yaml'), 'a: 1\n');
    const loaded = await loadPolicyDir(dir, { schemas: { 'licenses.yaml': z.unknown(), 'extra.yaml': z.unknown() } });
    const script = "export LC_ALL=C; for f in $(ls *.yaml); do printf '%s\\n%s\\n' \"$f\" \"$(sha256sum \"$f\" | cut -d' ' -f1)\"; done | sha256sum | cut -d' ' -f1";
    const expected = execFileSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' }).trim();
    expect(loaded.version).toBe(expected);
  });

  it('changes the version when any file changes', async () => {
    const before = await loadPolicyDir(dir);
    await editLine('maxDays: 365', '  maxDays: 364');
    const after = await loadPolicyDir(dir);
    expect(after.version).not.toBe(before.version);
  });

  it('gives YAML syntax errors with file, line and column', async () => {
    const line = await editLine('- MIT-CMU', '      - [MIT-CMU');
    const problems = await problemsLoading(dir);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ file: 'licenses.yaml', path: '' });
    expect(problems[0]?.line).toBeGreaterThanOrEqual(line);
    expect(problems[0]?.message).toMatch(/^YAML: /);
  });

  it('points a schema violation at the line of the wrong value', async () => {
    const line = await editLine('- MIT-CMU', '      - GPL-2.0');
    const problems = await problemsLoading(dir);
    expect(problems).toEqual([
      {
        file: 'licenses.yaml',
        line,
        column: 9,
        path: 'categories.permissive.licenses[1]',
        message: 'GPL-2.0 is a deprecated SPDX id: use GPL-2.0-only',
      },
    ]);
  });

  it('points an unknown key at the key itself, and a bad verdict at its value', async () => {
    const keyLine = await editLine('maxDays: 365', '  maxDayz: 365');
    const verdictLine = await editLine('missing: review', '  missing: maybe');
    const problems = await problemsLoading(dir);
    // A missing key has no node: it points at the map that lacks it.
    expect(problems.map((p) => [p.line, p.column, p.path])).toEqual([
      [verdictLine, 12, 'outcomes.missing'],
      [keyLine, 3, 'waivers.maxDays'],
      [keyLine, 3, 'waivers.maxDayz'],
    ]);
  });

  it('names an alias by its text in the path', async () => {
    const line = await editLine('Commercial: LicenseRef-clearance-proprietary', '  Apache2: Apache-2');
    const problems = await problemsLoading(dir);
    expect(problems).toMatchObject([{ line, path: 'aliases.Apache2', message: expect.stringMatching(/^write the target/) as string }]);
    await editLine('Apache2: Apache-2', '  Apache License, V2: Apache-2');
    const [problem] = await problemsLoading(dir);
    expect(problem?.path).toBe('aliases["Apache License, V2"]');
  });

  it('refuses a file with no registered schema, a .yml file and a folder without licenses.yaml', async () => {
    await writeFile(join(dir, 'contributionz.yaml'), 'tiers: {}\n');
    await writeFile(join(dir, 'old.yml'), 'a: 1\n');
    expect(await problemsLoading(dir, { 'licenses.yaml': licensePolicySchema })).toEqual([
      { file: 'old.yml', line: 0, column: 0, path: '', message: 'policy files end in .yaml' },
      { file: 'contributionz.yaml', line: 0, column: 0, path: '', message: 'no schema for this file (known: licenses.yaml)' },
    ]);
    await rm(join(dir, 'licenses.yaml'));
    await rm(join(dir, 'old.yml'));
    await rm(join(dir, 'contributionz.yaml'));
    expect(await problemsLoading(dir)).toEqual([
      { file: 'licenses.yaml', line: 0, column: 0, path: '', message: 'missing: a policy folder needs licenses.yaml' },
    ]);
  });

  it('validates every registered file kind with its own schema', async () => {
    await writeFile(join(dir, 'contributions.yaml'), 'version: 1\ntiers:\n  bug-fix: 3\n');
    const schemas = { 'licenses.yaml': z.unknown(), 'contributions.yaml': z.strictObject({ version: z.literal(1), tiers: z.record(z.string(), z.object({})) }) };
    expect(await problemsLoading(dir, schemas)).toMatchObject([{ file: 'contributions.yaml', line: 3, column: 12, path: 'tiers.bug-fix' }]);
  });

  it('loads the repository policy folder, whichever file kinds are registered', async () => {
    const loaded = await loadDefaultPolicy();
    expect(loaded.files.map((file) => file.name)).toContain('licenses.yaml');
    expect(loaded.files.every((file) => file.name in loaded.documents)).toBe(true);
    expect((await loadDefaultPolicy()).version).toBe(loaded.version);
  });

  it('fails with not_found for a folder that does not exist', async () => {
    await expect(loadPolicyDir(join(dir, 'nope'))).rejects.toMatchObject({ code: 'not_found' });
  });
});
