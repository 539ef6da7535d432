import type { LicenseCombination } from './license-combination.js';
import type { DecidingRule } from './deciding-rule.js';
import type { IdMapping, LicenseOutcome, Verdict } from './finding.js';

/** What one component's license data amounts to under a policy, before waivers. */
export interface LicenseEvaluation {
  outcome: LicenseOutcome;
  expression: string | null;
  mappings: IdMapping[];
  verdict: Verdict;
  /** The policy rule that decided, with the license it decided on. */
  rule: DecidingRule;
  chosenBranch: string | null;
  notes: string[];
  combination: LicenseCombination;
}
