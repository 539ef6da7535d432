export * from './bundle-layout.js';
export * from './manifest.js';
export * from './event-lines.js';
export * from './read-bundle.js';
export * from './subject.js';
export * from './verify-bundle.js';
export * from './write-bundle.js';
export * from './conformance/index.js';
export { policyVersionOf, policyVersionFromDigests } from '@clearance/core';
