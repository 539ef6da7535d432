/**
 * The license data of a generated SBOM: ~300 distinct entries in the shapes
 * real SBOMs carry, drawn with a Zipf-like skew so that a few licenses (MIT,
 * Apache-2.0, ISC, …) dominate as they do in npm and Maven trees.
 */
export type LicenseEntry =
  | { license: { id: string } }
  | { license: { name: string } }
  | { expression: string };

/** null: the component states no license at all. */
export type LicenseData = LicenseEntry[] | null;

const common = [
  'MIT', 'Apache-2.0', 'ISC', 'BSD-3-Clause', 'BSD-2-Clause', '0BSD', 'Unlicense', 'CC0-1.0', 'MPL-2.0', 'LGPL-2.1-only',
  'LGPL-3.0-only', 'GPL-2.0-only', 'GPL-3.0-only', 'AGPL-3.0-only', 'EPL-1.0', 'EPL-2.0', 'Zlib', 'BSL-1.0', 'Python-2.0',
  'Artistic-2.0', 'CC-BY-4.0', 'CC-BY-3.0', 'CC-BY-SA-4.0', 'CDDL-1.0', 'CDDL-1.1', 'WTFPL', 'PostgreSQL', 'OpenSSL',
  'BlueOak-1.0.0', 'MIT-0', 'Unicode-DFS-2016', 'LGPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0-or-later', 'LGPL-2.1-or-later',
  'LGPL-3.0-or-later', 'MPL-1.1', 'EUPL-1.2', 'OFL-1.1', 'CC-BY-NC-4.0', 'SSPL-1.0', 'BUSL-1.1', 'Ruby', 'PHP-3.01', 'X11',
  'NCSA', 'AFL-2.1', 'Beerware', 'JSON', 'W3C',
];

const deprecated = [
  'GPL-2.0', 'GPL-2.0+', 'GPL-3.0', 'GPL-3.0+', 'LGPL-2.1', 'LGPL-2.1+', 'LGPL-3.0', 'LGPL-3.0+', 'AGPL-3.0', 'LGPL-2.0',
  'GPL-2.0-with-classpath-exception', 'GPL-2.0-with-GCC-exception', 'eCos-2.0', 'wxWindows', 'StandardML-NJ',
];

const names = [
  'Apache License 2.0', 'Apache License, Version 2.0', 'The Apache Software License, Version 2.0', 'Apache Software License',
  'ASL 2.0', 'The MIT License', 'MIT License', 'BSD License', 'New BSD License', 'The BSD 3-Clause License',
  'Eclipse Public License 1.0', 'Eclipse Public License - v 2.0', 'GNU General Public License v3', 'GNU General Public License, version 2',
  'GPL v2', 'GNU Lesser General Public License', 'LGPL, version 2.1', 'Mozilla Public License Version 2.0', 'MPL 1.1',
  'CDDL + GPLv2 with classpath exception', 'Common Development and Distribution License', 'Public Domain', 'ISC License',
  'Bouncy Castle Licence', 'Go License', 'Similar to Apache License but with the acknowledgment clause removed', 'EDL 1.0',
  'Eclipse Distribution License - v 1.0', 'Unicode/ICU License', 'Proprietary',
];

const caseVariants = ['mit', 'apache-2.0', 'bsd-3-clause', 'Isc', 'gpl-3.0-only', 'lgpl-2.1-only', 'Mpl-2.0', 'unlicense'];

/** Deterministic, so every run checks the same files. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)] as T;

/** The distinct license data, most common first (the order the skew favours). */
export const licenseCatalog = (): LicenseData[] => {
  const random = seededRandom(42);
  const catalog: LicenseData[] = [];
  const top = common.slice(0, 12);
  for (const id of common) catalog.push([{ license: { id } }]);
  catalog.push(null, [{ expression: 'NOASSERTION' }], [{ expression: 'NONE' }]);
  for (const id of deprecated) catalog.push([{ license: { id } }]);
  for (const name of names) catalog.push([{ license: { name } }]);
  for (const variant of caseVariants) catalog.push([{ expression: variant }]);
  for (let i = 0; i < 20; i++) catalog.push([{ expression: `LicenseRef-vendor-${i}` }]);
  // Dual licenses and combinations, the way package managers write them.
  const seen = new Set<string>();
  const add = (expression: string) => {
    if (seen.has(expression)) return;
    seen.add(expression);
    catalog.push([{ expression }]);
  };
  while (seen.size < 80) add(`${pick(top, random)} OR ${pick(common, random)}`);
  while (seen.size < 110) add(`${pick(top, random)} AND ${pick(common, random)}`);
  while (seen.size < 125) add(`(${pick(top, random)} OR ${pick(common, random)}) AND ${pick(top, random)}`);
  for (const exception of ['Classpath-exception-2.0', 'LLVM-exception', 'GCC-exception-3.1', 'Autoconf-exception-3.0']) {
    add(`GPL-2.0-only WITH ${exception}`);
    add(`Apache-2.0 WITH ${exception}`);
  }
  // Long OR chains (cargo and Perl style); pure ORs, which the baseline still handles.
  for (let length = 4; length <= 14; length++) {
    add(Array.from({ length }, (_, i) => common[(i * 7 + length) % common.length]).join(' OR '));
  }
  // Several entries in one component: combined with AND by the engine.
  for (let i = 0; i < 25; i++) {
    catalog.push([{ license: { id: pick(top, random) } }, { license: { name: pick(names, random) } }]);
  }
  return catalog;
};

/** Index into the catalog with a Zipf-like skew: index k is drawn with weight 1/(k+1). */
export const skewedPicker = (size: number, random: () => number): (() => number) => {
  const cumulative: number[] = [];
  let total = 0;
  for (let k = 0; k < size; k++) {
    total += 1 / (k + 1);
    cumulative.push(total);
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = size - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cumulative[mid] ?? 0) < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
};
