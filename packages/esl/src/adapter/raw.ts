import { EventHeaders } from '../wire/headers.js';
import { headerString, PlainFrameEvent, type ModeslEvent } from './modesl.js';
import type { RawEslEvent } from './events.js';

/**
 * A modesl event as the header block and body the typed parsers read. The body is read when asked for:
 * finding it means scanning the whole header block, which channel events (no body) never need.
 */
class FrameEvent implements RawEslEvent {
  readonly name: string;
  readonly subclass: string | undefined;
  readonly headers: EventHeaders;
  private readonly source: ModeslEvent;

  constructor(source: ModeslEvent, headers: EventHeaders) {
    this.source = source;
    this.headers = headers;
    this.name = headers.eventName() ?? '';
    // Only CUSTOM events have one; asking any other event would index its whole block.
    this.subclass = this.name === 'CUSTOM' ? headers.get('Event-Subclass') : undefined;
  }

  get body(): string {
    const body = this.source.body;
    return typeof body === 'string' ? body : '';
  }
}

/** A modesl event (plain or json) as a RawEslEvent. */
export function toRawEvent(event: ModeslEvent): RawEslEvent {
  const block = event instanceof PlainFrameEvent ? event.headerBlock() : undefined;
  return new FrameEvent(event, block ?? EventHeaders.fromRecord(fromArray(event)));
}

export function isEventContentType(ct: unknown): boolean {
  return ct === 'text/event-plain' || ct === 'text/event-json' || ct === 'text/event-xml';
}

function fromArray(event: ModeslEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of event.headers) headers[h.name] = headerString(h.value);
  return headers;
}
