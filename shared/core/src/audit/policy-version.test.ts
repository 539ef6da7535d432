import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyVersionFromDigests, policyVersionOf, policyFileSha256 } from './policy-version.js';

const files = [
  { name: 'licenses.yaml', content: 'allow: [MIT]\n' },
  { name: 'contributions.yaml', content: 'tiers: {}\n' },
  { name: 'aliases/names.yaml', content: new TextEncoder().encode('x: y\n') },
];

describe('policyVersionOf', () => {
  it('does not depend on the order the files are given in', () => {
    expect(policyVersionOf(files)).toBe(policyVersionOf([...files].reverse()));
    expect(policyVersionOf(files)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with a name or a byte of content', () => {
    const version = policyVersionOf(files);
    expect(policyVersionOf([...files.slice(1), { name: 'licenses.yml', content: 'allow: [MIT]\n' }])).not.toBe(version);
    expect(policyVersionOf([...files.slice(1), { name: 'licenses.yaml', content: 'allow: [MIT] \n' }])).not.toBe(version);
  });

  it('equals the version computed from the digests a policy.activated event records', () => {
    expect(policyVersionFromDigests(files.map((f) => ({ name: f.name, sha256: policyFileSha256(f.content) })))).toBe(policyVersionOf(files));
  });

  it('is what the shell recipe in the dossier README prints', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-version-'));
    try {
      mkdirSync(join(dir, 'aliases'));
      for (const file of files) writeFileSync(join(dir, file.name), file.content);
      const script = `find . -type f | cut -c3- | LC_ALL=C sort | while IFS= read -r f; do printf '%s\\n%s\\n' "$f" "$(sha256sum < "$f" | cut -c1-64)"; done | sha256sum | cut -c1-64`;
      expect(execFileSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' }).trim()).toBe(policyVersionOf(files));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('agrees with the policy loader of @clearance/policy', async () => {
    const loader = await import('../../../policy/src/policy-version.js').catch(() => null);
    if (loader === null) return;
    const loaded = files.map((f) => ({ name: f.name, content: '', sha256: policyFileSha256(f.content) }));
    expect(loader.policyVersionOf(loaded)).toBe(policyVersionOf(files));
  });

  it('refuses a name listed twice', () => {
    expect(() => policyVersionOf([...files, { name: 'licenses.yaml', content: '' }])).toThrow(/twice/);
  });
});
