export * from './codecs.js';
export * from './consumer.js';
export * from './dead-letter.js';
export * from './dead-letter-publisher.js';
export * from './kafka.js';
export * from './packed.js';
export * from './producer.js';
export * from './stall.js';
