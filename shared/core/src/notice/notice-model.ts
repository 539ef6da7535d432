/**
 * An attribution document, before it is rendered: everything in it comes from
 * the SBOM, the evaluation and the license list, in a fixed order, so one SBOM
 * with one list version always renders to the same bytes.
 */
export interface NoticeDocument {
  licenseList: { package: string; version: string };
  sbom: { format: string; documentId: string | null };
  /** Sorted by name, version, purl, ref. */
  components: NoticeComponent[];
  /** Every license and exception text used, once each, sorted by label. */
  texts: NoticeText[];
  /** Why some components' texts could not be produced; only reasons that occur, in a fixed order. */
  unavailable: NoticeGap[];
}

export interface NoticeComponent {
  name: string;
  version: string | null;
  purl: string | null;
  /** The expression the evaluator concluded, or what the SBOM said instead (NOASSERTION, no license, …). */
  license: string;
  copyright: string | null;
  /** Labels of the texts in `texts` this component's license uses. */
  texts: string[];
}

export interface NoticeText {
  /** The id as expressions use it; a suffix tells apart different texts an SBOM gives under one name. */
  label: string;
  kind: 'license' | 'exception';
  /** The license list's name for it, or the id when the text comes from the SBOM. */
  title: string;
  source: 'license-list' | 'sbom';
  url: string | null;
  text: string;
}

export const gapReasons = [
  'no-license',
  'none',
  'noassertion',
  'unreadable',
  'unknown-license',
  'license-ref-without-text',
  'not-in-license-list',
  'exception-text-unavailable',
] as const;
export type GapReason = (typeof gapReasons)[number];

export interface NoticeGap {
  reason: GapReason;
  /** The heading: why no text could be produced. */
  title: string;
  /** Sorted like the components; `license` is the part without a text, when there is one. */
  items: Array<{ component: string; license: string | null }>;
}
