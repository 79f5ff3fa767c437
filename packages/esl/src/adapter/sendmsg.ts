import type { ModeslEvent } from './modesl.js';

export interface ExecuteOptions {
  /** `event-lock: true`: the next queued message waits until this app finishes. */
  eventLock?: boolean;
  /** `async: true`: queue even on a synchronous outbound socket. */
  async?: boolean;
  loops?: number;
  timeoutMs?: number;
}

export function buildSendmsg(
  app: string,
  arg: string | undefined,
  eventUuid: string,
  o: ExecuteOptions,
): Record<string, string> {
  const h: Record<string, string> = { 'call-command': 'execute', 'execute-app-name': app };
  if (arg !== undefined && arg !== '') h['execute-app-arg'] = arg;
  if (o.eventLock) h['event-lock'] = 'true';
  if (o.async) h['async'] = 'true';
  if (o.loops !== undefined) h['loops'] = String(o.loops);
  h['Event-UUID'] = eventUuid;
  return h;
}

export function replyText(evt: ModeslEvent): string {
  return evt.getHeader('Reply-Text') ?? '';
}
