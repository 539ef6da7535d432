import type { ComponentLicenseData } from '../sbom/component.js';
import type { DecidingRule } from './deciding-rule.js';
import type { LicenseCombination } from './license-combination.js';

/** Verdicts are ordered: allow < review < deny. */
export type Verdict = 'allow' | 'review' | 'deny';
export type SbomVerdict = 'pass' | 'review' | 'fail';

/**
 * How a written license token became an SPDX id, so a reviewer can see it:
 * `known-name` and `url` come from the name table (license-names.json),
 * `ambiguous` is a family name the table refuses to guess (it stays unknown),
 * `extracted-name` a LicenseRef read through the document's own name for it.
 */
export type MappingMethod = 'exact' | 'case' | 'deprecated' | 'name' | 'alias' | 'known-name' | 'url' | 'ambiguous' | 'extracted-name';

export interface IdMapping {
  from: string;
  to: string;
  method: MappingMethod;
  /** Where the name table saw this spelling, or the extracted license's name. */
  source?: string;
}

/** What the license data amounted to before any rule was applied. */
export type LicenseOutcome = 'evaluated' | 'missing' | 'noassertion' | 'none' | 'unparsable' | 'too-large';

export type DecidedBy =
  | { kind: 'rule'; rule: DecidingRule }
  | { kind: 'waiver'; waiverId: string }
  | { kind: 'expired-waiver-ignored'; waiverId: string; rule: DecidingRule };

export interface ComponentFinding {
  ref: string;
  name: string;
  version: string | null;
  purl: string | null;
  raw: ComponentLicenseData;
  outcome: LicenseOutcome;
  /** The normalized SPDX expression that was evaluated, when there was one. */
  expression: string | null;
  mappings: IdMapping[];
  verdict: Verdict;
  decidedBy: DecidedBy;
  /** For OR expressions: the branch the licensee would choose (best verdict). */
  chosenBranch: string | null;
  /** Which rule joined several license entries, and where they came from. */
  combination: LicenseCombination;
  /** Plain-language remarks: several entries combined with AND, concluded over declared, ... */
  notes: string[];
}

export interface VerdictCounts {
  total: number;
  allow: number;
  review: number;
  deny: number;
}

/** A finding about the document as a whole, not one of its components. */
export interface DocumentFinding {
  kind: 'no-components';
  verdict: Verdict;
  decidedBy: { kind: 'rule'; rule: DecidingRule };
  message: string;
}

export interface SbomEvaluation {
  verdict: SbomVerdict;
  counts: VerdictCounts;
  findings: ComponentFinding[];
  /** Findings about the document itself (an SBOM that lists no components); they count toward the verdict. */
  documentFindings: DocumentFinding[];
  policyVersion: string;
}
