import { headerString, PlainFrameEvent, type ModeslEvent } from './modesl.js';
import type { RawEslEvent } from './events.js';

/** Flattens a modesl event (plain or json) into a decoded header map and body. */
export function toRawEvent(event: ModeslEvent): RawEslEvent {
  const headers = (event instanceof PlainFrameEvent ? event.stringHeaders() : undefined) ?? fromArray(event);
  return {
    name: headers['Event-Name'] ?? '',
    subclass: headers['Event-Subclass'],
    headers,
    body: typeof event.body === 'string' ? event.body : '',
  };
}

export function isEventContentType(ct: unknown): boolean {
  return ct === 'text/event-plain' || ct === 'text/event-json' || ct === 'text/event-xml';
}

function fromArray(event: ModeslEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of event.headers) headers[h.name] = headerString(h.value);
  return headers;
}
