import licenseIds from 'spdx-license-ids/index.json' with { type: 'json' };
import deprecatedLicenseIds from 'spdx-license-ids/deprecated.json' with { type: 'json' };
import exceptionIds from 'spdx-exceptions/index.json' with { type: 'json' };
import deprecatedExceptionIds from 'spdx-exceptions/deprecated.json' with { type: 'json' };
import licenseList from 'spdx-license-list/spdx.json' with { type: 'json' };

/**
 * The SPDX license list as lookup tables. Ids come from spdx-license-ids and
 * spdx-exceptions (the lists spdx-expression-parse itself accepts); full names
 * come from spdx-license-list, the only installed package that carries them.
 */
export const currentLicenseIds: ReadonlySet<string> = new Set(licenseIds);
export const deprecatedLicenseIdSet: ReadonlySet<string> = new Set(deprecatedLicenseIds);
export const currentExceptionIds: ReadonlySet<string> = new Set(exceptionIds);
export const deprecatedExceptionIdSet: ReadonlySet<string> = new Set(deprecatedExceptionIds);

const lowerIndex = (ids: Iterable<string>): ReadonlyMap<string, string> => {
  const index = new Map<string, string>();
  for (const id of ids) index.set(id.toLowerCase(), id);
  return index;
};

/** lower-case id → id as SPDX spells it. */
export const currentLicenseByLower = lowerIndex(licenseIds);
export const deprecatedLicenseByLower = lowerIndex(deprecatedLicenseIds);
export const exceptionByLower = lowerIndex([...exceptionIds, ...deprecatedExceptionIds]);

/** Collapses runs of white space and lower-cases, so names compare as people read them. */
export const nameKey = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();

interface ListedLicense {
  name: string;
}

/**
 * lower-case full name → SPDX id. A deprecated id and its current successor
 * often share one full name ("GNU General Public License v2.0 only" is both
 * `GPL-2.0` and `GPL-2.0-only`): the current id wins. Ids the list has but
 * spdx-license-ids does not (the old `GPL-2.0+` forms) are skipped.
 */
export const licenseIdByFullName: ReadonlyMap<string, string> = (() => {
  const byName = new Map<string, string>();
  const entries = Object.entries(licenseList as Record<string, ListedLicense>);
  for (const [id, entry] of entries) {
    if (!currentLicenseIds.has(id)) continue;
    byName.set(nameKey(entry.name), id);
  }
  for (const [id, entry] of entries) {
    if (!deprecatedLicenseIdSet.has(id)) continue;
    const key = nameKey(entry.name);
    if (!byName.has(key)) byName.set(key, id);
  }
  return byName;
})();
