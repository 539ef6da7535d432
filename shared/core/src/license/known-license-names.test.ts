import { describe, expect, it } from 'vitest';
import table from './license-names.json' with { type: 'json' };
import { normalizeExpressionText } from './normalize-expression.js';
import { normalizePhrase } from './normalize-phrase.js';
import { currentLicenseByLower, deprecatedLicenseByLower, licenseIdByFullName, nameKey } from './spdx-data.js';
import { type LicenseNameRow, urlKey } from './known-license-names.js';

const rows = table.names as LicenseNameRow[];

const mapsTo = (text: string): [string, string, string | undefined] | null => {
  const found = normalizePhrase(text, null);
  if (found === null) return null;
  const [first] = found.mappings;
  return [found.ambiguous === undefined ? (first?.to ?? '') : 'ambiguous', first?.method ?? '', first?.source];
};

describe('the license name table (license-names.json)', () => {
  it('is valid data: a source on every row, exact SPDX targets, no row shadowed or repeated', () => {
    expect(table.version).toBeGreaterThanOrEqual(1);
    const seen = new Set<string>();
    for (const row of rows) {
      const label = row.name ?? row.url ?? '(no name)';
      expect(row.source.trim(), label).not.toBe('');
      expect((row.name === undefined) !== (row.url === undefined), `${label}: a name or a URL`).toBe(true);
      expect((row.license === undefined) !== (row.ambiguous === undefined), `${label}: a license or ambiguous`).toBe(true);
      for (const target of row.license === undefined ? (row.ambiguous ?? []) : [row.license]) {
        const parsed = normalizeExpressionText(target, null, 'expression');
        expect(parsed.ok && !parsed.hasUnknown && parsed.mappings.every((m) => m.method === 'exact'), `${label}: ${target}`).toBe(true);
      }
      const key = row.name === undefined ? (row.url ?? '').toLowerCase() : nameKey(row.name);
      expect(seen.has(key), `${label} twice`).toBe(false);
      seen.add(key);
      if (row.name !== undefined) {
        // A spelling SPDX already knows would never be read from the table.
        expect(currentLicenseByLower.has(key) || deprecatedLicenseByLower.has(key) || licenseIdByFullName.has(key), label).toBe(false);
      } else {
        expect(urlKey(`https://${row.url ?? ''}`), label).toBe(key);
      }
    }
  });

  it('maps the GNU family in the spellings real SBOMs use', () => {
    expect(mapsTo('GNU General Public License v2.0')?.slice(0, 2)).toEqual(['GPL-2.0-only', 'known-name']);
    expect(mapsTo('LGPL, version 2.1')?.[0]).toBe('LGPL-2.1-only');
    expect(mapsTo('lgpl_v2_1')?.[0]).toBe('LGPL-2.1-only');
    expect(mapsTo('GPL v2')?.[0]).toBe('GPL-2.0-only');
    expect(mapsTo('GPLv3+')?.[0]).toBe('GPL-3.0-or-later');
    expect(mapsTo('GNU Affero General Public License v3.0')?.[0]).toBe('AGPL-3.0-only');
  });

  it('maps Apache, EDL and W3C names, and names the row it used', () => {
    expect(mapsTo('ALv2')?.[0]).toBe('Apache-2.0');
    expect(mapsTo('ASL 2.0')).toEqual(['Apache-2.0', 'known-name', 'dropwizard-1.3.15 bom.json (CycloneDX/bom-examples)']);
    expect(mapsTo('Eclipse Distribution License v. 1.0')?.[0]).toBe('BSD-3-Clause');
    expect(mapsTo('The W3C Software License')?.[0]).toBe('W3C');
  });

  it('leaves family names without a version ambiguous: "gpl", "asl", "LGPL" are not guessed', () => {
    expect(mapsTo('gpl')).toEqual(['ambiguous', 'ambiguous', 'issue 20: names real generators emit (Maven POMs, PyPI, RPM/Debian metadata)']);
    expect(mapsTo('asl')?.[0]).toBe('ambiguous');
    expect(mapsTo('GNU Lesser General Public License')?.[0]).toBe('ambiguous');
    expect(normalizePhrase('GPL', null)?.ambiguous).toContain('GPL-2.0-only');
  });

  it('reads license URLs: SPDX and OSI pages by the id in the path, others from the table and the SPDX list', () => {
    expect(mapsTo('https://spdx.org/licenses/MIT.html')?.slice(0, 2)).toEqual(['MIT', 'url']);
    expect(mapsTo('http://opensource.org/licenses/BSD-3-Clause')?.[0]).toBe('BSD-3-Clause');
    expect(mapsTo('https://opensource.org/licenses/apache-2.0')?.[0]).toBe('Apache-2.0');
    expect(mapsTo('http://www.apache.org/licenses/LICENSE-2.0')?.[0]).toBe('Apache-2.0');
    expect(mapsTo('https://www.apache.org/licenses/LICENSE-2.0.txt')?.[0]).toBe('Apache-2.0');
    expect(mapsTo('http://www.eclipse.org/legal/epl-v10.html')?.[0]).toBe('EPL-1.0');
    // The SPDX list's own reference URL, where one id has it.
    expect(mapsTo('https://www.isc.org/licenses/')).toEqual(['ISC', 'url', 'SPDX license list URL']);
    expect(mapsTo('https://example.com/licenses/MIT')).toBeNull();
  });

  it('reads "name (URL)" by the name, else by the URL', () => {
    expect(mapsTo('MIT (https://opensource.org/licenses/MIT)')?.[0]).toBe('MIT');
    expect(mapsTo('Some License (https://www.apache.org/licenses/LICENSE-2.0)')?.[0]).toBe('Apache-2.0');
    expect(normalizePhrase('MIT (https://x.example/)', null)?.mappings[0]?.from).toBe('MIT (https://x.example/)');
  });
});
