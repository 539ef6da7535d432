import type { ComponentLicenseData, LicenseAcknowledgement, LicenseChoice, LicenseText, SbomComponent } from './component.js';
import { intakeError } from './intake-error.js';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

const acknowledgement = (value: unknown): LicenseAcknowledgement | undefined =>
  value === 'declared' || value === 'concluded' ? value : undefined;

/**
 * The components of a schema-valid CycloneDX BOM (JSON, or XML mapped to the
 * JSON model), depth first, nested ones with their parents' names.
 *
 * Only `components` (at any depth) are checked. `metadata.component` is the
 * subject the BOM describes, not something it brings in; pedigree ancestors,
 * tool components and services are not shipped code either.
 *
 * Fields are read one by one into fresh objects; nothing from the input is
 * spread or assigned by key, so a `__proto__` key stays inert data.
 */
export const cycloneDxComponents = (bom: JsonObject, maxComponents: number): SbomComponent[] => {
  const out: SbomComponent[] = [];
  const visit = (list: unknown, parents: string[], path: string, enclosing: SbomComponent | null): void => {
    if (!Array.isArray(list)) return;
    list.forEach((entry: unknown, index) => {
      if (!isObject(entry)) return;
      if (out.length >= maxComponents) {
        throw intakeError('too-many-components', `SBOM has more than ${maxComponents} components`, {
          limit: maxComponents,
        });
      }
      const componentPath = `${path}[${index}]`;
      const name = displayName(text(entry.group), text(entry.name) ?? '');
      const copyright = text(entry.copyright);
      const licenseTexts = namedLicenseTexts(entry.licenses);
      const version = text(entry.version);
      const component: SbomComponent = {
        ref: text(entry['bom-ref']) ?? componentPath,
        name,
        version,
        purl: text(entry.purl),
        parents,
        license: inheritedLicense(licenseData(entry), name, version, enclosing),
        ...(copyright !== null && copyright.trim() !== '' ? { copyright } : {}),
        ...(licenseTexts.length > 0 ? { licenseTexts } : {}),
      };
      out.push(component);
      // Depth is bounded by the structure scan, so this recursion is too.
      if (Array.isArray(entry.components) && entry.components.length > 0) {
        visit(entry.components, [...parents, name], `${componentPath}.components`, component);
      }
    });
  };
  visit(bom.components, [], 'components', null);
  return out;
};

/**
 * CycloneDX keeps an npm scope in `group` (`@babel` + `parser`); the package
 * is known as `@babel/parser`, and `parser` alone names a different one.
 * Other ecosystems' groups (Maven coordinates) stay out of the name.
 */
const displayName = (group: string | null, name: string): string =>
  group !== null && group.startsWith('@') && !name.startsWith(`${group}/`) ? `${group}/${name}` : name;

/**
 * cyclonedx-gomod nests each module's packages under the module
 * (`filippo.io/age` → `filippo.io/age/armor`, same version) and states the
 * license once, on the module: a package of the same release lives in the
 * module's source tree under its LICENSE. Only such sub-packages inherit;
 * any other nested component (a bundled library, another version) keeps
 * what it states, which may be nothing.
 */
const inheritedLicense = (
  own: ComponentLicenseData,
  name: string,
  version: string | null,
  enclosing: SbomComponent | null,
): ComponentLicenseData => {
  if (own.choices.length > 0 || enclosing === null || enclosing.license.choices.length === 0) return own;
  const subPackage = version !== null && version === enclosing.version && (name === enclosing.name || name.startsWith(`${enclosing.name}/`));
  return subPackage ? { ...enclosing.license, from: 'enclosing' } : own;
};

/**
 * `licenses`, else `evidence.licenses`: cyclonedx-gomod and cdxgen put what
 * they found only there. Evidence is used only when the component states no
 * license itself, and the data says so.
 */
const licenseData = (entry: JsonObject): ComponentLicenseData => {
  const stated = licenseChoices(entry.licenses);
  if (stated.length > 0 || !isObject(entry.evidence)) return { source: 'cyclonedx', choices: stated };
  const found = licenseChoices(entry.evidence.licenses);
  return found.length > 0 ? { source: 'cyclonedx', choices: found, from: 'evidence' } : { source: 'cyclonedx', choices: stated };
};

const licenseChoices = (licenses: unknown): LicenseChoice[] => {
  if (!Array.isArray(licenses)) return [];
  const choices: LicenseChoice[] = [];
  for (const entry of licenses) {
    if (!isObject(entry)) continue;
    const expression = text(entry.expression);
    if (expression !== null) {
      choices.push(withAcknowledgement({ kind: 'expression', expression }, entry.acknowledgement));
      continue;
    }
    const license = entry.license;
    if (!isObject(license)) continue;
    const id = text(license.id);
    const name = text(license.name);
    if (id !== null) choices.push(withAcknowledgement({ kind: 'id', id }, license.acknowledgement));
    else if (name !== null) choices.push(withAcknowledgement({ kind: 'name', name }, license.acknowledgement));
  }
  return choices;
};

/**
 * Texts of licenses given by name only: an SPDX id's text comes from the SPDX
 * list, but a LicenseRef or an unlisted license has no text but this one.
 */
const namedLicenseTexts = (licenses: unknown): LicenseText[] => {
  if (!Array.isArray(licenses)) return [];
  const texts: LicenseText[] = [];
  for (const entry of licenses) {
    const license = isObject(entry) ? entry.license : undefined;
    if (!isObject(license) || text(license.id) !== null) continue;
    const name = text(license.name);
    const attachment = isObject(license.text) ? license.text : undefined;
    const content = text(attachment?.content);
    if (name === null || content === null) continue;
    texts.push({ license: name, text: attachment?.encoding === 'base64' ? Buffer.from(content, 'base64').toString('utf8') : content });
  }
  return texts;
};

const withAcknowledgement = <T extends LicenseChoice>(choice: T, value: unknown): T => {
  const ack = acknowledgement(value);
  return ack ? { ...choice, acknowledgement: ack } : choice;
};
