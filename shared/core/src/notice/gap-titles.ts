import type { GapReason } from './notice-model.js';

/** The heading of each reason, naming the list version where the list is what lacks the text. */
export const gapTitle = (reason: GapReason, list: { package: string; version: string }): string => {
  const listName = `${list.package} ${list.version}`;
  switch (reason) {
    case 'no-license':
      return 'No license: the SBOM states none for these components';
    case 'none':
      return 'NONE: the SBOM says no license applies';
    case 'noassertion':
      return 'NOASSERTION: the SBOM makes no statement about the license';
    case 'unreadable':
      return 'Unreadable: the license expression could not be parsed';
    case 'unknown-license':
      return 'Unknown license: not an SPDX id, and the SBOM carries no text for it';
    case 'license-ref-without-text':
      return 'LicenseRef without text: neither the SBOM nor the license list gives its text';
    case 'not-in-license-list':
      return `Not in ${listName}: an SPDX id newer than the bundled license texts`;
    case 'exception-text-unavailable':
      return `License exception: ${listName} carries no exception texts (https://spdx.org/licenses/<id>.html has them)`;
  }
};
