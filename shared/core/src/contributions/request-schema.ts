import { createRequire } from 'node:module';
import { z } from 'zod';
import { parsePullRequestUrl, parseUpstreamUrl, isValidRepoName, sameUpstream, upstreamUrl } from './upstream-ref.js';
import type { PullRequestRef, UpstreamRef } from './upstream-ref.js';
import { contributionTiers, upstreamTiers } from './tier.js';

// spdx-license-ids is a JSON array published as CommonJS; loading it this way
// keeps the schema free of a dependency on the license engine.
const spdxIds = createRequire(import.meta.url)('spdx-license-ids') as string[];
const spdxIdByLowerCase = new Map(spdxIds.map((id) => [id.toLowerCase(), id]));

export const TITLE_MAX = 200;
export const JUSTIFICATION_MAX = 10_000;
export const TEXT_FIELD_MAX = 2_000;
export const LINKS_MAX = 20;
export const LINES_MAX = 100_000_000;

/** A required, trimmed, bounded text field whose messages name the field. */
const requiredText = (label: string, max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${label} is required` : `${label} must be text`) })
    .trim()
    .min(1, `${label} must not be empty`)
    .max(max, `${label} must be at most ${max} characters`);

const upstreamField = z
  .string({ error: (issue) => (issue.input === undefined ? 'Upstream is required' : 'Upstream must be a URL') })
  .transform((input, ctx): UpstreamRef => {
    const parsed = parseUpstreamUrl(input);
    if (!parsed.ok) {
      ctx.issues.push({ code: 'custom', message: parsed.message, input });
      return z.NEVER;
    }
    return parsed.value;
  });

export type ContributionLink =
  | { kind: 'pull-request'; url: string; pullRequest: PullRequestRef }
  | { kind: 'patch'; url: string };

const linkField = z
  .string({ error: 'Each link must be a URL' })
  .trim()
  .max(2_000, 'A link must be at most 2000 characters')
  .transform((input, ctx): ContributionLink => {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      ctx.issues.push({ code: 'custom', message: 'A link must be a full http(s) URL', input });
      return z.NEVER;
    }
    // Links are shown as anchors in the review UI: only web URLs may go there.
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.issues.push({ code: 'custom', message: 'A link must start with https:// or http://', input });
      return z.NEVER;
    }
    const pullRequest = parsePullRequestUrl(input);
    return pullRequest === null ? { kind: 'patch', url: input } : { kind: 'pull-request', url: input, pullRequest };
  });

const linesField = z
  .number({ error: (issue) => (issue.input === undefined ? 'Estimated lines changed is required' : 'Estimated lines changed must be a number') })
  .int('Estimated lines changed must be a whole number')
  .min(0, 'Estimated lines changed cannot be negative')
  .max(LINES_MAX, `Estimated lines changed must be at most ${LINES_MAX}`);

const flag = (label: string) => z.boolean({ error: `${label} must be true or false` }).default(false);

export const contributionFlagsSchema = z.strictObject({
  touchesCoreIp: flag('Touches core IP'),
  patentRelevant: flag('Patent-relevant'),
  securityFix: flag('Security fix'),
  claRequired: flag('CLA required'),
  dcoRequired: flag('DCO required'),
});
export type ContributionFlags = z.output<typeof contributionFlagsSchema>;

const defaultFlags: ContributionFlags = {
  touchesCoreIp: false,
  patentRelevant: false,
  securityFix: false,
  claRequired: false,
  dcoRequired: false,
};

const commonFields = {
  title: requiredText('Title', TITLE_MAX),
  justification: requiredText('Justification', JUSTIFICATION_MAX),
  links: z.array(linkField, { error: 'Links must be a list of URLs' }).max(LINKS_MAX, `At most ${LINKS_MAX} links`).default([]),
  estimatedLinesChanged: linesField,
  flags: contributionFlagsSchema.default(defaultFlags),
};

const claNameField = z
  .string({ error: 'CLA name must be text' })
  .trim()
  .min(1, 'CLA name must not be empty')
  .max(100, 'CLA name must be at most 100 characters')
  .optional();

/** Every upstream tier asks for the same fields: one schema whose discriminator is any of them. */
const upstreamRequestSchema = z
  .strictObject({
    tier: z.enum(upstreamTiers),
    upstream: upstreamField,
    /** The agreement the upstream asks for, when the requester knows it (e.g. `google-cla`). */
    claName: claNameField,
    ...commonFields,
  })
  .superRefine((request, ctx) => {
    // A pull request is opened on the upstream itself; a link to another
    // repository means the request names the wrong target.
    request.links.forEach((link, index) => {
      if (link.kind === 'pull-request' && !sameUpstream(link.pullRequest, request.upstream)) {
        ctx.addIssue({
          code: 'custom',
          path: ['links', index],
          message: `This pull request is on ${upstreamUrl(link.pullRequest)}, not on the target upstream ${upstreamUrl(request.upstream)}`,
        });
      }
    });
  });

const spdxIdField = z
  .string({ error: (issue) => (issue.input === undefined ? 'Outbound license is required' : 'Outbound license must be text') })
  .trim()
  .transform((input, ctx) => {
    const id = spdxIdByLowerCase.get(input.toLowerCase());
    if (id === undefined) {
      ctx.issues.push({
        code: 'custom',
        message: `"${input}" is not an SPDX license id (for example Apache-2.0, MIT, BSD-3-Clause)`,
        input,
      });
      return z.NEVER;
    }
    return id;
  });

const projectNameField = requiredText('Project name', 100).refine(isValidRepoName, {
  message: 'Project name must be a valid repository name: letters, digits, ".", "-" and "_"',
});

export const newProjectSchema = z.strictObject({
  name: projectNameField,
  outboundLicense: spdxIdField,
  owningTeam: requiredText('Owning team', 200),
  maintenanceCommitment: requiredText('Maintenance commitment', TEXT_FIELD_MAX),
});

const newProjectRequestSchema = z.strictObject({
  tier: z.literal('new-project'),
  project: newProjectSchema,
  ...commonFields,
});

/**
 * What an engineer submits (API body, CLI flags or YAML, web form). Unknown
 * fields are refused so a typo never silently drops information; every
 * message names its field because the web form shows it next to that field.
 * Parsing normalizes: the upstream becomes `{ host, owner, repo }`, links
 * become pull-request references or patch links, flags default to false.
 */
export const contributionRequestInputSchema = z.discriminatedUnion(
  'tier',
  [upstreamRequestSchema, newProjectRequestSchema],
  { error: () => `Tier must be one of: ${contributionTiers.join(', ')}` },
);

/** What a client sends. */
export type ContributionRequestInput = z.input<typeof contributionRequestInputSchema>;
/** The normalized request that routing and storage work with. */
export type ContributionRequest = z.output<typeof contributionRequestInputSchema>;
export type UpstreamContributionRequest = Exclude<ContributionRequest, { tier: 'new-project' }>;
export type NewProjectRequest = Extract<ContributionRequest, { tier: 'new-project' }>;

/** The pull request that enrichment reads and drift detection re-reads: the first one linked. */
export const primaryPullRequest = (request: ContributionRequest): PullRequestRef | null => {
  for (const link of request.links) if (link.kind === 'pull-request') return link.pullRequest;
  return null;
};
