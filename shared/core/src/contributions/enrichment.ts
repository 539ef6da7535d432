import { z } from 'zod';

/**
 * How the upstream's license was found: an SPDX id GitHub recognized, a
 * license file GitHub could not identify (`NOASSERTION`), or no license file.
 * The difference matters: "no license" means all rights reserved, while an
 * unrecognized file may be a perfectly usable custom license.
 */
export const upstreamLicenseStatuses = ['detected', 'unrecognized', 'none'] as const;

export const upstreamInfoSchema = z.strictObject({
  exists: z.boolean(),
  archived: z.boolean(),
  /** SPDX id, or null when none was detected (see licenseStatus). */
  license: z.string().nullable(),
  licenseStatus: z.enum(upstreamLicenseStatuses),
  /** Plain-language remark about the license data, e.g. why it is null. */
  licenseNote: z.string().nullable(),
  defaultBranch: z.string().nullable(),
  visibility: z.enum(['public', 'private', 'internal']).nullable(),
});
export type UpstreamInfo = z.infer<typeof upstreamInfoSchema>;

export const pullRequestInfoSchema = z.strictObject({
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  changedFiles: z.number().int().nonnegative(),
  merged: z.boolean(),
  state: z.enum(['open', 'closed']),
  mergedAt: z.string().nullable(),
});
export type PullRequestInfo = z.infer<typeof pullRequestInfoSchema>;

/** What the upstream's contributing docs and bot configuration say about agreements. */
export const claHintsSchema = z.strictObject({
  cla: z.boolean(),
  dco: z.boolean(),
  /** A known agreement, by the ids used in the policy's `cla.preApproved` list. */
  claName: z.string().nullable(),
  /** Where each hint came from (file paths), for the reviewer. */
  sources: z.array(z.string()),
});
export type ClaHints = z.infer<typeof claHintsSchema>;

/**
 * What GitHub said about a request's target. A null part was not read (no
 * upstream for a new project, no linked pull request, or the read failed for
 * good); routing then asks a person instead of assuming the best.
 */
export const contributionEnrichmentSchema = z.strictObject({
  upstream: upstreamInfoSchema.nullable(),
  pullRequest: pullRequestInfoSchema.nullable(),
  claHints: claHintsSchema.nullable(),
  /** Plain-language facts the enricher noticed, e.g. "the linked pull request was not found". */
  findings: z.array(z.string()).default([]),
});
export type ContributionEnrichment = z.infer<typeof contributionEnrichmentSchema>;

/**
 * What Clearance already knows from past requests. Counts exclude the
 * request being routed; the service computes them in the routing transaction.
 */
export const contributionHistorySchema = z.strictObject({
  /** Approved (or auto-approved) earlier contributions to this upstream, by anyone. */
  upstreamApprovedContributions: z.number().int().nonnegative(),
  /** Approved (or auto-approved) earlier contributions to this upstream by this requester. */
  requesterUpstreamApprovedContributions: z.number().int().nonnegative(),
  /** This requester's past outcomes, shown to reviewers next to the plan. */
  requesterDecisions: z.strictObject({
    approved: z.number().int().nonnegative(),
    rejected: z.number().int().nonnegative(),
    changesRequested: z.number().int().nonnegative(),
    withdrawn: z.number().int().nonnegative(),
  }),
});
export type ContributionHistory = z.infer<typeof contributionHistorySchema>;

export const emptyHistory: ContributionHistory = {
  upstreamApprovedContributions: 0,
  requesterUpstreamApprovedContributions: 0,
  requesterDecisions: { approved: 0, rejected: 0, changesRequested: 0, withdrawn: 0 },
};
