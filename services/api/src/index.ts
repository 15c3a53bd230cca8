export * from './app.js';
export * from './config.js';
export * from './errors.js';
export * from './metrics.js';
export * from './service.js';
