import type { SbomEvaluation, SbomFormat, SbomVerdict } from '@clearance/core';

export const checkFormats = ['table', 'json', 'markdown', 'sarif'] as const;
export type CheckFormat = (typeof checkFormats)[number];

export const failOnLevels = ['deny', 'review'] as const;
export type FailOn = (typeof failOnLevels)[number];

/** Everything a formatter may print: the evaluation and where it came from. */
export interface CheckReport {
  /** The SBOM path as given on the command line. */
  file: string;
  format: SbomFormat;
  documentId: string | null;
  evaluation: SbomEvaluation;
  failOn: FailOn;
  /** The raw SBOM text, for pointing results at lines (SARIF); absent when not kept. */
  sbomText?: string;
}

/** 0 pass, 1 policy failure: any deny, or any review under `--fail-on review`. */
export const checkExitCode = (verdict: SbomVerdict, failOn: FailOn): 0 | 1 =>
  verdict === 'fail' || (verdict === 'review' && failOn === 'review') ? 1 : 0;

export { formatLabel } from '@clearance/core';
