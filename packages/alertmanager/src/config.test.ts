import { ConfigError, parseEnv } from '@tracewatch/service-kit';
import { describe, expect, it } from 'vitest';
import { alertmanagerEnvSchema, forwardingConfig } from './config.js';

describe('forwardingConfig', () => {
  it('is off when ALERTMANAGER_URL is empty or unset', () => {
    expect(forwardingConfig(parseEnv(alertmanagerEnvSchema, {}))).toBeNull();
    expect(forwardingConfig(parseEnv(alertmanagerEnvSchema, { ALERTMANAGER_URL: '  ' }))).toBeNull();
  });

  it('reads the URL, interval, timeout and console URL', () => {
    const env = parseEnv(alertmanagerEnvSchema, {
      ALERTMANAGER_URL: 'http://127.0.0.1:9095',
      ALERTMANAGER_INTERVAL_MS: '30000',
      TRACEWATCH_CONSOLE_URL: 'https://tw.example.gov',
    });
    expect(forwardingConfig(env)).toEqual({
      url: 'http://127.0.0.1:9095',
      timeoutMs: 10_000,
      options: { intervalMs: 30_000, consoleUrl: 'https://tw.example.gov', deploymentLabels: {} },
    });
  });

  it('reads deployment labels', () => {
    const env = parseEnv(alertmanagerEnvSchema, {
      ALERTMANAGER_URL: 'http://127.0.0.1:9095',
      ALERTMANAGER_LABELS: 'env=prod, site = bj-2,note=a=b',
    });
    expect(forwardingConfig(env)?.options.deploymentLabels).toEqual({ env: 'prod', site: 'bj-2', note: 'a=b' });
  });

  it.each([
    ['ALERTMANAGER_URL', 'localhost:9095'],
    ['ALERTMANAGER_URL', 'ftp://127.0.0.1:9095'],
    ['ALERTMANAGER_INTERVAL_MS', '0'],
    ['TRACEWATCH_CONSOLE_URL', 'not a url'],
    ['ALERTMANAGER_LABELS', 'env'],
    ['ALERTMANAGER_LABELS', '1env=prod'],
    ['ALERTMANAGER_LABELS', 'severity=low'],
  ])('a bad %s (%s) is an error naming it', (name, value) => {
    expect(() => parseEnv(alertmanagerEnvSchema, { [name]: value })).toThrow(ConfigError);
    expect(() => parseEnv(alertmanagerEnvSchema, { [name]: value })).toThrow(name);
  });
});
