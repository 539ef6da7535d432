import type { IdMapping, MappingMethod } from './finding.js';
import { deprecatedIdReplacements, orLaterStem } from './deprecated-ids.js';
import { type ExpressionNode, type LicenseLeaf, leaf, renderExpression } from './expression-tree.js';
import { type KnownName, knownLicenseName, knownLicenseUrl, urlKey } from './known-license-names.js';
import {
  currentLicenseByLower,
  currentLicenseIds,
  deprecatedLicenseByLower,
  exceptionByLower,
  licenseIdByFullName,
  nameKey,
} from './spdx-data.js';

export interface PhraseResult {
  tree: ExpressionNode;
  mappings: IdMapping[];
  /** A family name with no version ("GPL"): the licenses it could mean. The tree is the text as written. */
  ambiguous?: readonly string[];
}

/** Looks up a curated policy alias by `nameKey`; the tree is already normalized. */
export type AliasLookup = (key: string) => ExpressionNode | undefined;

const licenseRefPattern = /^(documentref-[a-z0-9.-]+:)?licenseref-[a-z0-9.-]+$/i;
const idstringPattern = /^[A-Za-z0-9.-]+$/;

export const isIdstring = (text: string): boolean => idstringPattern.test(text);

const mapped = (from: string, tree: ExpressionNode, method: MappingMethod, source?: string): PhraseResult => ({
  tree,
  mappings: [source === undefined ? { from, to: renderExpression(tree), method } : { from, to: renderExpression(tree), method, source }],
});

const fromTable = (text: string, found: KnownName, method: 'known-name' | 'url'): PhraseResult => {
  if (found.kind === 'license') return mapped(text, found.tree, method, found.source);
  const tree = leaf(text);
  return { tree, mappings: [{ from: text, to: renderExpression(tree), method: 'ambiguous', source: found.source }], ambiguous: found.candidates };
};

/** spdx.org/licenses/MIT.html, opensource.org/licenses/Apache-2.0: the id is in the path. */
const idInUrlPattern = /^(?:spdx\.org\/licenses|opensource\.org\/licenses?)\/([A-Za-z0-9.+-]+?)(?:\.html|\.json|\.txt|\.php)?$/u;

const lookupUrl = (text: string): PhraseResult | null => {
  const key = urlKey(text);
  if (key === null) return null;
  const found = knownLicenseUrl(key);
  if (found !== undefined) return fromTable(text.trim(), found, 'url');
  const id = idInUrlPattern.exec(key)?.[1];
  const byId = id === undefined ? null : (lookupId(id) ?? lookupPlus(id));
  return byId === null ? null : mapped(text.trim(), byId.tree, 'url', 'license id in the URL');
};

/** "MIT (https://opensource.org/licenses/MIT)": the name, else the URL in parentheses. */
const nameWithUrlPattern = /^(.+?)\s*\(\s*(https?:\/\/[^\s)]+)\s*\)$/u;

/** `GPL-2.0-only WITH Classpath-exception-2.0` → a leaf; the replacement table only holds these two forms. */
const replacementLeaf = (replacement: string): LicenseLeaf => {
  const [license = replacement, exception] = replacement.split(' WITH ');
  return leaf(license, false, exception ?? null);
};

const fixLicenseRefCase = (ref: string): string =>
  ref.replace(/^documentref-/i, 'DocumentRef-').replace(/(^|:)licenseref-/i, '$1LicenseRef-');

