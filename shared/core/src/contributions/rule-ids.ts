/**
 * The stable names routing records in a plan's explanation and `rule`
 * fields. Stored plans and audit events carry them, so they never change;
 * blanket approvals and license-category escalations add their own policy
 * names after a colon (`blanket:kubernetes-fixes`).
 */
export const routingRules = {
  size: 'tier-threshold',
  pullRequestSize: 'pull-request-size',
  enrichmentFinding: 'enrichment-finding',
  pullRequestMerged: 'pull-request-merged',
  denyNotFound: 'deny.not-found',
  denyArchived: 'deny.archived',
  denyNoLicense: 'deny.no-license',
  denyLicense: 'deny.license',
  denyOutboundLicense: 'deny.outbound-license',
  blanketPrefix: 'blanket:',
  autoApprove: 'auto-approve',
  tierStages: 'tier-stages',
  trustLadder: 'trust-ladder',
  missingEnrichment: 'missing-enrichment',
  unrecognizedLicense: 'unrecognized-license',
  licenseCategoryPrefix: 'license-category:',
  unapprovedCla: 'unapproved-cla',
  coreIp: 'core-ip',
  patentRelevant: 'patent-relevant',
  securityFix: 'security-fix',
} as const;
