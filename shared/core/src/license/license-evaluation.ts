import type { IdMapping, LicenseOutcome, Verdict } from './finding.js';

/** What one component's license data amounts to under a policy, before waivers. */
export interface LicenseEvaluation {
  outcome: LicenseOutcome;
  expression: string | null;
  mappings: IdMapping[];
  verdict: Verdict;
  /** The policy path that decided, with the license it decided on. */
  rule: string;
  chosenBranch: string | null;
  notes: string[];
}
