import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/** The built CLI, as CI runs it: exit codes and stream discipline. */
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const main = join(root, 'services/cli/dist/main.js');
const dir = mkdtempSync(join(tmpdir(), 'clearance-notice-spawn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const bom = (components: unknown[]) => JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components });
const clearance = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });

describe('clearance notice (spawned)', () => {
  it('exits 0 and writes --out, with one summary line on stderr', () => {
    const out = join(dir, 'NOTICE');
    const result = clearance('notice', write('ok.json', bom([{ type: 'library', name: 'a', licenses: [{ license: { id: 'MIT' } }] }])), '--out', out, '--strict');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`NOTICE: 1 components, 1 license texts; written to ${out}\n`);
    expect(readFileSync(out, 'utf8')).toContain('MIT: MIT License');
  });

  it('exits 1 with --strict when a text cannot be produced, 0 without', () => {
    const file = write('gap.json', bom([{ type: 'library', name: 'a' }, { type: 'library', name: 'b', licenses: [{ license: { name: 'LicenseRef-x' } }] }]));
    const strict = clearance('notice', file, '--strict');
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain('LicenseRef without text');
    expect(strict.stderr).toContain('2 components without a license text (no-license, license-ref-without-text)');
    expect(clearance('notice', file).status).toBe(0);
  });

  it('exits 2 with one line for a file that is not an SBOM, a missing file, a bad --format', () => {
    const notSbom = clearance('notice', write('list.json', '{"licenseListVersion":"3.24","licenses":[]}'));
    expect(notSbom.status).toBe(2);
    expect(notSbom.stdout).toBe('');
    expect(notSbom.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(notSbom.stderr).toContain('not an SBOM');
    expect(clearance('notice', join(dir, 'missing.json')).status).toBe(2);
    const badFormat = clearance('notice', write('f.json', bom([])), '--format', 'pdf');
    expect(badFormat.status).toBe(2);
    expect(badFormat.stderr).toContain("argument 'pdf' is invalid. Allowed choices are text, html, md, json");
  });
});
