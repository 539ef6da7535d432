export * from './clauses.js';
export * from './conformance-map.js';
export * from './render-conformance.js';
export type { Fact } from './program-facts.js';
