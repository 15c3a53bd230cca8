export * from './config.js';
export * from './ingest.js';
export * from './metrics.js';
export * from './routes.js';
export * from './service.js';
