export * from './notification-event-kinds.js';
export * from './notification-planning.js';
export * from './notification-dispatch.js';
export * from './notification-delivery.js';
export * from './notification-digest.js';
export * from './waiver-expiry-notices.js';
export * from './notification-admin.js';
export * from './audit-verify-failure.js';
