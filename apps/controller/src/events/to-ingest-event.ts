import type { EslEvent as AdapterEvent } from '@pbx/esl';
import type { EslEvent as IngestEvent } from '@pbx/events-ingest';

/**
 * The one conversion point between the adapter and events-ingest: ingestion reads
 * FreeSWITCH's own header names (URL-decoded values), which every adapter event
 * carries next to its typed fields.
 */
export function toIngestEvent(event: AdapterEvent): IngestEvent {
  return event.headers;
}

/** The metric label of an event: its name, CUSTOM ones with their subclass. */
export function eventKind(event: AdapterEvent): string {
  const name = event.headers['Event-Name'] ?? (event.eventName === 'OTHER' ? event.name : event.eventName);
  const sub = event.headers['Event-Subclass'];
  return name === 'CUSTOM' && sub ? `CUSTOM ${sub}` : name;
}
