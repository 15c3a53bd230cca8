import { ConfigError, parseEnv } from '@tracewatch/service-kit';
import { describe, expect, it } from 'vitest';
import { detectorConfigSchema, detectorUtcOffsetMinutes } from './config.js';

const offset = (env: NodeJS.ProcessEnv) => detectorUtcOffsetMinutes(parseEnv(detectorConfigSchema, env));

describe('the detectors’ local days from the deployment setting', () => {
  it('reads TRACEWATCH_UTC_OFFSET with the values `analyze --utc-offset` takes', () => {
    expect(offset({ TRACEWATCH_UTC_OFFSET: '+05:30' })).toBe(330);
    expect(offset({ TRACEWATCH_UTC_OFFSET: 'Asia/Kolkata' })).toBe(330);
    expect(offset({ TRACEWATCH_UTC_OFFSET: 'UTC' })).toBe(0);
  });

  it('keeps the older DETECTOR_UTC_OFFSET_MINUTES working, and UTC+8 when neither is set', () => {
    expect(offset({ DETECTOR_UTC_OFFSET_MINUTES: '-300' })).toBe(-300);
    expect(offset({})).toBe(480);
    expect(offset({ TRACEWATCH_UTC_OFFSET: '-05:00', DETECTOR_UTC_OFFSET_MINUTES: '-300' })).toBe(-300);
  });

  it('refuses a zone with daylight saving, a malformed value, and two names that disagree, naming the variable', () => {
    expect(() => offset({ TRACEWATCH_UTC_OFFSET: 'Europe/Berlin' })).toThrow(
      /TRACEWATCH_UTC_OFFSET: .*changes its offset/,
    );
    expect(() => offset({ TRACEWATCH_UTC_OFFSET: '8 hours' })).toThrow(ConfigError);
    expect(() => offset({ TRACEWATCH_UTC_OFFSET: '+08:00', DETECTOR_UTC_OFFSET_MINUTES: '0' })).toThrow(
      /DETECTOR_UTC_OFFSET_MINUTES: disagrees with TRACEWATCH_UTC_OFFSET/,
    );
  });
});
