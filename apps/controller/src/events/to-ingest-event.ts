import type { EslEvent as AdapterEvent, RawEslEvent } from '@pbx/esl';
import type { EslHeaders } from '@pbx/events-ingest';

/**
 * The one conversion point between the adapter and events-ingest: ingestion reads
 * FreeSWITCH's own header names (URL-decoded values) from the adapter's lazily
 * decoded header block, so no event's full header map is ever built here.
 */
export function toIngestEvent(event: AdapterEvent | RawEslEvent): EslHeaders {
  return 'rawHeaders' in event ? event.rawHeaders : event.headers;
}

/** The metric label of an event: its name, CUSTOM ones with their subclass. */
export function eventKind(event: RawEslEvent): string {
  return event.name === 'CUSTOM' && event.subclass ? `CUSTOM ${event.subclass}` : event.name;
}
