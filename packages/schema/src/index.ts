export * from './common.js';
export * from './decode.js';
export * from './evaluation.js';
export * from './reported-metric.js';
export * from './rows.js';
export * from './topics.js';
export * from './trace-event.js';
export * from './tsv.js';
