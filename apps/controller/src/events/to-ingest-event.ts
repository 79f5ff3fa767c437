import type { EslEvent as AdapterEvent } from '@pbx/esl';
import type { EslEvent as IngestEvent } from '@pbx/events-ingest';

/**
 * The one conversion point between the adapter and events-ingest: ingestion reads
 * FreeSWITCH's own header names (URL-decoded values) from the adapter's lazily
 * decoded header block, so no event's full header map is ever built here.
 */
export function toIngestEvent(event: AdapterEvent): IngestEvent {
  return event.rawHeaders;
}

/** The metric label of an event: its name, CUSTOM ones with their subclass. */
export function eventKind(event: AdapterEvent): string {
  const name = event.eventName === 'OTHER' ? event.name : event.eventName;
  const sub = 'subclass' in event ? event.subclass : undefined;
  return name === 'CUSTOM' && sub ? `CUSTOM ${sub}` : name;
}
