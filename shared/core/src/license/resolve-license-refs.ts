import type { IdMapping } from './finding.js';
import type { CompiledLicensePolicy } from './compiled-policy.js';
import { type ExpressionNode, conjoin, renderExpression } from './expression-tree.js';
import { normalizePhrase } from './normalize-phrase.js';

/** SPDX extracted licensing info: LicenseRef id → the name the document gives it. */
export type LicenseRefNames = ReadonlyMap<string, string>;

export const licenseRefNames = (extracted: readonly { id: string; name: string | null }[] | undefined): LicenseRefNames => {
  const names = new Map<string, string>();
  for (const entry of extracted ?? []) if (entry.name !== null && entry.name.trim() !== '') names.set(entry.id, entry.name.trim());
  return names;
};

/**
 * Reads each LicenseRef the policy does not name through the document's own
 * name for it: a `LicenseRef-1` the document calls "Apache License 2.0" is
 * judged as Apache-2.0, with an `extracted-name` mapping that says so. A name
 * that maps to nothing known (or only to a family) leaves the LicenseRef as
 * it is, with a note giving the name for the reviewer.
 */
export const resolveLicenseRefs = (
  tree: ExpressionNode,
  names: LicenseRefNames,
  policy: CompiledLicensePolicy,
  mappings: IdMapping[],
  notes: string[],
): ExpressionNode => {
  if (tree.type !== 'license') {
    return conjoin(tree.type, tree.children.map((child) => resolveLicenseRefs(child, names, policy, mappings, notes)));
  }
  const name = names.get(tree.license);
  if (name === undefined || policy.licenseRule(tree.license) !== undefined) return tree;
  const found = normalizePhrase(name, policy.alias);
  if (found === null || found.ambiguous !== undefined || found.tree.type !== 'license' || tree.exception !== null) {
    notes.push(`${tree.license} is ${JSON.stringify(name)} (the document's extracted licensing info)`);
    return tree;
  }
  mappings.push({ from: tree.license, to: renderExpression(found.tree), method: 'extracted-name', source: name });
  return found.tree;
};
