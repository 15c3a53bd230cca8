import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaLogLevel } from './kafka.js';

describe('kafkaLogLevel', () => {
  it("writes a broker's error response, which kafkajs retries, as a warning", () => {
    expect(kafkaLogLevel(logLevel.ERROR, 'Response InitProducerId(key: 22, version: 1)')).toBe('warn');
    expect(kafkaLogLevel(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded')).toBe('error');
    expect(kafkaLogLevel(logLevel.WARN, 'anything')).toBe('warn');
    expect(kafkaLogLevel(logLevel.INFO, 'anything')).toBe('info');
    expect(kafkaLogLevel(logLevel.DEBUG, 'anything')).toBe('debug');
  });
});
