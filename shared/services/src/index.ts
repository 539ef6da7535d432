export * from './token-service.js';
export * from './policy-context.js';
export * from './finding-category.js';
export * from './sbom-service.js';
export * from './waiver-service.js';
export * from './policy-activation.js';
