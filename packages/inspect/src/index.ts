export * from './csv.js';
export * from './evaluations.js';
export * from './range.js';
export * from './reality.js';
export * from './rows.js';
export * from './series.js';
