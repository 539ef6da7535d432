import type { ContributionPolicy } from './policy-schema.js';
import type { ClaHints } from './enrichment.js';
import type { UpstreamContributionRequest } from './request-schema.js';

/** What the upstream asks contributors to sign, and whether policy accepts it. */
export interface AgreementAssessment {
  claRequired: boolean;
  claName: string | null;
  claAccepted: boolean;
  dcoRequired: boolean;
  dcoAccepted: boolean;
}

/**
 * Combines what the requester said with what the upstream's files say: either
 * source is enough to require an agreement, because a missed CLA is the costly
 * mistake. The requester's CLA name wins over the detected one: they have
 * read the agreement, the detector only matched a URL pattern.
 */
export const assessAgreements = (
  request: UpstreamContributionRequest,
  hints: ClaHints | null,
  policy: ContributionPolicy,
): AgreementAssessment => {
  const claRequired = request.flags.claRequired || hints?.cla === true;
  const claName = request.claName ?? hints?.claName ?? null;
  const claAccepted =
    claName !== null && policy.cla.preApproved.some((entry) => entry.id.toLowerCase() === claName.toLowerCase());
  const dcoRequired = request.flags.dcoRequired || hints?.dco === true;
  return { claRequired, claName, claAccepted, dcoRequired, dcoAccepted: dcoRequired && policy.cla.dcoAccepted };
};
