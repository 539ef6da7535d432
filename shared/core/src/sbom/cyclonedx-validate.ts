import type { ParsedSbom } from './component.js';
import { cycloneDxComponents } from './cyclonedx-components.js';
import { cycloneDxValidator, cycloneDxXmlValidator, type CycloneDxVersion } from './cyclonedx-schemas.js';
import { checkCycloneDxUniqueness } from './cyclonedx-unique-refs.js';
import { intakeError } from './intake-error.js';
import type { SbomLimits } from './limits.js';
import { describeSchemaErrors, schemaErrorDetails } from './schema-error-message.js';

/**
 * The shared tail of CycloneDX JSON and XML intake: a BOM in the JSON model is
 * mapped to components (refusing too many before the costlier validation),
 * validated against the official schema of its version, and checked for the
 * uniqueness rules the schema's `uniqueItems` no longer enforce.
 */
export const finishCycloneDx = (
  bom: Record<string, unknown>,
  version: CycloneDxVersion,
  encoding: 'json' | 'xml',
  limits: SbomLimits,
): ParsedSbom => {
  const components = cycloneDxComponents(bom, limits.maxComponents);
  const label = `CycloneDX ${version} ${encoding.toUpperCase()}`;
  const validate = encoding === 'xml' ? cycloneDxXmlValidator(version) : cycloneDxValidator(version);
  if (!validate(bom)) {
    const errors = validate.errors ?? [];
    throw intakeError('schema', `${label} failed schema validation: ${describeSchemaErrors(errors)}`, {
      format: 'cyclonedx',
      encoding,
      specVersion: version,
      errors: schemaErrorDetails(errors),
    });
  }
  checkCycloneDxUniqueness(bom, label);
  return {
    format: { kind: 'cyclonedx', encoding, specVersion: version },
    documentId: typeof bom.serialNumber === 'string' ? bom.serialNumber : null,
    components,
  };
};
