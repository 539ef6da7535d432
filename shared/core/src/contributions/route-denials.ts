import type { ContributionEnrichment } from './enrichment.js';
import type { ContributionPolicy } from './policy-schema.js';
import { fillReason } from './reason-template.js';
import type { ContributionRequest } from './request-schema.js';
import { routingRules } from './rule-ids.js';
import { upstreamUrl } from './upstream-ref.js';

export interface Denial {
  rule: string;
  reason: string;
}

export type LicenseCategoryLookup = (spdxId: string) => string | null;

/**
 * Every deny rule that holds, in policy order. A missing upstream is checked
 * alone: with no repository there are no facts to judge the other rules on.
 */
export const findDenials = (
  request: ContributionRequest,
  enrichment: ContributionEnrichment,
  policy: ContributionPolicy,
  licenseCategory: LicenseCategoryLookup,
): Denial[] => {
  const { deny } = policy;
  if (request.tier === 'new-project') {
    const license = request.project.outboundLicense;
    if (deny.outboundLicense.enabled && !deny.outboundLicense.allowed.some((id) => id.toLowerCase() === license.toLowerCase())) {
      return [
        {
          rule: routingRules.denyOutboundLicense,
          reason: fillReason(deny.outboundLicense.reason, { license, allowed: deny.outboundLicense.allowed.join(', ') }),
        },
      ];
    }
    return [];
  }
  const upstream = enrichment.upstream;
  if (upstream === null) return [];
  const values = { upstream: upstreamUrl(request.upstream), license: upstream.license ?? 'none' };
  if (!upstream.exists) {
    return deny.notFound.enabled ? [{ rule: routingRules.denyNotFound, reason: fillReason(deny.notFound.reason, values) }] : [];
  }
  const denials: Denial[] = [];
  if (upstream.archived && deny.archived.enabled) {
    denials.push({ rule: routingRules.denyArchived, reason: fillReason(deny.archived.reason, values) });
  }
  if (upstream.licenseStatus === 'none' && deny.noLicense.enabled) {
    denials.push({ rule: routingRules.denyNoLicense, reason: fillReason(deny.noLicense.reason, values) });
  }
  if (upstream.license !== null && deny.licenses.enabled) {
    const id = upstream.license.toLowerCase();
    const category = licenseCategory(upstream.license);
    const byId = deny.licenses.ids.some((denied) => denied.toLowerCase() === id);
    const byCategory = category !== null && deny.licenses.categories.includes(category);
    if (byId || byCategory) {
      denials.push({
        rule: routingRules.denyLicense,
        reason: fillReason(deny.licenses.reason, { ...values, category: category ?? 'unknown' }),
      });
    }
  }
  return denials;
};
