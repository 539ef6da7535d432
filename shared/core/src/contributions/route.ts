import { plural } from '../text/plural.js';
import { assessAgreements } from './agreements.js';
import type { AgreementAssessment } from './agreements.js';
import { blanketCovers, blanketExpired, describeBlanket } from './blanket-approvals.js';
import type { ContributionEnrichment, ContributionHistory } from './enrichment.js';
import type { ContributionPolicy } from './policy-schema.js';
import type { ContributionRequest, UpstreamContributionRequest } from './request-schema.js';
import { findDenials } from './route-denials.js';
import type { LicenseCategoryLookup } from './route-denials.js';
import { findEscalations, findTrustLadder } from './route-escalations.js';
import type { Escalation } from './route-escalations.js';
import type { ExplanationEntry, PlannedStage, RoutingPlan } from './routing-plan.js';
import { routingRules } from './rule-ids.js';
import { nextTier } from './tier.js';
import type { ContributionTier } from './tier.js';
import { upstreamUrl } from './upstream-ref.js';

export type { LicenseCategoryLookup } from './route-denials.js';

export interface RouteOptions {
  /** The routing moment: blanket approvals expire relative to it. */
  now: Date;
  /** The license engine's category of an SPDX id (`permissive`, `network-copyleft`, ...), null if unknown. */
  licenseCategory: LicenseCategoryLookup;
}

const measureLines = (
  request: ContributionRequest,
  enrichment: ContributionEnrichment,
  explanation: ExplanationEntry[],
): number => {
  const pr = enrichment.pullRequest;
  if (pr === null) return request.estimatedLinesChanged;
  const actual = pr.additions + pr.deletions;
  if (actual > request.estimatedLinesChanged) {
    explanation.push({
      rule: routingRules.pullRequestSize,
      effect: 'note',
      detail: `The pull request changes ${plural(actual, 'line')} (${pr.additions} added, ${pr.deletions} deleted), more than the estimated ${request.estimatedLinesChanged}; ${actual} is used`,
    });
    return actual;
  }
  return request.estimatedLinesChanged;
};

/** Moves up one tier at a time until the size fits, so a huge "bug fix" gets the review its size calls for. */
const tierForSize = (tier: ContributionTier, lines: number, policy: ContributionPolicy, explanation: ExplanationEntry[]): ContributionTier => {
  let current = tier;
  for (;;) {
    const max = policy.tiers[current].maxLinesChanged;
    if (max === null || lines <= max) return current;
    const next = nextTier(current);
    if (next === null) {
      explanation.push({
        rule: routingRules.size,
        effect: 'note',
        detail: `${plural(lines, 'line')} changed exceeds the ${current} limit of ${max}; there is no higher tier`,
      });
      return current;
    }
    explanation.push({
      rule: routingRules.size,
      effect: 'escalate-tier',
      detail: `${plural(lines, 'line')} changed exceeds the ${current} limit of ${max}; routed as ${next}`,
    });
    current = next;
  }
};

const blockersText = (escalations: readonly Escalation[]): string =>
  `needs a person: ${escalations.map((escalation) => escalation.rule).join(', ')}`;

/** Why the automatic approval rule does not hold, or an empty list when it does. */
const autoApproveProblems = (
  request: UpstreamContributionRequest,
  effectiveTier: ContributionTier,
  enrichment: ContributionEnrichment,
  agreements: AgreementAssessment,
  escalations: readonly Escalation[],
  policy: ContributionPolicy,
  licenseCategory: LicenseCategoryLookup,
): string[] => {
  const rule = policy.autoApprove;
  const problems: string[] = [];
  if (effectiveTier !== request.tier) problems.push(`routed as ${effectiveTier} because of its size`);
  const license = enrichment.upstream?.license ?? null;
  const category = license === null ? null : licenseCategory(license);
  if (license === null) problems.push('the upstream license is not known');
  else if (category === null || !rule.licenseCategories.includes(category)) {
    problems.push(`the upstream license ${license} is ${category ?? 'of unknown category'}, not one of ${rule.licenseCategories.join(', ')}`);
  }
  const acceptedAgreement = (agreements.claRequired && agreements.claAccepted) || agreements.dcoAccepted;
  if (rule.requireAgreement && !acceptedAgreement) problems.push('the upstream asks for no CLA or DCO that policy accepts');
  if (escalations.length > 0) problems.push(blockersText(escalations));
  return problems;
};

const stagesFrom = (
  effectiveTier: ContributionTier,
  escalations: readonly Escalation[],
  policy: ContributionPolicy,
  explanation: ExplanationEntry[],
): PlannedStage[] => {
  const tierStages = policy.tiers[effectiveTier].stages;
  const stages: PlannedStage[] = tierStages.map((stage, index) => ({
    index,
    roles: [...stage.roles],
    approvals: stage.approvals,
    dueInWorkingDays: stage.slaWorkingDays,
    rule: routingRules.tierStages,
    reason: stage.name ?? `${effectiveTier} stage ${index + 1} of ${tierStages.length}`,
  }));
  explanation.push({
    rule: routingRules.tierStages,
    effect: 'stages',
    detail: `${effectiveTier}: ${stages.map((stage) => stage.roles.join(' or ')).join(' → ')}`,
  });
  for (const escalation of escalations) {
    // An existing stage covers the escalation when everyone who may sign it
    // would also be allowed to sign the escalation's stage.
    const covering = stages.find(
      (stage) => stage.roles.every((role) => escalation.roles.includes(role)) && stage.approvals >= escalation.approvals,
    );
    if (covering !== undefined) {
      explanation.push({
        rule: escalation.rule,
        effect: 'covered',
        detail: `${escalation.reason} (already covered by stage ${covering.index + 1}: ${covering.roles.join(' or ')})`,
      });
      continue;
    }
    const stage: PlannedStage = {
      index: stages.length,
      roles: [...escalation.roles],
      approvals: escalation.approvals,
      dueInWorkingDays: escalation.slaWorkingDays,
      rule: escalation.rule,
      reason: escalation.reason,
    };
    stages.push(stage);
    explanation.push({
      rule: escalation.rule,
      effect: 'add-stage',
      detail: `${escalation.reason} (stage ${stage.index + 1}: ${stage.roles.join(' or ')})`,
    });
  }
  return stages;
};

