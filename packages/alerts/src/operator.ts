/**
 * An operator's change of an alert, as the CLI and the API ask for it: read the alert's version,
 * check the move with the lifecycle's own rules (a move it refuses is answered at once, nothing
 * sent), send a `transition` command and wait for the keeper's answer. The keeper is the only
 * judge: two operators who read the same version both send, and the second gets `conflict`.
 */
import { ALERT_SCHEMA_VERSION, type Alert, type AlertCommand, alertCommandSchema } from '@tracewatch/schema';
import type { Store } from '@tracewatch/store';
import { applyCommand, type OperatorState } from './lifecycle.js';
import { newCommandId } from './messages.js';
import { awaitCommandResult, type CommandOutcome, getAlert } from './repository.js';

export interface TransitionRequest {
  fingerprint: string;
  to: OperatorState;
  by: string;
  note?: string | undefined;
  /** The version the operator saw; absent: the version read now. */
  expectedVersion?: number | undefined;
  /** How long to wait for the keeper (CommandTimeoutError after it). */
  timeoutMs: number;
  /** Command id prefix (who sent it: `cli`, `api`). */
  origin: string;
}

export type TransitionOutcome =
  | { outcome: 'accepted'; before: Alert; version: number; changeId: string; commandId: string }
  /** Refused before sending (no alert, a bad note or name, a move the lifecycle forbids, a stale version) or by the keeper. */
  | {
      outcome: Exclude<CommandOutcome, 'accepted'> | 'invalid-transition';
      message: string;
      before?: Alert | undefined;
      /** False when refused here, before anything was sent. */
      sent: boolean;
    };

/**
 * Asks for `request.to` on the alert and returns the answer. `send` puts the command on
 * `alert-commands` (e.g. `sendAlertCommands` with a producer); it is called only when the move
 * passes the local checks.
 */
export async function requestTransition(
  store: Store,
  send: (command: AlertCommand) => Promise<void>,
  request: TransitionRequest,
): Promise<TransitionOutcome> {
  const { fingerprint } = request;
  const before = await getAlert(store, fingerprint);
  if (!before) return { outcome: 'unknown-alert', message: `no alert ${fingerprint}`, sent: false };
  const parsed = alertCommandSchema.safeParse({
    kind: 'transition',
    schemaVersion: ALERT_SCHEMA_VERSION,
    commandId: newCommandId(request.origin),
    fingerprint,
    to: request.to,
    expectedVersion: request.expectedVersion ?? before.version,
    by: request.by,
    note: request.note ?? '',
    at: new Date().toISOString(),
  });
  if (!parsed.success)
    return {
      outcome: 'invalid',
      message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      before,
      sent: false,
    };
  const command = parsed.data;
  const local = applyCommand(before, command, [], new Date());
  if ('error' in local) {
    const { code, message } = local.error;
    return { outcome: code, message, before, sent: false };
  }
  await send(command);
  const result = await awaitCommandResult(store, command.commandId, { timeoutMs: request.timeoutMs });
  if (result.outcome === 'accepted')
    return {
      outcome: 'accepted',
      before,
      version: result.version,
      changeId: result.changeId,
      commandId: command.commandId,
    };
  return { outcome: result.outcome, message: result.message, before, sent: true };
}