/** One SPDX id or LicenseRef as written: exact, then case-corrected, then deprecated. */
const lookupId = (word: string): PhraseResult | null => {
  if (currentLicenseIds.has(word)) return mapped(word, leaf(word), 'exact');
  if (licenseRefPattern.test(word)) {
    const fixed = fixLicenseRefCase(word);
    return mapped(word, leaf(fixed), fixed === word ? 'exact' : 'case');
  }
  const lower = word.toLowerCase();
  const current = currentLicenseByLower.get(lower);
  if (current !== undefined) return mapped(word, leaf(current), 'case');
  const deprecated = deprecatedLicenseByLower.get(lower);
  if (deprecated !== undefined) {
    const replacement = deprecatedIdReplacements[deprecated];
    // A deprecated id without a successor stays as SPDX spells it; the
    // policy cannot name it, so it is judged as unknown.
    return mapped(word, replacement === undefined ? leaf(deprecated) : replacementLeaf(replacement), 'deprecated');
  }
  return null;
};

/**
 * `X+`: the GNU families have their own `-or-later` ids (`GPL-2.0+` and
 * `GPL-2.0-only+` are `GPL-2.0-or-later`); any other id keeps the `+` flag.
 */
const lookupPlus = (word: string): PhraseResult | null => {
  if (word.length < 2 || !word.endsWith('+')) return null;
  const base = lookupId(word.slice(0, -1));
  if (base === null || base.tree.type !== 'license' || base.tree.plus) return null;
  const stem = orLaterStem(base.tree.license);
  const orLater = stem === null ? undefined : `${stem}-or-later`;
  if (orLater !== undefined && currentLicenseIds.has(orLater)) {
    return mapped(word, leaf(orLater, false, base.tree.exception), 'deprecated');
  }
  const method = base.mappings[0]?.method ?? 'exact';
  return mapped(word, leaf(base.tree.license, true, base.tree.exception), method);
};

/**
 * Normalizes one license as written (an id, or a name with spaces) to an
 * expression tree, recording how. Order: SPDX ids (exact, case, deprecated,
 * `+`), then the policy's curated aliases, then the name table
 * (license-names.json), then SPDX full names, then license URLs, then
 * "name (URL)". Anything else is `null`: the caller keeps it as an unknown
 * license. Nothing is guessed: a family name without a version comes back as
 * itself, marked ambiguous.
 */
export const normalizePhrase = (phrase: string, aliases: AliasLookup | null): PhraseResult | null => {
  const text = phrase.trim();
  if (text === '') return null;
  if (!/\s/.test(text)) {
    const byId = lookupId(text) ?? lookupPlus(text);
    if (byId !== null) return byId;
  }
  const key = nameKey(text);
  const aliased = aliases?.(key);
  if (aliased !== undefined) return mapped(text, aliased, 'alias');
  const known = knownLicenseName(key);
  if (known !== undefined) return fromTable(text, known, 'known-name');
  const byName = licenseIdByFullName.get(key);
  if (byName !== undefined) {
    const replacement = deprecatedIdReplacements[byName];
    return mapped(text, replacement === undefined ? leaf(byName) : replacementLeaf(replacement), 'name');
  }
  const byUrl = lookupUrl(text);
  if (byUrl !== null) return byUrl;
  const withUrl = nameWithUrlPattern.exec(text);
  if (withUrl?.[1] !== undefined && withUrl[2] !== undefined) {
    const inner = normalizePhrase(withUrl[1], aliases);
    const found = inner !== null && inner.ambiguous === undefined ? inner : (lookupUrl(withUrl[2]) ?? inner);
    if (found !== null) return { ...found, mappings: found.mappings.map((mapping) => ({ ...mapping, from: text })) };
  }
  return null;
};

/** Why a family name stays unknown, for the finding's notes. */
export const ambiguityNote = (text: string, candidates: readonly string[]): string =>
  `${JSON.stringify(text)} names a license family without saying which license (${candidates.join(', ')}): judged as unknown, for a person to read`;

/** An exception id after `WITH`: exact or case-corrected; `null` when SPDX does not list it. */
export const normalizeException = (phrase: string): { id: string; mapping: IdMapping } | null => {
  const text = phrase.trim();
  const id = exceptionByLower.get(text.toLowerCase());
  if (id === undefined) return null;
  return { id, mapping: { from: text, to: id, method: id === text ? 'exact' : 'case' } };
};
