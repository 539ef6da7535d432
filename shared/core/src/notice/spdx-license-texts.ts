import { createRequire } from 'node:module';
import type spdxFull from 'spdx-license-list/full.js';

const require = createRequire(import.meta.url);

/** A license text from the SPDX license list, with what the list calls it. */
export interface ListedLicenseText {
  id: string;
  name: string;
  url: string;
  text: string;
}

/**
 * The package the texts come from, as printed in every NOTICE: the same SBOM
 * and the same list version give the same bytes, so the version is part of
 * what a reader needs to reproduce one.
 */
export const licenseListSource = ((): { package: string; version: string } => {
  const pkg: unknown = require('spdx-license-list/package.json');
  const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : 'unknown';
  return { package: 'spdx-license-list', version };
})();

let texts: typeof spdxFull | undefined;

/**
 * The full texts are 5 MB of JSON: they are loaded on the first NOTICE, not
 * by everything that imports the core (the API, the workers, `check`).
 */
export const listedLicenseText = (id: string): ListedLicenseText | null => {
  texts ??= require('spdx-license-list/full.js') as typeof spdxFull;
  // Own keys only: an SBOM's license named `constructor` is not a license text.
  if (!Object.hasOwn(texts, id)) return null;
  const entry = texts[id];
  return entry === undefined ? null : { id, name: entry.name, url: entry.url, text: entry.licenseText };
};
