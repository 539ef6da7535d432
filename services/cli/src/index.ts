export * from './config/environment.js';
export * from './runtime/server-runtime.js';
export * from './runtime/private-redis.js';
export { createProgram } from './program.js';
