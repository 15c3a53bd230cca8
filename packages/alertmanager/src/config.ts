/** Environment of a service that forwards alerts (the detector): merge the shape into its schema. */
import { envTypes } from '@tracewatch/service-kit';
import { z } from 'zod';
import type { LabelSet } from './client.js';
import type { AlertForwarderOptions } from './forwarder.js';
import { ALERT_LABEL_NAMES } from './payload.js';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** name=value,name=value → labels; names as Prometheus allows, none of the forwarder's own. */
const deploymentLabels = z.string().transform((text, ctx): LabelSet => {
  const labels: LabelSet = {};
  for (const pair of text.split(',')) {
    const [name = '', ...rest] = pair.split('=');
    const key = name.trim();
    const value = rest.join('=').trim();
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key) || value === '')
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not name=value (name: letters, digits, _)` });
    else if ((ALERT_LABEL_NAMES as readonly string[]).includes(key))
      ctx.addIssue({ code: 'custom', message: `${key} is set by the forwarder itself` });
    else labels[key] = value;
  }
  return labels;
});

export const alertmanagerEnvShape = {
  /** Empty or unset: forwarding is off. */
  ALERTMANAGER_URL: httpUrl.optional(),
  ALERTMANAGER_INTERVAL_MS: envTypes.positiveInt(60_000),
  ALERTMANAGER_TIMEOUT_MS: envTypes.positiveInt(10_000),
  /** Where operators open an alert: generatorURL = <url>/alerts/<fingerprint>. */
  TRACEWATCH_CONSOLE_URL: httpUrl.optional(),
  /** e.g. env=prod: labels that tell this deployment's alerts apart in a shared Alertmanager. */
  ALERTMANAGER_LABELS: deploymentLabels.optional(),
};
export const alertmanagerEnvSchema = z.object(alertmanagerEnvShape);
export type AlertmanagerEnv = z.infer<typeof alertmanagerEnvSchema>;

export interface ForwardingConfig {
  url: string;
  timeoutMs: number;
  options: Pick<AlertForwarderOptions, 'intervalMs' | 'consoleUrl' | 'deploymentLabels'>;
}

/** null when ALERTMANAGER_URL is empty (forwarding off). */
export function forwardingConfig(env: AlertmanagerEnv): ForwardingConfig | null {
  if (!env.ALERTMANAGER_URL) return null;
  return {
    url: env.ALERTMANAGER_URL,
    timeoutMs: env.ALERTMANAGER_TIMEOUT_MS,
    options: {
      intervalMs: env.ALERTMANAGER_INTERVAL_MS,
      consoleUrl: env.TRACEWATCH_CONSOLE_URL,
      deploymentLabels: env.ALERTMANAGER_LABELS ?? {},
    },
  };
}
