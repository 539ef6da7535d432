import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAppError } from '@clearance/core';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { capturedIo, type CapturedRun } from './captured-io.js';
import { registerNoticeCommand } from './notice.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const fixture = (path: string): string => join(root, 'test/fixtures', path);
const dir = mkdtempSync(join(tmpdir(), 'clearance-notice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The license list as shipped, read here without the code under test. */
const spdxFull = JSON.parse(readFileSync(join(root, 'node_modules/spdx-license-list/spdx-full.json'), 'utf8')) as Record<string, { name: string; licenseText: string }>;
const deprecatedIds = new Set(JSON.parse(readFileSync(join(root, 'node_modules/spdx-license-ids/deprecated.json'), 'utf8')) as string[]);
const listVersion = (JSON.parse(readFileSync(join(root, 'node_modules/spdx-license-list/package.json'), 'utf8')) as { version: string }).version;

interface RawComponent {
  name: string;
  group?: string;
  version?: string;
  licenses?: Array<{ license?: { id?: string; name?: string }; expression?: string }>;
}
const rawComponents = (path: string): RawComponent[] => (JSON.parse(readFileSync(fixture(path), 'utf8')) as { components: RawComponent[] }).components;

const notice = async (args: string[], stdin = ''): Promise<CapturedRun> => {
  const { run, io } = capturedIo(stdin);
  const program = new Command('clearance').exitOverride().configureOutput({ writeErr: (text) => (run.stderr += text), writeOut: () => undefined });
  registerNoticeCommand(program, io);
  await program.parseAsync(['notice', ...args], { from: 'user' });
  return run;
};

const occurrences = (text: string, part: string): number => text.split(part).length - 1;
/** The component headings of a text NOTICE: the unindented lines of its COMPONENTS section. */
const headings = (text: string): string[] => {
  const section = text.slice(text.indexOf('COMPONENTS\n----------\n\n') + 22, text.search(/^LICENSE TEXTS( NOT PRODUCED)?$/m));
  return section.split('\n').filter((line) => line !== '' && !line.startsWith(' '));
};
/** An npm scope (CycloneDX `group` @babel) is part of the package's name: `@babel/parser`. */
const nameOf = (component: RawComponent): string => (component.group?.startsWith('@') ? `${component.group}/${component.name}` : component.name);
const label = (component: RawComponent): string => (component.version ? `${nameOf(component)} ${component.version}` : nameOf(component));

describe.each([
  ['real-sboms/juice-shop/bom.1.4.json', 1115],
  ['real-sboms/dropwizard/bom.json', 167],
])('clearance notice %s', (path, count) => {
  const raw = rawComponents(path);

  it('lists every component once, each with the license it concluded, and prints the list version', async () => {
    const run = await notice([fixture(path)]);
    expect(run.code).toBe(0);
    expect(raw).toHaveLength(count);
    expect(headings(run.stdout).sort()).toEqual(raw.map(label).sort());
    expect(run.stdout).toContain(`License texts: spdx-license-list ${listVersion} (the SPDX License List)`);
  });

  it('carries the SPDX list text of every current license id the SBOM names, each exactly once, MIT and Apache-2.0 byte for byte', async () => {
    const text = (await notice([fixture(path)])).stdout;
    const ids = new Set(raw.flatMap((component) => (component.licenses ?? []).flatMap((entry) => (entry.license?.id ? [entry.license.id] : []))));
    expect(ids.size).toBeGreaterThan(0);
    for (const id of ids) {
      const listed = spdxFull[id];
      // A deprecated id is concluded as its current one (GPL-2.0 → GPL-2.0-only): that one's text is given.
      if (listed === undefined || deprecatedIds.has(id)) continue;
      expect(occurrences(text, `\n${id}: ${listed.name}\n`), id).toBe(1);
      expect(occurrences(text, `\n\n${listed.licenseText.trimEnd()}\n`), id).toBe(1);
    }
    expect(ids.has('Apache-2.0') || ids.has('MIT')).toBe(true);
    for (const id of ['MIT', 'Apache-2.0']) expect(occurrences(text, spdxFull[id]?.licenseText.trimEnd() ?? '?')).toBe(1);
  });

  it('lists the components without any license data under a heading that says so', async () => {
    const text = (await notice([fixture(path)])).stdout;
    const unlicensed = raw.filter((component) => (component.licenses ?? []).length === 0).map(label);
    expect(unlicensed.length).toBeGreaterThan(0);
    const block = text.slice(text.indexOf('No license: the SBOM states none for these components\n'));
    const listed = block.slice(block.indexOf('\n') + 1, block.indexOf('\n\n')).split('\n').map((line) => line.replace(/^ {2}- /, ''));
    expect(listed.sort()).toEqual(unlicensed.sort());
  });

  it('gives the same bytes on every run, in every format, to stdout and to --out', async () => {
    for (const format of ['text', 'html', 'md', 'json']) {
      const first = await notice([fixture(path), '--format', format]);
      const second = await notice([fixture(path), '--format', format]);
      expect(second.stdout).toBe(first.stdout);
      const out = join(dir, `NOTICE.${format}`);
      const written = await notice([fixture(path), '--format', format, '--out', out]);
      expect(written.stdout).toBe('');
      expect(written.stderr).toContain(`written to ${out}`);
      expect(readFileSync(out, 'utf8')).toBe(first.stdout);
    }
  });

  it('--strict exits 1 because some components have no producible license text', async () => {
    const run = await notice([fixture(path), '--strict']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/components without a license text \(no-license/u);
  });
});

describe('clearance notice', () => {
  it('names the exception whose text is not bundled: dropwizard components under GPL-2.0 WITH Classpath-exception-2.0', async () => {
    const text = (await notice([fixture('real-sboms/dropwizard/bom.json'), '--format', 'json'])).stdout;
    const doc = JSON.parse(text) as { unavailable: Array<{ reason: string; items: Array<{ component: string; license: string | null }> }> };
    const withClasspath = rawComponents('real-sboms/dropwizard/bom.json')
      .filter((component) => (component.licenses ?? []).some((entry) => /classpath/iu.test(JSON.stringify(entry))))
      .map(label);
    expect(withClasspath.length).toBeGreaterThan(0);
    const listed = doc.unavailable.find((gap) => gap.reason === 'exception-text-unavailable')?.items ?? [];
    expect(listed.map((item) => item.license)).toEqual(listed.map(() => 'Classpath-exception-2.0'));
    expect(withClasspath.every((name) => listed.some((item) => item.component === name))).toBe(true);
  });

  it('--strict exits 0 when every text could be produced; stdin works', async () => {
    const bom = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'library', name: 'a', licenses: [{ license: { id: 'MIT' } }] }] });
    const run = await notice(['-', '--strict'], bom);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(spdxFull.MIT?.licenseText.trimEnd());
  });

  it('bad input and an unwritable --out are AppErrors for main to print (exit 2)', async () => {
    const notSbom = join(dir, 'list.json');
    writeFileSync(notSbom, '{"licenseListVersion":"3.24","licenses":[]}');
    const failure = async (args: string[]): Promise<unknown> => notice(args).then(() => null, (error: unknown) => error);
    const notAnSbom = await failure([notSbom]);
    expect(isAppError(notAnSbom) && notAnSbom.code).toBe('unprocessable');
    const unwritable = await failure([fixture('real-sboms/dropwizard/bom.json'), '--out', join(dir, 'no/such/dir/NOTICE')]);
    expect(isAppError(unwritable) && unwritable.code).toBe('validation_failed');
    expect((unwritable as Error).message).toMatch(/^cannot write NOTICE .*: no such directory$/u);
  });
});
