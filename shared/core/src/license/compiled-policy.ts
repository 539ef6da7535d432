import type { DecidingRule, RuleBasis } from './deciding-rule.js';
import type { Verdict } from './finding.js';
import type { ExpressionNode } from './expression-tree.js';
import { normalizeExpressionText } from './normalize-expression.js';
import type { LicensePolicy } from './policy-schema.js';
import { nameKey } from './spdx-data.js';

/** A verdict and the part of the policy that gave it. */
export interface Rule {
  verdict: Verdict;
  basis: RuleBasis;
}

export type OutcomeKey = keyof LicensePolicy['outcomes'];

/** The policy as lookup tables, built once per policy object. */
export interface CompiledLicensePolicy {
  licenseRule: (id: string) => Rule | undefined;
  exceptionRule: (id: string, exception: string) => Rule | undefined;
  /** Ids no category lists, and LicenseRefs the policy does not name. */
  unknownRule: Rule;
  outcomeRule: (outcome: OutcomeKey) => { verdict: Verdict; rule: DecidingRule };
  alias: (key: string) => ExpressionNode | undefined;
}

const compile = (policy: LicensePolicy): CompiledLicensePolicy => {
  const licenseRules = new Map<string, Rule>();
  for (const [name, category] of Object.entries(policy.categories)) {
    for (const id of category.licenses) {
      licenseRules.set(id, { verdict: category.verdict, basis: { kind: 'category', category: name } });
    }
  }
  // Per-id rules override categories: applied after them.
  for (const [id, rule] of Object.entries(policy.licenses)) {
    licenseRules.set(id, { verdict: rule.verdict, basis: { kind: 'license', id } });
  }
  const exceptionRules = new Map<string, Rule>();
  policy.exceptions.forEach((rule, index) => {
    for (const id of rule.licenses) {
      exceptionRules.set(`${id} WITH ${rule.exception}`, { verdict: rule.verdict, basis: { kind: 'exception', index } });
    }
  });
  const aliases = new Map<string, ExpressionNode>();
  for (const [name, target] of Object.entries(policy.aliases)) {
    const normalized = normalizeExpressionText(target, null, 'expression');
    // A schema-validated policy never has a bad target; a hand-built one
    // simply loses that alias rather than failing every evaluation.
    if (normalized.ok) aliases.set(nameKey(name), normalized.tree);
  }
  const unknown = policy.categories.unknown;
  const unknownRule: Rule = { verdict: unknown?.verdict ?? 'review', basis: { kind: 'unknown-license' } };
  return {
    licenseRule: (id) => licenseRules.get(id),
    exceptionRule: (id, exception) => exceptionRules.get(`${id} WITH ${exception}`),
    unknownRule,
    outcomeRule: (outcome) => ({ verdict: policy.outcomes[outcome], rule: { kind: 'outcome', outcome } }),
    alias: (key) => aliases.get(key),
  };
};

const cache = new WeakMap<LicensePolicy, CompiledLicensePolicy>();

export const compileLicensePolicy = (policy: LicensePolicy): CompiledLicensePolicy => {
  let compiled = cache.get(policy);
  if (compiled === undefined) {
    compiled = compile(policy);
    cache.set(policy, compiled);
  }
  return compiled;
};
