// Where one node's events go: counted by name, handed raw and typed to their listeners, and to the bgapi
// job or execute() call waiting for exactly that event.
import {
  EslEventParseError,
  toTypedEvent,
  type BackgroundJobEvent,
  type ChannelExecuteCompleteEvent,
  type EslEvent,
  type RawEslEvent,
} from './events.js';
import { EventListeners } from './listeners.js';
import type { ModeslEvent } from './modesl.js';
import { isEventContentType, toRawEvent } from './raw.js';

export class EventDispatch {
  /** bgapi calls waiting for their BACKGROUND_JOB, by Job-UUID. */
  readonly jobs = new Map<string, (e: BackgroundJobEvent) => void>();
  /** execute() calls waiting for their CHANNEL_EXECUTE_COMPLETE, by Application-UUID. */
  readonly executions = new Map<string, (e: ChannelExecuteCompleteEvent) => void>();
  readonly typed = new EventListeners<EslEvent>();
  readonly raw = new EventListeners<RawEslEvent>();
  readonly received: Record<string, number> = {};
  parseErrors = 0;

  /** `onError`: an event that failed validation. */
  constructor(private readonly onError: (err: Error) => void) {}

  /** Every frame of the connection; only event frames are dispatched. */
  frame(event: ModeslEvent, headers: Record<string, unknown>): void {
    if (!isEventContentType(headers['Content-Type'])) return;
    const raw = toRawEvent(event);
    const key = raw.subclass ? `${raw.name}::${raw.subclass}` : raw.name;
    this.received[key] = (this.received[key] ?? 0) + 1;
    const forJob = raw.name === 'BACKGROUND_JOB' && this.jobs.size > 0;
    const forExecution = raw.name === 'CHANNEL_EXECUTE_COMPLETE' && this.executions.size > 0;
    if (this.raw.size > 0) this.raw.emit(raw.name, raw);
    // Typing reads (and so indexes) the event's headers: skip it for events nobody is waiting for.
    if (!forJob && !forExecution && !this.typed.wanted(raw.name)) return;
    let typed: EslEvent;
    try {
      typed = toTypedEvent(raw);
    } catch (err) {
      this.parseErrors++;
      this.onError(err instanceof EslEventParseError ? err : new Error(String(err)));
      return;
    }
    if (typed.eventName === 'BACKGROUND_JOB') this.jobs.get(typed.jobUuid)?.(typed);
    if (typed.eventName === 'CHANNEL_EXECUTE_COMPLETE' && typed.applicationUuid)
      this.executions.get(typed.applicationUuid)?.(typed);
    this.typed.emit(raw.name, typed);
  }
}
