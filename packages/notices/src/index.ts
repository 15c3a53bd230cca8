export * from './compose.js';
export * from './escalation.js';
export * from './grouping.js';
export * from './notifier.js';
export * from './numbering.js';
export * from './repository.js';
export * from './templates.js';
