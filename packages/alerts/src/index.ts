export * from './keeper.js';
export * from './lifecycle.js';
export * from './messages.js';
export * from './metrics.js';
export * from './read-committed.js';
export * from './repository.js';
export * from './silences.js';
