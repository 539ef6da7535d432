export * from './load-policy-dir.js';
export * from './default-policy.js';
export * from './policy-file-schemas.js';
export * from './policy-problem.js';
export * from './policy-version.js';
