import licenseList from 'spdx-license-list/spdx.json' with { type: 'json' };
import data from './license-names.json' with { type: 'json' };
import type { ExpressionNode } from './expression-tree.js';
import { normalizeExpressionText } from './normalize-expression.js';
import { currentLicenseIds, nameKey } from './spdx-data.js';

/**
 * The name → SPDX table of `license-names.json`: names and URLs as real
 * SBOMs write them, each row with the place it was seen. It is data, not
 * code, so adding a spelling is a reviewed one-line change; its `version`
 * goes up when a row changes a verdict.
 */
export type KnownName =
  | { kind: 'license'; tree: ExpressionNode; source: string }
  | { kind: 'ambiguous'; candidates: readonly string[]; source: string };

/** One row of license-names.json: a name or a URL, and a license expression or the licenses an ambiguous name could mean. */
export interface LicenseNameRow {
  name?: string;
  url?: string;
  license?: string;
  ambiguous?: string[];
  source: string;
}

export const licenseNamesVersion: number = data.version;

/** `https://www.Apache.org/licenses/LICENSE-2.0/` → `apache.org/licenses/license-2.0`. */
export const urlKey = (text: string): string | null => {
  const match = /^\s*https?:\/\/(?:www\.)?([^\s?#]+?)\/?\s*$/iu.exec(text);
  return match?.[1] === undefined ? null : match[1].toLowerCase();
};

interface Tables {
  names: ReadonlyMap<string, KnownName>;
  urls: ReadonlyMap<string, KnownName>;
}

const build = (): Tables => {
  const names = new Map<string, KnownName>();
  const urls = new Map<string, KnownName>();
  const entry = (row: LicenseNameRow): KnownName => {
    if (row.ambiguous !== undefined) return { kind: 'ambiguous', candidates: row.ambiguous, source: row.source };
    const parsed = normalizeExpressionText(row.license ?? '', null, 'expression');
    // The table is ours and its test checks every row: a bad one is a build mistake, so it fails loudly.
    if (!parsed.ok) throw new Error(`license-names.json: ${row.license ?? '(no license)'} is not an SPDX expression`);
    return { kind: 'license', tree: parsed.tree, source: row.source };
  };
  for (const row of data.names as LicenseNameRow[]) {
    if (row.name !== undefined) names.set(nameKey(row.name), entry(row));
    if (row.url !== undefined) urls.set(row.url.toLowerCase(), entry(row));
  }
  // The SPDX list's reference URL of each license, where only one current id has it.
  const byUrl = new Map<string, string[]>();
  for (const [id, listed] of Object.entries(licenseList as Record<string, { url?: string }>)) {
    const key = listed.url === undefined ? null : urlKey(listed.url);
    if (key === null || !currentLicenseIds.has(id)) continue;
    byUrl.set(key, [...(byUrl.get(key) ?? []), id]);
  }
  for (const [key, ids] of byUrl) {
    const [only] = ids;
    if (ids.length !== 1 || only === undefined || urls.has(key)) continue;
    urls.set(key, { kind: 'license', tree: { type: 'license', license: only, plus: false, exception: null }, source: 'SPDX license list URL' });
  }
  return { names, urls };
};

let tables: Tables | undefined;
// Built on first use: normalize-expression imports this module's users.
const known = (): Tables => (tables ??= build());

export const knownLicenseName = (key: string): KnownName | undefined => known().names.get(key);
export const knownLicenseUrl = (key: string): KnownName | undefined => known().urls.get(key);
