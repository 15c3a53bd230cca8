/** Environment of a service that forwards alerts (the detector): merge the shape into its schema. */
import { envTypes } from '@tracewatch/service-kit';
import { z } from 'zod';
import type { AlertForwarderOptions } from './forwarder.js';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

export const alertmanagerEnvShape = {
  /** Empty or unset: forwarding is off. */
  ALERTMANAGER_URL: httpUrl.optional(),
  ALERTMANAGER_INTERVAL_MS: envTypes.positiveInt(60_000),
  ALERTMANAGER_TIMEOUT_MS: envTypes.positiveInt(10_000),
  /** Where operators open an alert: generatorURL = <url>/alerts/<fingerprint>. */
  TRACEWATCH_CONSOLE_URL: httpUrl.optional(),
};
export const alertmanagerEnvSchema = z.object(alertmanagerEnvShape);
export type AlertmanagerEnv = z.infer<typeof alertmanagerEnvSchema>;

export interface ForwardingConfig {
  url: string;
  timeoutMs: number;
  options: Pick<AlertForwarderOptions, 'intervalMs' | 'consoleUrl'>;
}

/** null when ALERTMANAGER_URL is empty (forwarding off). */
export function forwardingConfig(env: AlertmanagerEnv): ForwardingConfig | null {
  if (!env.ALERTMANAGER_URL) return null;
  return {
    url: env.ALERTMANAGER_URL,
    timeoutMs: env.ALERTMANAGER_TIMEOUT_MS,
    options: { intervalMs: env.ALERTMANAGER_INTERVAL_MS, consoleUrl: env.TRACEWATCH_CONSOLE_URL },
  };
}
