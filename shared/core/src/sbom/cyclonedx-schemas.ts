import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

export const cycloneDxVersions = ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'] as const;
export type CycloneDxVersion = (typeof cycloneDxVersions)[number];

export const isCycloneDxVersion = (value: unknown): value is CycloneDxVersion =>
  typeof value === 'string' && (cycloneDxVersions as readonly string[]).includes(value);

/**
 * The official schemas as shipped by @cyclonedx/cyclonedx-library (its
 * `res/schema/` copies already point their `$ref`s at local sibling files).
 * Reading package resources is the only file access in core; it happens once
 * per version and never touches the network.
 */
const schemaDir = join(
  dirname(createRequire(import.meta.url).resolve('@cyclonedx/cyclonedx-library/package.json')),
  'res',
  'schema',
);

/** Schemas the bom schemas `$ref`, under the ids those refs resolve to. */
const referencedSchemas = [
  'spdx.SNAPSHOT.schema.json',
  'jsf-0.82.SNAPSHOT.schema.json',
  'cryptography-defs.SNAPSHOT.schema.json',
] as const;

const readSchema = (file: string): AnySchemaObject => {
  const parsed: unknown = JSON.parse(readFileSync(join(schemaDir, file), 'utf8'));
  return withoutUniqueItems(parsed) as AnySchemaObject;
};

/**
 * `uniqueItems` makes ajv compare every pair of array items with deep
 * equality: 14–20 s for a 10k-component BOM, growing with the square of the
 * size. It is dropped everywhere; what it was there for — distinct bom-refs and
 * dependency refs — is checked with Sets in `cyclonedx-unique-refs.ts`.
 */
const withoutUniqueItems = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(withoutUniqueItems);
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'uniqueItems') copy[key] = withoutUniqueItems(value);
  }
  return copy;
};

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default
// import is the module object or the function depending on the loader.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv) => Ajv;

const newAjv = (): Ajv => {
  const ajv = new Ajv({
    // The CycloneDX schemas use keywords and formats ajv's strict mode objects to.
    strict: false,
    // First error only: a failing 100k-component BOM is still answered fast.
    allErrors: false,
    // No loadSchema: an unknown $ref is a compile error, never a download.
    addUsedSchema: false,
    validateFormats: true,
  });
  addFormats(ajv);
  // iri-reference has no ajv-formats implementation; the library accepts any string too.
  ajv.addFormat('iri-reference', true);
  // idn-email: internationalized addresses, so only the shape local@domain is checked.
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
  for (const file of referencedSchemas) {
    ajv.addSchema(readSchema(file), `http://cyclonedx.org/schema/${file}`);
  }
  return ajv;
};

/**
 * `"pattern": "^(.*)$"` is how the JSON schema (1.2 only) says "no line
 * breaks", the JSON side of xs:normalizedString. XML values are normalized
 * by XML rules before validation (cyclonedx-xml-model.ts), and the XSD's
 * xs:string elements (pedigree notes, reference comments) may hold line
 * breaks, so the XML validator is compiled without that one pattern.
 */
const withoutSingleLinePattern = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(withoutSingleLinePattern);
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (!(key === 'pattern' && value === '^(.*)$')) copy[key] = withoutSingleLinePattern(value);
  }
  return copy;
};

const xmlValidators = new Map<CycloneDxVersion, ValidateFunction>();

/** The validator for a BOM mapped from XML: the JSON one unless the schema has single-line patterns. */
export const cycloneDxXmlValidator = (version: CycloneDxVersion): ValidateFunction => {
  let validate = xmlValidators.get(version);
  if (!validate) {
    const schema = cycloneDxSchema(version);
    const relaxed = withoutSingleLinePattern(schema) as AnySchemaObject;
    validate = JSON.stringify(relaxed) === JSON.stringify(schema) ? cycloneDxValidator(version) : newAjv().compile(relaxed);
    xmlValidators.set(version, validate);
  }
  return validate;
};

const validators = new Map<CycloneDxVersion, ValidateFunction>();
const schemas = new Map<CycloneDxVersion, AnySchemaObject>();

export const cycloneDxSchema = (version: CycloneDxVersion): AnySchemaObject => {
  let schema = schemas.get(version);
  if (!schema) {
    schema = readSchema(`bom-${version}.SNAPSHOT.schema.json`);
    schemas.set(version, schema);
  }
  return schema;
};

/** Compiled once per version (~50–300 ms) and reused for every later SBOM. */
export const cycloneDxValidator = (version: CycloneDxVersion): ValidateFunction => {
  let validate = validators.get(version);
  if (!validate) {
    validate = newAjv().compile(cycloneDxSchema(version));
    validators.set(version, validate);
  }
  return validate;
};

