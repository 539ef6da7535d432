/**
 * The policy rule that gave a verdict, as data: which part of the license
 * policy spoke and on which license. Reports, SARIF rule ids and the
 * category tally read these fields; nothing parses a rule back from text.
 */
export type OutcomeRuleKey = 'missing' | 'noassertion' | 'none' | 'unparsable' | 'tooLarge' | 'noComponents';

/** The part of the policy that decides, before it is applied to a license. */
export type RuleBasis =
  /** The license is listed in a category (`categories.<category>`). */
  | { kind: 'category'; category: string }
  /** A per-id rule (`licenses.<id>`); it overrides the category. */
  | { kind: 'license'; id: string }
  /** A `license WITH exception` pair rule (`exceptions[<index>]`). */
  | { kind: 'exception'; index: number }
  /** No category lists the license, or its exception is not an SPDX one: the `unknown` category's verdict. */
  | { kind: 'unknown-license' }
  /** License data that is not an expression, or a document with no components (`outcomes.<outcome>`). */
  | { kind: 'outcome'; outcome: OutcomeRuleKey };

type LicenseRuleBasis = Exclude<RuleBasis, { kind: 'outcome' }>;

/** A rule as applied: license rules carry the license (leaf as rendered) they decided on. */
export type DecidingRule = (LicenseRuleBasis & { license: string }) | Extract<RuleBasis, { kind: 'outcome' }>;

/** Where the rule lives in licenses.yaml: `categories.strong-copyleft`, `licenses.MIT`, `exceptions[0]`, `outcomes.missing`. */
export const rulePath = (rule: RuleBasis): string => {
  switch (rule.kind) {
    case 'category':
      return `categories.${rule.category}`;
    case 'license':
      return `licenses.${rule.id}`;
    case 'exception':
      return `exceptions[${rule.index}]`;
    case 'unknown-license':
      return 'categories.unknown';
    case 'outcome':
      return `outcomes.${rule.outcome}`;
  }
};

/** One line for people: `categories.strong-copyleft: GPL-3.0-only`, `outcomes.missing`. */
export const ruleText = (rule: DecidingRule): string => (rule.kind === 'outcome' ? rulePath(rule) : `${rulePath(rule)}: ${rule.license}`);

export const appliedTo = (basis: RuleBasis, license: string): DecidingRule =>
  basis.kind === 'outcome' ? basis : { ...basis, license };
