import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors/app-error.js';
import { parseSbom } from './parse-sbom.js';

/**
 * Every file of the CycloneDX specification's conformance suite, JSON and XML:
 * valid-* must parse, invalid-* (and informal-invalid-*, skip_invalid-*) must be
 * refused with an AppError — never another exception.
 */
const root = fileURLToPath(new URL('../../../../test/fixtures/cyclonedx-spec/', import.meta.url));
const versions = readdirSync(root).sort();

const files = versions.flatMap((version) =>
  readdirSync(`${root}${version}`)
    .sort()
    .map((file) => ({ version, file, path: `${root}${version}/${file}` })),
);

describe('CycloneDX spec fixtures', () => {
  it('finds the fixture suite', () => {
    expect(versions).toEqual(['1.2', '1.3', '1.4', '1.5', '1.6', '1.7']);
    expect(files.length).toBeGreaterThan(700);
  });

  const valid = files.filter(({ file }) => file.startsWith('valid-'));
  const invalid = files.filter(({ file }) => !file.startsWith('valid-'));

  it.each(valid)('accepts $version/$file', ({ version, file, path }) => {
    const parsed = parseSbom(readFileSync(path));
    expect(parsed.format).toEqual({
      kind: 'cyclonedx',
      encoding: file.endsWith('.xml') ? 'xml' : 'json',
      specVersion: version,
    });
  });

  it.each(invalid)('rejects $version/$file', ({ path }) => {
    let thrown: unknown;
    try {
      parseSbom(readFileSync(path));
    } catch (error) {
      thrown = error;
    }
    expect(isAppError(thrown), String(thrown)).toBe(true);
  });
});
