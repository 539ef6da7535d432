import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPolicyDir } from '@clearance/policy';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerPolicyCommands } from './policy-validate.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clearance-policy-cli-'));
  await copyFile(join(defaultPolicyDir(), 'licenses.yaml'), join(dir, 'licenses.yaml'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  let exitCode: number | undefined;
  const program = new Command('clearance').exitOverride();
  registerPolicyCommands(program, {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    setExitCode: (code) => {
      exitCode = code;
    },
  });
  await program.parseAsync(['policy', 'validate', ...args], { from: 'user' });
  return { out: out.join(''), err: err.join(''), exitCode };
};

describe('clearance policy validate', () => {
  it('prints the version and file count of a valid folder', async () => {
    const result = await run(dir);
    expect(result.exitCode).toBeUndefined();
    expect(result.err).toBe('');
    expect(result.out).toMatch(/^policy OK: version [0-9a-f]{64}, 1 file\n$/);
  });

  it('prints each problem as file:line:column path: message and exits 1', async () => {
    const path = join(dir, 'licenses.yaml');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('  missing: review', '  missing: sometimes'));
    const line = text.split('\n').findIndex((l) => l.startsWith('  missing: review')) + 1;
    const result = await run(dir);
    expect(result.exitCode).toBe(1);
    expect(result.out).toBe('');
    expect(result.err.split('\n')[0]).toBe(
      `licenses.yaml:${line}:12 outcomes.missing: Invalid option: expected one of "allow"|"review"|"deny"`,
    );
    expect(result.err).toContain('policy invalid: 1 problem');
  });

  it('leaves an unreadable folder to the caller as an error', async () => {
    await expect(run(join(dir, 'missing'))).rejects.toMatchObject({ code: 'not_found' });
  });
});
