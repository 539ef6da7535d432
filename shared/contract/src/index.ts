export * from './page.js';
export * from './contribution-responses.js';
export * from './sbom-responses.js';
export * from './audit-responses.js';
export * from './identity-responses.js';
export * from './client-types.js';
export * from './notification-responses.js';
