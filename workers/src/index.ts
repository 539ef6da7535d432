export * from './worker-dependencies.js';
export * from './handler-registrations.js';
export * from './github-dependencies.js';
export * from './contribution-github-adapter.js';
export * from './notifications/index.js';
