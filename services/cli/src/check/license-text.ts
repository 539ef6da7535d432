import { type ComponentFinding, type ComponentLicenseData, type DecidedBy, type IdMapping, rulePath, ruleText } from '@clearance/core';

/** The license data as the SBOM wrote it, one line: `MIT; "Apache License 2.0" (declared)`. */
export const writtenLicense = (raw: ComponentLicenseData): string => {
  if (raw.choices.length === 0) return '(none)';
  return raw.choices
    .map((choice) => {
      const text = choice.kind === 'id' ? choice.id : choice.kind === 'name' ? `"${choice.name}"` : choice.expression;
      return choice.acknowledgement ? `${text} (${choice.acknowledgement})` : text;
    })
    .join('; ');
};

/** What was evaluated: the normalized expression, or the outcome when there was none. */
export const evaluatedAs = (finding: ComponentFinding): string => {
  if (finding.expression !== null) return finding.expression;
  switch (finding.outcome) {
    case 'missing':
      return 'no license';
    case 'noassertion':
      return 'NOASSERTION';
    case 'none':
      return 'NONE';
    case 'unparsable':
      return 'unparsable';
    case 'too-large':
      return 'expression too large';
    default:
      return finding.outcome;
  }
};

/** Only the mappings a reviewer has to look at; exact matches need no explanation. */
export const mappingText = (mappings: readonly IdMapping[]): string => {
  const notable = mappings.filter((mapping) => mapping.method !== 'exact');
  if (notable.length === 0) return mappings.length > 0 ? 'exact' : '';
  return notable.map((mapping) => `${mapping.from} → ${mapping.to} (${mapping.method})`).join('; ');
};

export const decidedByText = (decidedBy: DecidedBy): string => {
  switch (decidedBy.kind) {
    case 'rule':
      return ruleText(decidedBy.rule);
    case 'waiver':
      return `waiver ${decidedBy.waiverId}`;
    case 'expired-waiver-ignored':
      return `${ruleText(decidedBy.rule)} (waiver ${decidedBy.waiverId} expired)`;
  }
};

/** The policy path of the deciding rule, without the license it was applied to: `categories.strong-copyleft`. */
export const decidingRulePath = (decidedBy: DecidedBy): string =>
  decidedBy.kind === 'waiver' ? 'waiver' : rulePath(decidedBy.rule);

export const componentLabel = (finding: Pick<ComponentFinding, 'name' | 'version'>): string =>
  finding.version ? `${finding.name}@${finding.version}` : finding.name;

const verdictRank = { deny: 0, review: 1, allow: 2 } as const;

/** Worst first, SBOM order within a verdict. */
export const byVerdict = (findings: readonly ComponentFinding[]): ComponentFinding[] =>
  findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => verdictRank[a.finding.verdict] - verdictRank[b.finding.verdict] || a.index - b.index)
    .map(({ finding }) => finding);
