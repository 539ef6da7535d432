export * from './app.js';
export * from './api-dependencies.js';
export * from './readiness.js';
export * from './http/route-table.js';
export * from './http/error-response.js';
export * from './sign-in/oidc-settings.js';
export * from './live/audit-feed.js';
export * from './live/event-stream.js';
