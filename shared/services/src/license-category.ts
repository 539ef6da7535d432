import { normalizeExpressionText, type LicenseCategoryLookup, type LicensePolicy } from '@clearance/core';

const cache = new WeakMap<LicensePolicy, LicenseCategoryLookup>();

/**
 * The license policy's category of an upstream's SPDX id (`permissive`,
 * `network-copyleft`, ...), or null when no category lists it. GitHub still
 * reports some deprecated ids (`GPL-3.0`, `LGPL-2.1`), so an id that is not
 * listed as written is normalized the way SBOM licenses are before looking
 * again.
 */
export const licenseCategoryLookup = (policy: LicensePolicy): LicenseCategoryLookup => {
  const cached = cache.get(policy);
  if (cached !== undefined) return cached;
  const byId = new Map<string, string>();
  for (const [name, category] of Object.entries(policy.categories)) {
    for (const id of category.licenses) if (!byId.has(id)) byId.set(id, name);
  }
  const lookup: LicenseCategoryLookup = (spdxId) => {
    const exact = byId.get(spdxId);
    if (exact !== undefined) return exact;
    const normalized = normalizeExpressionText(spdxId, null, 'expression');
    if (!normalized.ok || normalized.tree.type !== 'license' || normalized.tree.exception !== null) return null;
    return byId.get(normalized.expression) ?? null;
  };
  cache.set(policy, lookup);
  return lookup;
};
