import { z } from 'zod';

/*
 * Tolerant readers of the payload fields the report needs. The report must
 * keep working over years of events whose payloads gained fields or were
 * written by older versions, so it reads only what it uses (z.object drops
 * the rest) and a payload that does not fit yields null, never a crash.
 */

const text = z.string().min(1);
const count = z.number().int().nonnegative();

const upstreamSchema = z.union([
  text,
  z.object({ host: z.string().optional(), owner: text, repo: text }),
]);

const submittedSchema = z.object({
  tier: text.optional(),
  // `host/owner/repo`, or null for a new project.
  upstream: upstreamSchema.nullable().optional(),
  target: upstreamSchema.nullable().optional(),
  // A new project has no upstream: its proposed name stands in.
  name: text.optional(),
  projectName: text.optional(),
});

const stageSchema = z.object({
  index: count.optional(),
  name: text.optional(),
  role: text.optional(),
  roles: z.array(text).optional(),
  approvals: z.number().int().positive().optional(),
  dueAt: text.optional(),
  dueInWorkingDays: count.optional(),
});

const planSchema = z.object({
  kind: text.optional(),
  rule: z.string().optional(),
  reason: z.string().optional(),
  effectiveTier: text.optional(),
  stages: z.array(stageSchema).optional(),
});

const routedSchema = planSchema.extend({ plan: planSchema.optional() });

const decidedSchema = z.object({
  decision: z.enum(['approve', 'reject', 'request-changes']),
  reason: z.string().nullable().optional(),
  stage: z.union([count, text]).optional(),
  // What the decision did to the request, when the writer says so (more reliable than recounting approvals).
  outcome: z.enum(['approval-recorded', 'stage-approved', 'approved', 'rejected', 'changes-requested']).optional(),
});

const autoDecisionSchema = z.object({ reason: z.string().optional(), rule: z.string().optional() });

// Per category either a component count, or counts by verdict (with an optional `total`).
const categoryCountsSchema = z.union([count, z.record(z.string(), count)]);

const sbomEvaluatedSchema = z.object({
  verdict: z.enum(['pass', 'review', 'fail']),
  counts: z.record(z.string(), count).optional(),
  categories: z
    .union([
      z.record(z.string(), categoryCountsSchema),
      z.array(z.object({ category: text, count: count.optional(), verdict: text.optional() })),
    ])
    .optional(),
});

const waiverSchema = z.object({
  waiverId: text,
  grantedBy: z.string().optional(),
  expiresAt: z.string().nullable().optional(),
  justification: z.string().optional(),
  purl: z.string().optional(),
  scope: z.object({ purl: z.string().optional() }).optional(),
});

const policyActivatedSchema = z.object({ version: text, previousVersion: z.string().nullable().optional() });

const read =
  <T>(schema: z.ZodType<T>) =>
  (payload: unknown): T | null => {
    const result = schema.safeParse(payload);
    return result.success ? result.data : null;
  };

export interface SubmittedFacts {
  tier: string | null;
  upstream: string | null;
}

export const readSubmitted = (payload: unknown): SubmittedFacts | null => {
  const data = read(submittedSchema)(payload);
  if (data === null) return null;
  const upstream = data.upstream ?? data.target ?? null;
  const label = upstream === null ? (data.projectName ?? data.name ?? (data.tier === 'new-project' ? '(new project)' : null)) : upstreamLabel(upstream);
  return { tier: data.tier ?? null, upstream: label };
};

const upstreamLabel = (upstream: z.infer<typeof upstreamSchema>): string => {
  if (typeof upstream === 'string') return upstream;
  const host = upstream.host === undefined || upstream.host === 'github.com' ? '' : `${upstream.host}/`;
  return `${host}${upstream.owner}/${upstream.repo}`;
};

export interface StageFacts {
  label: string;
  approvals: number;
  dueAt: string | null;
  dueInWorkingDays: number | null;
}

export interface RoutedFacts {
  kind: string | null;
  /** For an automatic rejection: the reason, else the rule's name. */
  reason: string | null;
  effectiveTier: string | null;
  stages: StageFacts[] | null;
}

export const readRouted = (payload: unknown): RoutedFacts | null => {
  const data = read(routedSchema)(payload);
  if (data === null) return null;
  const plan = data.plan ?? data;
  const stages = plan.stages?.map((stage, position) => ({
    label: stage.name ?? stage.roles?.join(' + ') ?? stage.role ?? `stage ${(stage.index ?? position) + 1}`,
    approvals: stage.approvals ?? 1,
    dueAt: stage.dueAt ?? null,
    dueInWorkingDays: stage.dueInWorkingDays ?? null,
  }));
  return { kind: plan.kind ?? null, reason: plan.reason ?? plan.rule ?? null, effectiveTier: plan.effectiveTier ?? null, stages: stages ?? null };
};

export type DecidedFacts = z.infer<typeof decidedSchema>;
export const readDecided = read(decidedSchema);

export type AutoDecisionFacts = z.infer<typeof autoDecisionSchema>;
export const readAutoDecision = read(autoDecisionSchema);

export interface SbomFacts {
  verdict: 'pass' | 'review' | 'fail';
  /** Components by verdict (allow, review, deny, ...), without the total. */
  counts: Record<string, number>;
  /** Components per license category, and per verdict within it when the payload says. */
  categories: { category: string; total: number; verdicts: Record<string, number> }[];
}

const withoutTotal = (counts: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).filter(([key]) => key !== 'total'));

const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

export const readSbomEvaluated = (payload: unknown): SbomFacts | null => {
  const data = read(sbomEvaluatedSchema)(payload);
  if (data === null) return null;
  const categories: SbomFacts['categories'] = [];
  if (Array.isArray(data.categories)) {
    for (const entry of data.categories) {
      const n = entry.count ?? 1;
      categories.push({ category: entry.category, total: n, verdicts: entry.verdict === undefined ? {} : { [entry.verdict]: n } });
    }
  } else if (data.categories !== undefined) {
    for (const [category, value] of Object.entries(data.categories)) {
      if (typeof value === 'number') {
        categories.push({ category, total: value, verdicts: {} });
      } else {
        const verdicts = withoutTotal(value);
        categories.push({ category, total: value.total ?? sum(verdicts), verdicts });
      }
    }
  }
  return { verdict: data.verdict, counts: withoutTotal(data.counts ?? {}), categories };
};

export interface WaiverFacts {
  waiverId: string;
  grantedBy: string | null;
  expiresAt: string | null;
  purl: string | null;
}

export const readWaiver = (payload: unknown): WaiverFacts | null => {
  const data = read(waiverSchema)(payload);
  if (data === null) return null;
  return { waiverId: data.waiverId, grantedBy: data.grantedBy ?? null, expiresAt: data.expiresAt ?? null, purl: data.purl ?? data.scope?.purl ?? null };
};

export interface PolicyActivatedFacts {
  version: string;
  previousVersion: string | null;
}

export const readPolicyActivated = (payload: unknown): PolicyActivatedFacts | null => {
  const data = read(policyActivatedSchema)(payload);
  return data === null ? null : { version: data.version, previousVersion: data.previousVersion ?? null };
};
