import { z } from 'zod';
import { normalizeExpressionText } from './normalize-expression.js';
import { currentExceptionIds, currentLicenseByLower, currentLicenseIds, deprecatedLicenseIdSet, nameKey } from './spdx-data.js';
import { deprecatedIdReplacements } from './deprecated-ids.js';

export const verdictSchema = z.enum(['allow', 'review', 'deny']);

/** Every policy names at least these; it may add its own (kebab-case). */
export const requiredLicenseCategories = [
  'permissive',
  'public-domain',
  'weak-copyleft',
  'strong-copyleft',
  'network-copyleft',
  'non-commercial',
  'proprietary',
  'unknown',
] as const;

const reasonSchema = z.string().trim().min(1);

const categorySchema = z.strictObject({
  description: reasonSchema,
  verdict: verdictSchema,
  /** Current SPDX ids, or LicenseRef-… the policy wants to name. */
  licenses: z.array(z.string()),
});

const licenseRuleSchema = z.strictObject({ verdict: verdictSchema, reason: reasonSchema });

const exceptionRuleSchema = z.strictObject({
  licenses: z.array(z.string()).min(1),
  exception: z.string(),
  verdict: verdictSchema,
  reason: reasonSchema,
});

const outcomeVerdictsSchema = z.strictObject({
  /** The component states no license at all (or only empty strings). */
  missing: verdictSchema,
  /** `NOASSERTION`: the SBOM's author did not say. */
  noassertion: verdictSchema,
  /** `NONE`: the SBOM's author says there is no license. */
  none: verdictSchema,
  /** An expression that cannot be read. */
  unparsable: verdictSchema,
  /** An expression over the size limits (hostile or broken input). */
  tooLarge: verdictSchema,
  /** A document that lists no components at all: nothing was checked, so it cannot pass by itself. */
  noComponents: verdictSchema.default('review'),
});

/**
 * How several license entries of one component (or the parts of a written
 * list, "MIT, Apache-2.0") are joined when the SBOM does not say: `all` (AND:
 * every license applies, the cautious reading) or `any` (OR: the licensee
 * picks). Concluded-over-declared and Maven's choice semantics come first.
 */
export const multipleLicensesSchema = z.enum(['all', 'any']);

const waiverLimitsSchema = z.strictObject({
  maxDays: z.int().min(1).max(3650),
  allowedVerdicts: z.array(verdictSchema).min(1),
});

const licenseRefPattern = /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/;

/** Why `id` cannot appear in a policy, or null when it is a current SPDX id or a LicenseRef. */
export const policyLicenseIdProblem = (id: string): string | null => {
  if (currentLicenseIds.has(id) || licenseRefPattern.test(id)) return null;
  if (deprecatedLicenseIdSet.has(id)) {
    const replacement = deprecatedIdReplacements[id];
    return `${id} is a deprecated SPDX id${replacement === undefined ? '' : `: use ${replacement}`}`;
  }
  const cased = currentLicenseByLower.get(id.toLowerCase());
  if (cased !== undefined) return `${id} is spelled ${cased} in SPDX`;
  return `${id} is not an SPDX license id (a license of your own must be named LicenseRef-…)`;
};

const baseSchema = z.strictObject({
  schemaVersion: z.literal(1),
  description: z.string().optional(),
  outcomes: outcomeVerdictsSchema,
  categories: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'category names are kebab-case'), categorySchema),
  /** Per-id verdicts; they override the id's category. */
  licenses: z.record(z.string(), licenseRuleSchema).default({}),
  /** `license WITH exception` pairs judged together. */
  exceptions: z.array(exceptionRuleSchema).default([]),
  /** Curated names as SBOMs write them → a current SPDX expression. */
  aliases: z.record(z.string().trim().min(1), z.string()).default({}),
  multipleLicenses: multipleLicensesSchema.default('all'),
  waivers: waiverLimitsSchema,
});

type BasePolicy = z.output<typeof baseSchema>;

/** Cross-field checks, each reported at the path of the value that is wrong. */
const checkPolicy = (policy: BasePolicy, ctx: z.RefinementCtx): void => {
  const problem = (path: (string | number)[], message: string): void => {
    ctx.addIssue({ code: 'custom', path, message });
  };
  for (const name of requiredLicenseCategories) {
    if (!(name in policy.categories)) problem(['categories'], `missing category "${name}"`);
  }
  const categoryOf = new Map<string, string>();
  for (const [name, category] of Object.entries(policy.categories)) {
    category.licenses.forEach((id, index) => {
      const path = ['categories', name, 'licenses', index];
      const idProblem = policyLicenseIdProblem(id);
      if (idProblem !== null) problem(path, idProblem);
      const earlier = categoryOf.get(id);
      if (earlier !== undefined) problem(path, `${id} is already in category "${earlier}"`);
      else categoryOf.set(id, name);
    });
  }
  for (const id of Object.keys(policy.licenses)) {
    const idProblem = policyLicenseIdProblem(id);
    if (idProblem !== null) problem(['licenses', id], idProblem);
  }
  const pairs = new Set<string>();
  policy.exceptions.forEach((rule, index) => {
    if (!currentExceptionIds.has(rule.exception)) {
      problem(['exceptions', index, 'exception'], `${rule.exception} is not a current SPDX exception id`);
    }
    rule.licenses.forEach((id, licenseIndex) => {
      const path = ['exceptions', index, 'licenses', licenseIndex];
      const idProblem = policyLicenseIdProblem(id);
      if (idProblem !== null) problem(path, idProblem);
      const pair = `${id} WITH ${rule.exception}`;
      if (pairs.has(pair)) problem(path, `${pair} has two rules`);
      pairs.add(pair);
    });
  });
  const aliasKeys = new Map<string, string>();
  for (const [name, target] of Object.entries(policy.aliases)) {
    const key = nameKey(name);
    const earlier = aliasKeys.get(key);
    if (earlier !== undefined) problem(['aliases', name], `same alias as "${earlier}" (aliases ignore case and spacing)`);
    aliasKeys.set(key, name);
    if (currentLicenseByLower.has(key)) problem(['aliases', name], `"${name}" is an SPDX id already; an alias would never be used`);
    // Alias targets are read without aliases, so one alias cannot hide behind another.
    const normalized = normalizeExpressionText(target, null, 'expression');
    if (!normalized.ok) {
      problem(['aliases', name], `not an SPDX expression: ${normalized.message}`);
    } else if (normalized.hasUnknown || normalized.mappings.some((m) => m.method !== 'exact')) {
      problem(['aliases', name], `write the target with current SPDX ids exactly (as ${normalized.expression})`);
    } else {
      const badRef = normalized.mappings.find((m) => policyLicenseIdProblem(m.to) !== null && !currentExceptionIds.has(m.to));
      if (badRef !== undefined) problem(['aliases', name], policyLicenseIdProblem(badRef.to) ?? '');
    }
  }
};

/**
 * The license policy (`policies/licenses.yaml`): categories of SPDX ids with a
 * verdict each, per-id overrides, `WITH` pair rules, verdicts for license data
 * that is missing or unreadable, curated aliases and waiver limits.
 */
export const licensePolicySchema = baseSchema.superRefine(checkPolicy);

export type LicensePolicy = z.output<typeof licensePolicySchema>;
export type LicensePolicyInput = z.input<typeof licensePolicySchema>;
