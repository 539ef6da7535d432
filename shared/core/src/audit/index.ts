// The audit modules beyond event-hash.ts and payloads/index.ts, which the
// package index exports on its own.
export * from './canonical-json.js';
export * from './checkpoint.js';
export * from './key-chain.js';
export * from './link-events.js';
export * from './policy-version.js';
export * from './verify-chain.js';
export * from './verify-chain-parallel.js';
export * from './payloads/audit.js';
export * from './report/index.js';
