import type { SbomVerdict, Verdict } from './finding.js';

const rank: Record<Verdict, number> = { allow: 0, review: 1, deny: 2 };

/** allow < review < deny: AND takes the worst, OR the best. */
export const isWorse = (a: Verdict, b: Verdict): boolean => rank[a] > rank[b];
export const worst = (a: Verdict, b: Verdict): Verdict => (isWorse(a, b) ? a : b);

export const sbomVerdictOf = (counts: { review: number; deny: number }): SbomVerdict =>
  counts.deny > 0 ? 'fail' : counts.review > 0 ? 'review' : 'pass';

const sbomRank: Record<SbomVerdict, number> = { pass: 0, review: 1, fail: 2 };
const asSbomVerdict: Record<Verdict, SbomVerdict> = { allow: 'pass', review: 'review', deny: 'fail' };

/** The SBOM verdict once a document-level finding with `verdict` is counted. */
export const worstSbomVerdict = (sbom: SbomVerdict, verdict: Verdict): SbomVerdict =>
  sbomRank[asSbomVerdict[verdict]] > sbomRank[sbom] ? asSbomVerdict[verdict] : sbom;
