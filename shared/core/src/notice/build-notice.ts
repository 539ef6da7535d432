import { AppError } from '../errors/app-error.js';
import type { ComponentFinding } from '../license/finding.js';
import { currentLicenseIds, deprecatedLicenseIdSet } from '../license/spdx-data.js';
import type { LicenseText, ParsedSbom, SbomComponent, SbomFormat } from '../sbom/component.js';
import { expressionLeaves } from './expression-leaves.js';
import { gapTitle } from './gap-titles.js';
import { type GapReason, type NoticeComponent, type NoticeDocument, type NoticeText, gapReasons } from './notice-model.js';
import { licenseListSource, listedLicenseText } from './spdx-license-texts.js';

export interface NoticeInput {
  sbom: ParsedSbom;
  /** The evaluation's finding of each component, in the SBOM's order (as `evaluateSbom` returns them and the database stores them). */
  findings: ReadonlyArray<Pick<ComponentFinding, 'ref' | 'outcome' | 'expression'>>;
}

/**
 * The attribution document of an evaluated SBOM: each component with the
 * expression the evaluator concluded and its copyright line, the text of
 * every license used once, and, under a heading per reason, what could not
 * be given a text. Pure: the same input and list version give the same result.
 */
export const buildNotice = (input: NoticeInput): NoticeDocument => {
  const { sbom, findings } = input;
  if (findings.length !== sbom.components.length || findings.some((finding, index) => finding.ref !== sbom.components[index]?.ref)) {
    throw new AppError('conflict', 'the findings do not belong to this SBOM as it parses now: evaluate it again', {
      components: sbom.components.length,
      findings: findings.length,
    });
  }
  const texts = new TextCollector(sbom.licenseTexts ?? []);
  const gaps = new Map<GapReason, Map<string, { component: string; license: string | null }>>();
  const addGap = (reason: GapReason, component: string, license: string | null): void => {
    const items = gaps.get(reason) ?? new Map<string, { component: string; license: string | null }>();
    gaps.set(reason, items);
    items.set(`${component}\0${license ?? ''}`, { component, license });
  };

  const rows = sbom.components
    .map((component, index) => ({ component, finding: findings[index] ?? { ref: component.ref, outcome: 'missing' as const, expression: null } }))
    .sort((a, b) => compareComponents(a.component, b.component));
  const used: string[][] = [];
  for (const { component, finding } of rows) {
    const label = componentLabel(component);
    const keys = new Set<string>();
    const outcomeGap = outcomeGaps[finding.outcome];
    if (outcomeGap !== undefined) addGap(outcomeGap, label, null);
    for (const leaf of finding.expression === null ? [] : expressionLeaves(finding.expression)) {
      const resolved = texts.license(leaf.license, component.licenseTexts ?? []);
      if (typeof resolved === 'string') keys.add(resolved);
      else addGap(resolved.gap, label, leaf.license);
      // No installed package carries the SPDX exception texts (spdx-exceptions has ids only).
      if (leaf.exception !== null) addGap('exception-text-unavailable', label, leaf.exception);
    }
    used.push([...keys]);
  }

  const labels = texts.labels();
  const components = rows.map(({ component, finding }, index): NoticeComponent => ({
    name: component.name,
    version: component.version,
    purl: component.purl,
    license: finding.expression ?? outcomeLabels[finding.outcome],
    copyright: component.copyright ?? null,
    texts: (used[index] ?? []).map((key) => labels.get(key) ?? key).sort(compareText),
  }));
  return {
    licenseList: { ...licenseListSource },
    sbom: { format: formatLabel(sbom.format), documentId: sbom.documentId },
    components,
    texts: texts.entries(labels),
    unavailable: gapReasons.flatMap((reason) => {
      const items = gaps.get(reason);
      return items === undefined ? [] : [{ reason, title: gapTitle(reason, licenseListSource), items: [...items.values()] }];
    }),
  };
};

const outcomeGaps: Partial<Record<ComponentFinding['outcome'], GapReason>> = {
  missing: 'no-license',
  none: 'none',
  noassertion: 'noassertion',
  unparsable: 'unreadable',
  'too-large': 'unreadable',
};

const outcomeLabels: Record<ComponentFinding['outcome'], string> = {
  evaluated: '(evaluated)',
  missing: '(no license)',
  none: 'NONE',
  noassertion: 'NOASSERTION',
  unparsable: '(unreadable expression)',
  'too-large': '(expression too large)',
};

const isLicenseRef = (license: string): boolean => /^(DocumentRef-[^:]+:)?LicenseRef-/.test(license);

/**
 * Collects the texts the components use, once each. A listed SPDX id takes the
 * list's text; a LicenseRef or unlisted name takes the text the SBOM gives it
 * (the component's own entry first, then the document's). One name can come
 * with different texts from different components: each is kept, and told
 * apart by its label.
 */
class TextCollector {
  private readonly collected = new Map<string, Omit<NoticeText, 'label'>>();

  constructor(private readonly documentTexts: readonly LicenseText[]) {}

  license(license: string, componentTexts: readonly LicenseText[]): string | { gap: GapReason } {
    const listed = isLicenseRef(license) ? null : listedLicenseText(license);
    if (listed !== null) {
      const key = `list\0${listed.id}`;
      if (!this.collected.has(key)) {
        this.collected.set(key, { kind: 'license', title: listed.name, source: 'license-list', url: listed.url, text: listed.text });
      }
      return key;
    }
    const own = componentTexts.find((entry) => entry.license === license) ?? this.documentTexts.find((entry) => entry.license === license);
    if (own !== undefined) {
      const key = `sbom\0${license}\0${own.text}`;
      if (!this.collected.has(key)) this.collected.set(key, { kind: 'license', title: license, source: 'sbom', url: null, text: own.text });
      return key;
    }
    if (isLicenseRef(license)) return { gap: 'license-ref-without-text' };
    return { gap: currentLicenseIds.has(license) || deprecatedLicenseIdSet.has(license) ? 'not-in-license-list' : 'unknown-license' };
  }

  /** Each collected key's label: the id, with `(text 2 of 3)` where an SBOM gave one name several texts. */
  labels(): Map<string, string> {
    const byTitle = new Map<string, string[]>();
    for (const [key, entry] of this.collected) byTitle.set(entry.title, [...(byTitle.get(entry.title) ?? []), key]);
    const labels = new Map<string, string>();
    for (const [key, entry] of this.collected) {
      const id = entry.source === 'license-list' ? key.slice('list\0'.length) : entry.title;
      const variants = (byTitle.get(entry.title) ?? []).sort(compareText);
      labels.set(key, variants.length > 1 ? `${id} (text ${variants.indexOf(key) + 1} of ${variants.length})` : id);
    }
    return labels;
  }

  entries(labels: ReadonlyMap<string, string>): NoticeText[] {
    return [...this.collected]
      .map(([key, entry]) => ({ label: labels.get(key) ?? key, ...entry }))
      .sort((a, b) => compareText(a.label, b.label));
  }
}

/** Code-unit order, not the locale's: the bytes must not depend on the machine. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const compareComponents = (a: SbomComponent, b: SbomComponent): number =>
  compareText(a.name, b.name) || compareText(a.version ?? '', b.version ?? '') || compareText(a.purl ?? '', b.purl ?? '') || compareText(a.ref, b.ref);

const componentLabel = (component: SbomComponent): string => (component.version ? `${component.name} ${component.version}` : component.name);

const formatLabel = (format: SbomFormat): string =>
  `${format.kind === 'cyclonedx' ? 'CycloneDX' : 'SPDX'} ${format.specVersion} ${format.encoding.toUpperCase()}`;
