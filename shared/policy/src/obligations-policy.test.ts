import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicyDir, loadDefaultPolicy } from './default-policy.js';
import { loadPolicyDir } from './load-policy-dir.js';
import { type PolicyProblem, policyProblemsOf } from './policy-problem.js';

let dir: string;
const obligationsPath = (): string => join(dir, 'obligations.yaml');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clearance-obligations-'));
  await copyFile(join(defaultPolicyDir(), 'licenses.yaml'), join(dir, 'licenses.yaml'));
  await copyFile(join(defaultPolicyDir(), 'obligations.yaml'), obligationsPath());
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const problemsLoading = async (): Promise<PolicyProblem[]> => {
  try {
    await loadPolicyDir(dir);
  } catch (error) {
    const problems = policyProblemsOf(error);
    if (problems === null) throw error;
    return problems;
  }
  throw new Error('the policy loaded');
};

const replaceInFile = async (find: string, replace: string): Promise<void> => {
  const text = await readFile(obligationsPath(), 'utf8');
  if (!text.includes(find)) throw new Error(`no ${find} in obligations.yaml`);
  await writeFile(obligationsPath(), text.replace(find, replace));
};

describe('obligations.yaml', () => {
  it('is part of the default policy and its version, every entry cited', async () => {
    const policy = await loadDefaultPolicy();
    expect(policy.files.map((file) => file.name)).toContain('obligations.yaml');
    const obligations = policy.obligations;
    if (obligations === null) throw new Error('no obligations catalogue');
    expect(Object.keys(obligations.obligations)).toEqual(['attribution', 'include-license-text', 'state-changes', 'source-offer', 'network-use', 'patent', 'no-endorsement']);
    expect(obligations.licenses['AGPL-3.0-only']?.find((entry) => entry.obligation === 'network-use')?.source).toBe('AGPL-3.0 §13');
    expect(obligations.licenses['BSD-3-Clause']?.find((entry) => entry.obligation === 'no-endorsement')?.source).toBe('BSD-3-Clause clause 3');
    expect(obligations.licenses['GPL-3.0-or-later']?.find((entry) => entry.obligation === 'source-offer')?.description).toContain('at least three years');
    const withoutIt = await mkdtemp(join(tmpdir(), 'clearance-no-obligations-'));
    try {
      await copyFile(join(defaultPolicyDir(), 'licenses.yaml'), join(withoutIt, 'licenses.yaml'));
      const loaded = await loadPolicyDir(withoutIt);
      expect(loaded.obligations).toBeNull();
      expect(loaded.version).not.toBe((await loadPolicyDir(dir)).version);
    } finally {
      await rm(withoutIt, { recursive: true, force: true });
    }
  });

  it('names the line of an obligation the catalogue does not declare', async () => {
    await replaceInFile('- { obligation: no-endorsement, source: "BSD-3-Clause clause 3"', '- { obligation: no-endorsment, source: "BSD-3-Clause clause 3"');
    const problems = await problemsLoading();
    const lines = (await readFile(obligationsPath(), 'utf8')).split('\n');
    const line = lines.findIndex((text) => text.includes('no-endorsment')) + 1;
    expect(problems).toEqual([
      expect.objectContaining({ file: 'obligations.yaml', line, path: 'licenses.BSD-3-Clause[2].obligation', message: expect.stringContaining('no obligation no-endorsment under obligations') }),
    ]);
  });

  it('refuses a license id that is not SPDX, an entry without a source, and a category licenses.yaml does not have', async () => {
    await replaceInFile('source: "Zlib clause 2", ', '');
    expect((await problemsLoading()).map((problem) => [problem.path, problem.message])).toEqual([['licenses.Zlib[1].source', expect.stringMatching(/expected string/)]]);
    await copyFile(join(defaultPolicyDir(), 'obligations.yaml'), obligationsPath());
    await replaceInFile('  ISC:\n', '  ISC-ish:\n');
    expect((await problemsLoading()).map((problem) => [problem.path, problem.message])).toEqual([['licenses.ISC-ish', 'not a current SPDX license id or a LicenseRef-…']]);
    await copyFile(join(defaultPolicyDir(), 'obligations.yaml'), obligationsPath());
    await replaceInFile('  weak-copyleft:\n', '  weakish-copyleft:\n');
    expect(await problemsLoading()).toEqual([expect.objectContaining({ path: 'categories.weakish-copyleft', message: expect.stringContaining('no category weakish-copyleft in licenses.yaml') })]);
  });
});
