export * from './args.js';
export * from './jsonl.js';
