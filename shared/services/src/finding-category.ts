import type { ComponentFinding, LicensePolicy } from '@clearance/core';

/**
 * The license category a finding falls in, for reports: the category whose
 * rule decided it, else the category that lists its single license id, else
 * the kind of outcome (missing, noassertion, ...) or "mixed" for expressions
 * decided by a per-id or exception rule.
 */
export function findingCategory(finding: ComponentFinding, policy: LicensePolicy): string {
  if (finding.outcome !== 'evaluated') return finding.outcome;
  const rule = finding.decidedBy.kind === 'waiver' ? null : finding.decidedBy.rule;
  if (rule?.kind === 'category') return rule.category;
  if (rule?.kind === 'unknown-license') return 'unknown';
  const expression = finding.expression ?? '';
  for (const [name, category] of Object.entries(policy.categories)) {
    if (category.licenses.includes(expression)) return name;
  }
  return 'mixed';
}
