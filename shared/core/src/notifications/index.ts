export * from './event-kinds.js';
export * from './notice.js';
export * from './notification-policy-schema.js';
export * from './plan-deliveries.js';
export * from './channel-messages.js';
export * from './webhook-signature.js';
