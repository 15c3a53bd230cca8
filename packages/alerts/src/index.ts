export * from './lifecycle.js';
export * from './silences.js';