/**
 * Routes a contribution request: deny rules first (a "no" that no approval
 * could overturn), then a blanket approval or the automatic approval rule,
 * and otherwise the tier's stages plus one stage per escalation. Pure and
 * deterministic: the same inputs give the same plan, and the plan's
 * explanation lists every rule that fired, in the order it was applied.
 */
export const route = (
  request: ContributionRequest,
  enrichment: ContributionEnrichment,
  history: ContributionHistory,
  policy: ContributionPolicy,
  options: RouteOptions,
): RoutingPlan => {
  const explanation: ExplanationEntry[] = [];
  const linesChanged = measureLines(request, enrichment, explanation);
  const effectiveTier = tierForSize(request.tier, linesChanged, policy, explanation);
  const facts = { effectiveTier, linesChanged, explanation };

  for (const finding of enrichment.findings) {
    explanation.push({ rule: routingRules.enrichmentFinding, effect: 'note', detail: finding });
  }
  if (enrichment.pullRequest?.merged === true) {
    explanation.push({
      rule: routingRules.pullRequestMerged,
      effect: 'note',
      detail: `The pull request was already merged${enrichment.pullRequest.mergedAt === null ? '' : ` at ${enrichment.pullRequest.mergedAt}`}, before this approval`,
    });
  }

  const denials = findDenials(request, enrichment, policy, options.licenseCategory);
  const firstDenial = denials[0];
  if (firstDenial !== undefined) {
    for (const denial of denials) explanation.push({ rule: denial.rule, effect: 'reject', detail: denial.reason });
    return { kind: 'auto-rejected', rule: firstDenial.rule, reason: firstDenial.reason, ...facts };
  }

  const agreements = request.tier === 'new-project' ? null : assessAgreements(request, enrichment.claHints, policy);
  const escalations = findEscalations(request, enrichment, agreements, policy, options.licenseCategory);
  const trustLadder = findTrustLadder(request, history, policy);

  if (request.tier !== 'new-project' && agreements !== null) {
    for (const entry of policy.blanketApprovals) {
      if (!blanketCovers(entry, request.upstream)) continue;
      const rule = `${routingRules.blanketPrefix}${entry.name}`;
      if (blanketExpired(entry, options.now)) {
        explanation.push({ rule, effect: 'ignored', detail: `${describeBlanket(entry)}; it expired` });
        continue;
      }
      if (!(entry.tiers as readonly ContributionTier[]).includes(effectiveTier)) {
        explanation.push({ rule, effect: 'not-applied', detail: `${describeBlanket(entry)}; this request is routed as ${effectiveTier}` });
        continue;
      }
      if (escalations.length > 0) {
        explanation.push({ rule, effect: 'not-applied', detail: `${describeBlanket(entry)}; this request ${blockersText(escalations)}` });
        continue;
      }
      // The OSPO vetted this upstream when it granted the blanket approval,
      // which is what the trust ladder would otherwise ask for.
      explanation.push({ rule, effect: 'approve', detail: `${upstreamUrl(request.upstream)}: ${describeBlanket(entry)}` });
      return { kind: 'auto-approved', rule, ...facts };
    }

    const rule = policy.autoApprove;
    if (rule.enabled && rule.tiers.includes(request.tier)) {
      const blockers = trustLadder === null ? escalations : [trustLadder, ...escalations];
      const problems = autoApproveProblems(request, effectiveTier, enrichment, agreements, blockers, policy, options.licenseCategory);
      if (problems.length === 0) {
        const license = enrichment.upstream?.license ?? 'unknown';
        const agreement = agreements.claRequired
          ? `CLA "${agreements.claName ?? ''}" is pre-approved`
          : agreements.dcoRequired
            ? 'the DCO is accepted'
            : 'no CLA or DCO is asked for';
        explanation.push({
          rule: routingRules.autoApprove,
          effect: 'approve',
          detail: `${request.tier} of ${plural(linesChanged, 'line')} to ${upstreamUrl(request.upstream)} under ${license} (${options.licenseCategory(license) ?? 'unknown'}); ${agreement}`,
        });
        return { kind: 'auto-approved', rule: routingRules.autoApprove, ...facts };
      }
      explanation.push({ rule: routingRules.autoApprove, effect: 'not-applied', detail: problems.join('; ') });
    }
  }

  const stages = stagesFrom(effectiveTier, trustLadder === null ? escalations : [trustLadder, ...escalations], policy, explanation);
  return { kind: 'stages', stages, ...facts };
};
