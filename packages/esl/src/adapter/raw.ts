import { EventHeaders } from '../wire/headers.js';
import { headerString, PlainFrameEvent, type ModeslEvent } from './modesl.js';
import type { RawEslEvent } from './events.js';

/** A modesl event (plain or json) as the header block and body the typed parsers read. */
export function toRawEvent(event: ModeslEvent): RawEslEvent {
  const headers =
    (event instanceof PlainFrameEvent ? event.headerBlock() : undefined) ??
    EventHeaders.fromRecord(fromArray(event));
  const name = headers.eventName() ?? '';
  return {
    name,
    // Only CUSTOM events have one; asking any other event would index its whole block.
    subclass: name === 'CUSTOM' ? headers.get('Event-Subclass') : undefined,
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
