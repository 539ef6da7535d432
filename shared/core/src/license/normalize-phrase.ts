import type { IdMapping, MappingMethod } from './finding.js';
import { deprecatedIdReplacements, orLaterStem } from './deprecated-ids.js';
import { type ExpressionNode, type LicenseLeaf, leaf, renderExpression } from './expression-tree.js';
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
}

/** Looks up a curated policy alias by `nameKey`; the tree is already normalized. */
export type AliasLookup = (key: string) => ExpressionNode | undefined;

const licenseRefPattern = /^(documentref-[a-z0-9.-]+:)?licenseref-[a-z0-9.-]+$/i;
const idstringPattern = /^[A-Za-z0-9.-]+$/;

export const isIdstring = (text: string): boolean => idstringPattern.test(text);

const mapped = (from: string, tree: ExpressionNode, method: MappingMethod): PhraseResult => ({
  tree,
  mappings: [{ from, to: renderExpression(tree), method }],
});

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
 * `+`), then the policy's curated aliases, then SPDX full names. Anything else
 * is `null`: the caller keeps it as an unknown license. Nothing is guessed.
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
  const byName = licenseIdByFullName.get(key);
  if (byName !== undefined) {
    const replacement = deprecatedIdReplacements[byName];
    return mapped(text, replacement === undefined ? leaf(byName) : replacementLeaf(replacement), 'name');
  }
  return null;
};

/** An exception id after `WITH`: exact or case-corrected; `null` when SPDX does not list it. */
export const normalizeException = (phrase: string): { id: string; mapping: IdMapping } | null => {
  const text = phrase.trim();
  const id = exceptionByLower.get(text.toLowerCase());
  if (id === undefined) return null;
  return { id, mapping: { from: text, to: id, method: id === text ? 'exact' : 'case' } };
};
