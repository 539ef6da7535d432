export * from './worker-dependencies.js';
export * from './handler-registrations.js';
