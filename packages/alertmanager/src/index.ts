export * from './client.js';
export * from './config.js';
export * from './forwarder.js';
export * from './metrics.js';
export * from './payload.js';
export * from './plan.js';
