export { parseSbom } from './parse-sbom.js';
export { defaultSbomLimits, resolveSbomLimits, type SbomLimits } from './limits.js';
export type { IntakeFailure, IntakeErrorDetails } from './intake-error.js';
export { cycloneDxVersions, type CycloneDxVersion } from './cyclonedx-schemas.js';
export { spdxVersions } from './spdx-json.js';
export { scanJsonStructure } from './json-structure-scan.js';
export { formatLabel } from './format-label.js';
export { acceptedFormats } from './intake-error.js';
export { decodeInput } from './decode-input.js';
