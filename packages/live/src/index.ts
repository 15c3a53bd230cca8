export * from './alert-commands.js';
export * from './live-detector.js';
export * from './schedule.js';
export * from './store-inputs.js';
export * from './watermark.js';
