export * from './obligation-policy-schema.js';
export * from './sbom-obligations.js';
export * from './obligation-evidence.js';
