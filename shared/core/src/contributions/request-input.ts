import type { ContributionRequest, ContributionRequestInput } from './request-schema.js';
import { upstreamUrl } from './upstream-ref.js';

/**
 * The input form of a normalized request: parsing it again yields the same
 * request. Used to store requests as what was submitted, and to pre-fill a
 * resubmission with the previous revision.
 */
export const toRequestInput = (request: ContributionRequest): ContributionRequestInput => {
  const common = {
    title: request.title,
    justification: request.justification,
    links: request.links.map((link) => link.url),
    estimatedLinesChanged: request.estimatedLinesChanged,
    flags: { ...request.flags },
  };
  if (request.tier === 'new-project') {
    return { tier: request.tier, project: { ...request.project }, ...common };
  }
  return {
    tier: request.tier,
    upstream: upstreamUrl(request.upstream),
    ...(request.claName === undefined ? {} : { claName: request.claName }),
    ...common,
  };
};
