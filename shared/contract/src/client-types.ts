import type { ContributionRequestInput, UpstreamInfo, contributionEnrichmentSchema } from '@clearance/core';
import type { z } from 'zod';
import type { auditEventResponseSchema, auditVerificationResponseSchema } from './audit-responses.js';
import type {
  contributionDetailResponseSchema,
  contributionResponseSchema,
  decisionResponseSchema,
  decisionResultResponseSchema,
  reviewItemResponseSchema,
  stageResponseSchema,
  tierDescriptionSchema,
} from './contribution-responses.js';
import type {
  contributionObligationsResponseSchema,
  releaseObligationResponseSchema,
  releaseResponseSchema,
  releaseSummaryResponseSchema,
  sbomObligationsResponseSchema,
} from './release-responses.js';
import type { logoutResponseSchema, meResponseSchema, signInOptionsResponseSchema } from './identity-responses.js';
import type { decidingRuleSchema, documentFindingSchema, findingResponseSchema, sbomDetailResponseSchema, sbomResponseSchema, verdictCountsSchema, verdictSchema, waiverResponseSchema } from './sbom-responses.js';

/*
 * The types clients (web UI, CLI, tests) read answers as: the wire side
 * (z.input) of the schemas the API's answers are checked against.
 */
export type Verdict = z.infer<typeof verdictSchema>;
export type VerdictCounts = z.input<typeof verdictCountsSchema>;
export type Sbom = z.input<typeof sbomResponseSchema>;
export type SbomDetail = z.input<typeof sbomDetailResponseSchema>;
export type Finding = z.input<typeof findingResponseSchema>;
export type DecidedBy = Finding['decidedBy'];
export type DecidingRule = z.input<typeof decidingRuleSchema>;
export type DocumentFinding = z.input<typeof documentFindingSchema>;
export type LicenseChoice = Finding['raw']['choices'][number];
export type Waiver = z.input<typeof waiverResponseSchema>;
export type SbomObligations = z.input<typeof sbomObligationsResponseSchema>;
export type Release = z.input<typeof releaseResponseSchema>;
export type ReleaseSummary = z.input<typeof releaseSummaryResponseSchema>;
export type ReleaseObligation = z.input<typeof releaseObligationResponseSchema>;
export type ContributionObligations = z.input<typeof contributionObligationsResponseSchema>;
export type AuditEvent = z.input<typeof auditEventResponseSchema>;
export type AuditVerification = z.input<typeof auditVerificationResponseSchema>;
export type Stage = z.input<typeof stageResponseSchema>;
export type Decision = z.input<typeof decisionResponseSchema>;
export type Contribution = Omit<z.input<typeof contributionResponseSchema>, 'request' | 'enrichment'> & { request: RequestInput; enrichment: Enrichment | null };
export type ContributionDetail = Omit<z.input<typeof contributionDetailResponseSchema>, 'request' | 'enrichment'> & { request: RequestInput; enrichment: Enrichment | null };
export type DecisionResult = z.input<typeof decisionResultResponseSchema>;
export type ReviewItem = Omit<z.input<typeof reviewItemResponseSchema>, 'request'> & { request: RequestInput };
export type OutcomeCounts = ReviewItem['history']['requester'];
export type RoutingPlan = NonNullable<z.input<typeof contributionResponseSchema>['plan']>;
/** What GitHub said; in the review queue the upstream also carries its license category. */
export type Enrichment = Omit<z.output<typeof contributionEnrichmentSchema>, 'upstream'> & { upstream: (UpstreamInfo & { licenseCategory?: string | null }) | null };
export type ExplanationEntry = RoutingPlan['explanation'][number];
export type TierDescription = z.input<typeof tierDescriptionSchema>;
export type Me = z.input<typeof meResponseSchema>;
export type SignInOptions = z.input<typeof signInOptionsResponseSchema>;
export type LogoutResult = z.input<typeof logoutResponseSchema>;
type KeysOfAny<U> = U extends unknown ? keyof U : never;
type ValueIn<U, K extends PropertyKey> = U extends { [P in K]?: infer V } ? V : never;
/** A union of objects as one object: the keys all share stay as they are, the others become optional. */
type Flattened<U> = { [K in keyof U]: ValueIn<U, K> } & { [K in Exclude<KeysOfAny<U>, keyof U>]?: Exclude<ValueIn<U, K>, undefined> };

/**
 * A request as stored and answered: the input form of the request schema
 * (core's toRequestInput), which always carries its links and flags. One
 * shape for every tier, so a form can read any tier's fields.
 */
export type RequestInput = Flattened<ContributionRequestInput> & { links: string[]; flags: Record<string, boolean> };

export interface Page<T> {
  items: T[];
  nextCursor: string | number | null;
}
