import type { SbomVerdict, Verdict } from './finding.js';

const rank: Record<Verdict, number> = { allow: 0, review: 1, deny: 2 };

/** allow < review < deny: AND takes the worst, OR the best. */
export const isWorse = (a: Verdict, b: Verdict): boolean => rank[a] > rank[b];
export const worst = (a: Verdict, b: Verdict): Verdict => (isWorse(a, b) ? a : b);

export const sbomVerdictOf = (counts: { review: number; deny: number }): SbomVerdict =>
  counts.deny > 0 ? 'fail' : counts.review > 0 ? 'review' : 'pass';
