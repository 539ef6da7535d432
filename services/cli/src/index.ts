export * from './config/environment.js';
export * from './runtime/server-runtime.js';
export * from './runtime/private-redis.js';
export * from './runtime/redis-unavailable-error.js';
export * from './program.js';
