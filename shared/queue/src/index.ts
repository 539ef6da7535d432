export * from './job-definition.js';
export * from './job-catalog.js';
export * from './enqueue.js';
export * from './redis-connection.js';
export * from './queue-registry.js';
export * from './outbox-relay.js';
export * from './job-handler.js';
export * from './worker-host.js';
