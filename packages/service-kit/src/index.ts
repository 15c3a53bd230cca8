export * from './backoff.js';
export * from './config.js';
export * from './health.js';
export * from './logger.js';
export * from './retry.js';
export * from './shutdown.js';
export * from './worker-pool.js';
