export * from './database.js';
export * from './open-database.js';
export * from './postgres-database.js';
export * from './pglite-database.js';
export * from './migrate.js';
export * from './repositories/audit-repository.js';
export * from './repositories/token-repository.js';
export * from './repositories/outbox-repository.js';
