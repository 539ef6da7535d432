import type { AgreementAssessment } from './agreements.js';
import type { ContributionEnrichment, ContributionHistory } from './enrichment.js';
import type { ContributionPolicy, EscalationRule, ReviewerRole } from './policy-schema.js';
import { fillReason } from './reason-template.js';
import type { ContributionRequest } from './request-schema.js';
import type { LicenseCategoryLookup } from './route-denials.js';
import { routingRules } from './rule-ids.js';
import { upstreamUrl } from './upstream-ref.js';

/** A condition that needs a person: it blocks automatic approval and asks for a stage. */
export interface Escalation {
  rule: string;
  roles: ReviewerRole[];
  approvals: number;
  slaWorkingDays: number;
  reason: string;
}

const fromRule = (rule: string, config: EscalationRule, detail: string): Escalation => ({
  rule,
  roles: [...config.roles],
  approvals: config.approvals,
  slaWorkingDays: config.slaWorkingDays,
  reason: detail,
});

/**
 * The escalations that hold, in a fixed order (upstream facts, agreements,
 * then the requester's flags) so the same inputs always give the same plan.
 */
export const findEscalations = (
  request: ContributionRequest,
  enrichment: ContributionEnrichment,
  agreements: AgreementAssessment | null,
  policy: ContributionPolicy,
  licenseCategory: LicenseCategoryLookup,
): Escalation[] => {
  const found: Escalation[] = [];
  const { escalations } = policy;
  const add = (rule: string, config: EscalationRule, values: Record<string, string>): void => {
    if (config.enabled) found.push(fromRule(rule, config, fillReason(config.reason, values)));
  };

  if (request.tier !== 'new-project') {
    const values = { upstream: upstreamUrl(request.upstream) };
    const upstream = enrichment.upstream;
    // Reached with a missing upstream only when deny.notFound is disabled.
    if (upstream === null || !upstream.exists) {
      add(routingRules.missingEnrichment, escalations.missingEnrichment, values);
    } else if (upstream.license === null) {
      if (upstream.licenseStatus === 'unrecognized') {
        add(routingRules.unrecognizedLicense, escalations.unrecognizedLicense, { ...values, license: 'an unrecognized license' });
      }
    } else {
      const category = licenseCategory(upstream.license);
      if (category === null) {
        add(routingRules.unrecognizedLicense, escalations.unrecognizedLicense, { ...values, license: upstream.license });
      } else {
        for (const entry of escalations.licenseCategories) {
          if (entry.categories.includes(category)) {
            add(`${routingRules.licenseCategoryPrefix}${entry.name}`, entry, { ...values, license: upstream.license, category });
          }
        }
      }
    }
    if (agreements !== null) {
      if (agreements.claRequired && !agreements.claAccepted) {
        add(routingRules.unapprovedCla, escalations.unapprovedCla, {
          ...values,
          agreement: agreements.claName === null ? 'a CLA that could not be identified' : `the CLA "${agreements.claName}"`,
        });
      }
      if (agreements.dcoRequired && !agreements.dcoAccepted) {
        add(routingRules.unapprovedCla, escalations.unapprovedCla, { ...values, agreement: 'the DCO' });
      }
    }
  }
  if (request.flags.touchesCoreIp) add(routingRules.coreIp, escalations.coreIp, {});
  if (request.flags.patentRelevant) add(routingRules.patentRelevant, escalations.patentRelevant, {});
  if (request.flags.securityFix) add(routingRules.securityFix, escalations.securityFix, {});
  return found;
};

/**
 * The trust ladder: until the company (or this requester) has had enough
 * contributions to an upstream approved, a person who knows the open source
 * landscape looks at it first.
 */
export const findTrustLadder = (
  request: ContributionRequest,
  history: ContributionHistory,
  policy: ContributionPolicy,
): Escalation | null => {
  const ladder = policy.trustLadder;
  if (request.tier === 'new-project' || !ladder.enabled) return null;
  const count =
    ladder.per === 'upstream' ? history.upstreamApprovedContributions : history.requesterUpstreamApprovedContributions;
  if (count >= ladder.minApprovedContributions) return null;
  const who = ladder.per === 'upstream' ? 'the company' : 'this requester';
  return fromRule(
    routingRules.trustLadder,
    ladder,
    fillReason(ladder.reason, {
      upstream: upstreamUrl(request.upstream),
      count: String(count),
      needed: String(ladder.minApprovedContributions),
      who,
    }),
  );
};
