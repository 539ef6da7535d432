import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/** The built CLI, as CI runs it: exit codes and stream discipline. */
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const main = join(root, 'services/cli/dist/main.js');
const dir = mkdtempSync(join(tmpdir(), 'clearance-check-spawn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const bom = (licenses: string[]) =>
  JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    components: licenses.map((id, i) => ({ type: 'library', name: `c${i}`, licenses: [{ license: { id } }] })),
  });

const clearance = (...args: string[]) =>
  spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });

describe('clearance check (spawned)', () => {
  it('exits 0 on pass', () => {
    const result = clearance('check', write('pass.json', bom(['MIT', 'Apache-2.0'])));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('PASS: 2 components');
  });

  it('exits 1 on a policy failure, printing the report to stdout', () => {
    const result = clearance('check', write('fail.json', bom(['MIT', 'AGPL-3.0-only'])), '--format', 'json');
    expect(result.status).toBe(1);
    expect((JSON.parse(result.stdout) as { verdict: string }).verdict).toBe('fail');
  });

  it('exits 2 with one line on stderr for a file that is not an SBOM', () => {
    const result = clearance('check', write('list.json', '{"licenseListVersion":"3.24","licenses":[]}'));
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('not an SBOM: looks like the SPDX license list');
  });

  it('exits 2 for an unreadable file and for a bad flag', () => {
    expect(clearance('check', join(dir, 'missing.json')).status).toBe(2);
    expect(clearance('check', write('ok.json', bom(['MIT'])), '--format', 'xml').status).toBe(2);
  });

  it('ends quietly with 141 when its reader closes the pipe early (`check … | head -1`)', async () => {
    const many = write('many.json', bom(Array.from({ length: 20_000 }, () => 'GPL-2.0-only')));
    const child = spawn(process.execPath, [main, 'check', many, '--all'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(stderr).toBe('');
    expect(status).toBe(141);
  });
});
