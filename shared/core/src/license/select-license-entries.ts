import type { ComponentLicenseData, LicenseChoice } from '../sbom/component.js';
import type { LicenseCombination } from './license-combination.js';

export const choiceText = (choice: LicenseChoice): string => {
  switch (choice.kind) {
    case 'id':
      return choice.id;
    case 'name':
      return choice.name;
    case 'expression':
      return choice.expression;
  }
};

const saysNothing = (choice: LicenseChoice): boolean => {
  const text = choiceText(choice).trim();
  return text === '' || text.toUpperCase() === 'NOASSERTION';
};

/**
 * Picks the license entries that speak for the component. A concluded license
 * (someone looked) wins over declared ones (what the package says), unless the
 * conclusion is NOASSERTION or empty: then the declared ones are used.
 * SPDX: `licenseConcluded` else `licenseDeclared`; CycloneDX: entries with
 * `acknowledgement: concluded` over the others.
 */
export const selectLicenseEntries = (
  data: ComponentLicenseData,
): { entries: LicenseChoice[]; notes: string[]; selection: LicenseCombination['selection'] } => {
  const concluded = data.choices.filter((choice) => choice.acknowledgement === 'concluded');
  const declared = data.choices.filter((choice) => choice.acknowledgement !== 'concluded');
  if (concluded.length === 0 || declared.length === 0) return { entries: data.choices, notes: [], selection: 'all' };
  const [concludedName, declaredName] =
    data.source === 'spdx' ? ['licenseConcluded', 'licenseDeclared'] : ['the concluded license', 'the declared license'];
  if (concluded.every(saysNothing)) {
    return {
      entries: declared,
      notes: [`${concludedName} says nothing (NOASSERTION or empty): ${declaredName} used`],
      selection: 'declared-concluded-empty',
    };
  }
  return { entries: concluded, notes: [`${concludedName} used over ${declaredName}`], selection: 'concluded-over-declared' };
};
