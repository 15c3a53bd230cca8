export * from './client.js';
export * from './identity.js';
export * from './insert.js';
export * from './migrate.js';
export * from './queries.js';
export * from './sql.js';
export * from './writer.js';
