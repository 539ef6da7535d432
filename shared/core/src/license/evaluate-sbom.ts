import type { SbomComponent } from '../sbom/component.js';
import type { ComponentFinding, DocumentFinding, SbomEvaluation, VerdictCounts } from './finding.js';
import { licenseContextOf } from './license-combination.js';
import { licenseRefNames } from './resolve-license-refs.js';
import { licenseEngineFor } from './license-engine.js';
import type { LicensePolicy } from './policy-schema.js';
import { sbomVerdictOf, worstSbomVerdict } from './verdict.js';
import { type Waiver, decideWaiver, prepareWaivers } from './waiver.js';

export interface EvaluateSbomOptions {
  waivers: readonly Waiver[];
  /** Waiver expiry is judged against this time, so a past evaluation can be reproduced. */
  now: Date;
  policyVersion: string;
  /** SPDX extracted licensing info of the document (ParsedSbom.extractedLicenses). */
  extractedLicenses?: readonly { id: string; name: string | null }[];
  onProgress?: (done: number, total: number) => void;
}

const progressEvery = 1000;

/**
 * Every component's finding and the SBOM's verdict: `fail` if any component is
 * denied, else `review` if any needs review, else `pass`; a document with no
 * components gets a document finding with the policy's `outcomes.noComponents`. Distinct license
 * data is evaluated once (the engine memoizes), so the cost is linear in the
 * number of components plus the number of distinct expressions.
 */
export const evaluateSbom = (
  components: readonly SbomComponent[],
  policy: LicensePolicy,
  options: EvaluateSbomOptions,
): SbomEvaluation => {
  const engine = licenseEngineFor(policy);
  const normalizeExpression = (text: string): string | null => {
    const result = engine.normalize('expression', text.trim());
    return result.ok ? result.expression : null;
  };
  const waivers = prepareWaivers(options.waivers, normalizeExpression);
  const refNames = licenseRefNames(options.extractedLicenses);
  const counts: VerdictCounts = { total: components.length, allow: 0, review: 0, deny: 0 };
  const findings: ComponentFinding[] = [];
  const total = components.length;
  for (let index = 0; index < total; index += 1) {
    const component = components[index];
    if (component === undefined) continue;
    const license = engine.evaluateLicenseData(component.license, licenseContextOf(component.purl, refNames));
    const decision = decideWaiver({ purl: component.purl, expression: license.expression }, waivers, options.now, license.rule);
    // Evaluations are memoized and shared: each finding gets its own arrays.
    const notes = [...license.notes];
    let verdict = license.verdict;
    let decidedBy: ComponentFinding['decidedBy'] = { kind: 'rule', rule: license.rule };
    if (decision.kind !== 'none') {
      notes.push(decision.note);
      decidedBy = decision.decidedBy;
      if (decision.kind === 'waived') verdict = decision.verdict;
    }
    counts[verdict] += 1;
    findings.push({
      ref: component.ref,
      name: component.name,
      version: component.version,
      purl: component.purl,
      raw: component.license,
      outcome: license.outcome,
      expression: license.expression,
      mappings: license.mappings.map((mapping) => ({ ...mapping })),
      verdict,
      decidedBy,
      chosenBranch: license.chosenBranch,
      // Shared with every finding of the same license data (frozen by the engine): 100k findings, one object.
      combination: license.combination,
      notes,
    });
    if (options.onProgress !== undefined && ((index + 1) % progressEvery === 0 || index + 1 === total)) {
      options.onProgress(index + 1, total);
    }
  }
  if (total === 0) options.onProgress?.(0, 0);
  const documentFindings: DocumentFinding[] = [];
  if (total === 0) {
    // Nothing was checked, so nothing can be said to pass: the policy decides (review by default).
    documentFindings.push({
      kind: 'no-components',
      verdict: policy.outcomes.noComponents,
      decidedBy: { kind: 'rule', rule: { kind: 'outcome', outcome: 'noComponents' } },
      message: 'The document lists no components, so no license was checked.',
    });
  }
  const verdict = documentFindings.reduce((sbom, finding) => worstSbomVerdict(sbom, finding.verdict), sbomVerdictOf(counts));
  return { verdict, counts, findings, documentFindings, policyVersion: options.policyVersion };
};
