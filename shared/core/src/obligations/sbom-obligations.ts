import type { ComponentFinding } from '../license/finding.js';
import type { LicensePolicy } from '../license/policy-schema.js';
import { expressionLeaves } from '../notice/expression-leaves.js';
import type { ObligationEntry, ObligationPolicy } from './obligation-policy-schema.js';

export interface ObligationComponent {
  name: string;
  version: string | null;
  purl: string | null;
}

/** One obligation of one license, and the components of the SBOM that bring it. */
export interface LicenseObligation {
  /** `<obligation>:<license>`: stable across evaluations, the key of a release checklist item. */
  key: string;
  obligation: string;
  license: string;
  /** Where the entry comes from: the license's own list, or its category's. */
  basis: { kind: 'license' } | { kind: 'category'; category: string };
  source: string;
  description: string;
  components: ObligationComponent[];
}

/** The obligations of one kind (attribution, source offer, …), each license that imposes it. */
export interface ObligationGroup {
  obligation: string;
  title: string;
  description: string;
  items: LicenseObligation[];
}

export type ObligationFinding = Pick<ComponentFinding, 'name' | 'version' | 'purl' | 'expression' | 'chosenBranch'>;

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const categoryIndex = new WeakMap<LicensePolicy, Map<string, string>>();
const categoryOf = (licenses: LicensePolicy, id: string): string | null => {
  let index = categoryIndex.get(licenses);
  if (index === undefined) {
    index = new Map();
    for (const [name, category] of Object.entries(licenses.categories)) for (const listed of category.licenses) if (!index.has(listed)) index.set(listed, name);
    categoryIndex.set(licenses, index);
  }
  return index.get(id) ?? null;
};

/**
 * What shipping these components obliges: for every license a component is
 * used under (the branch the evaluator chose where the expression offers a
 * choice; the base license of a `WITH` pair), the entries the obligations
 * policy gives that license, or else its category. Grouped by obligation in
 * the catalogue's order, licenses and components sorted. A license with
 * neither entries nor a category brings none: its verdict already asks for a
 * person to look. Pure.
 */
export const obligationsOf = (findings: readonly ObligationFinding[], obligations: ObligationPolicy, licenses: LicensePolicy): ObligationGroup[] => {
  const items = new Map<string, LicenseObligation>();
  const seen = new Map<string, Set<string>>();
  for (const finding of findings) {
    const expression = finding.chosenBranch ?? finding.expression;
    if (expression === null) continue;
    for (const leaf of expressionLeaves(expression)) {
      const entries = entriesOf(leaf.license, obligations, licenses);
      for (const { entry, basis } of entries) {
        const key = `${entry.obligation}:${leaf.license}`;
        let item = items.get(key);
        if (item === undefined) {
          item = { key, obligation: entry.obligation, license: leaf.license, basis, source: entry.source, description: entry.description, components: [] };
          items.set(key, item);
          seen.set(key, new Set());
        }
        const identity = `${finding.name}\0${finding.version ?? ''}\0${finding.purl ?? ''}`;
        const keys = seen.get(key);
        if (keys !== undefined && !keys.has(identity)) {
          keys.add(identity);
          item.components.push({ name: finding.name, version: finding.version, purl: finding.purl });
        }
      }
    }
  }
  return Object.entries(obligations.obligations).flatMap(([obligation, kind]) => {
    const members = [...items.values()].filter((item) => item.obligation === obligation).sort((a, b) => byText(a.license, b.license));
    for (const member of members) member.components.sort((a, b) => byText(a.name, b.name) || byText(a.version ?? '', b.version ?? ''));
    return members.length === 0 ? [] : [{ obligation, title: kind.title, description: kind.description, items: members }];
  });
};

const entriesOf = (
  license: string,
  obligations: ObligationPolicy,
  licenses: LicensePolicy,
): Array<{ entry: ObligationEntry; basis: LicenseObligation['basis'] }> => {
  const own = obligations.licenses[license];
  if (own !== undefined) return own.map((entry) => ({ entry, basis: { kind: 'license' } }));
  const category = categoryOf(licenses, license);
  const inherited = category === null ? undefined : obligations.categories[category];
  if (category === null || inherited === undefined) return [];
  return inherited.map((entry) => ({ entry, basis: { kind: 'category', category } }));
};
