// `sendmsg` to a channel (mod_event_socket.c parse_command / switch_ivr.c switch_ivr_parse_event): execute an
// application or hang up; the effect happens after the +OK reply is written.
import { randomUUID } from 'node:crypto';
import type { CallRuntime } from './engine.js';

export function sendmsg(rt: CallRuntime, headers: Map<string, string>, body: string | undefined): string {
  const command = headers.get('call-command');
  if (command === 'execute') {
    const app = headers.get('execute-app-name') ?? '';
    const arg =
      headers.get('execute-app-arg') ?? (headers.get('content-type') === 'text/plain' ? (body ?? '') : '');
    const appUuid = headers.get('event-uuid') ?? randomUUID();
    // The reply is written first; the app runs from the park loop afterwards.
    setImmediate(() => rt.enqueue({ app, data: arg, appUuid, viaSendmsg: true }));
  } else if (command === 'hangup') {
    const cause = headers.get('hangup-cause') ?? 'NORMAL_CLEARING';
    setImmediate(() => rt.hangup(cause));
  }
  return '+OK';
}
