import type { LicenseRefNames } from './resolve-license-refs.js';
import type { ComponentLicenseData } from '../sbom/component.js';
import type { LicensePolicy } from './policy-schema.js';

/**
 * How a component's license entries became one expression, recorded on the
 * finding so a reviewer sees which rule joined them:
 * - `selection`: every entry, the concluded ones over the declared ones
 *   (CycloneDX `acknowledgement`, SPDX licenseConcluded), or the declared ones
 *   because the conclusion said nothing;
 * - `join`: one license (`single`), Maven's list of licenses to choose from
 *   (`maven-choice`, OR), or the policy's `multipleLicenses` (`policy-all`
 *   AND, `policy-any` OR); comma and slash lists are joined the same way;
 * - `from`: the component's licenses, or CycloneDX `evidence.licenses` when it
 *   states none, or its enclosing module's when a sub-package of it states
 *   none (cyclonedx-gomod);
 * - `splitLists`: entries read as a written list ("GPL-2.0, LGPL-2.0").
 */
export interface LicenseCombination {
  selection: 'all' | 'concluded-over-declared' | 'declared-concluded-empty';
  join: 'single' | 'maven-choice' | 'policy-all' | 'policy-any';
  from: 'licenses' | 'evidence' | 'enclosing';
  splitLists: number;
}

/** What the engine needs to know about the component besides its license data. */
export interface LicenseContext {
  /** The Maven POM reference: several `<license>` elements are alternatives the licensee may choose from. */
  maven: boolean;
  /** The document's names for its LicenseRefs (SPDX extracted licensing info). */
  licenseRefs?: LicenseRefNames;
}

export const licenseContextOf = (purl: string | null, licenseRefs?: LicenseRefNames): LicenseContext => {
  const maven = purl?.startsWith('pkg:maven/') === true;
  return licenseRefs === undefined || licenseRefs.size === 0 ? { maven } : { maven, licenseRefs };
};

export const joinOf = (count: number, context: LicenseContext, policy: LicensePolicy): LicenseCombination['join'] => {
  if (count < 2) return 'single';
  if (context.maven) return 'maven-choice';
  return policy.multipleLicenses === 'any' ? 'policy-any' : 'policy-all';
};

export const joinOperator = (join: LicenseCombination['join']): 'and' | 'or' => (join === 'maven-choice' || join === 'policy-any' ? 'or' : 'and');

export const joinNote = (count: number, join: LicenseCombination['join']): string | null => {
  switch (join) {
    case 'single':
      return null;
    case 'maven-choice':
      return `${count} license entries combined with OR: a Maven POM lists licenses to choose from`;
    case 'policy-any':
      return `${count} license entries combined with OR (policy multipleLicenses: any)`;
    case 'policy-all':
      return `${count} license entries combined with AND`;
  }
};

export const sourceOf = (data: ComponentLicenseData): LicenseCombination['from'] => (data.from ?? 'licenses');

