export * from './audit.js';
export * from './key-store.js';
export * from './keys.js';
export * from './roles.js';
export * from './scope.js';
