export * from './attempt.js';
export * from './attempts.js';
export * from './email.js';
export * from './recipients.js';
export * from './result.js';
export * from './retry-policy.js';
export * from './signing.js';
export * from './webhook.js';
