// What an EslNode is configured with and what it reports; the defaults in one place.
import { defaultBackoff, type BackoffOptions } from './backoff.js';
import type { BackgroundJobEvent } from './events.js';

export interface EslNodeOptions {
  /** Name used in metrics and errors, e.g. "fs-01". */
  name: string;
  host: string;
  port: number;
  password: string;
  /** Reply time-out for api and plain commands. */
  commandTimeoutMs?: number;
  /** Time-out for a bgapi job's BACKGROUND_JOB. */
  bgapiTimeoutMs?: number;
  /** Time-out for execute() to see CHANNEL_EXECUTE_COMPLETE. */
  executeTimeoutMs?: number;
  /** From TCP connect to `+OK accepted` and subscriptions sent. */
  connectTimeoutMs?: number;
  /** Reconnect if nothing at all arrives for this long (FreeSWITCH sends HEARTBEAT every 20 s). Default 65 s; 0 = off. */
  livenessTimeoutMs?: number;
  /** Treat the node as dead and reconnect after this many command time-outs in a row. 0 = never. */
  maxConsecutiveTimeouts?: number;
  backoff?: BackoffOptions;
  /** Event names to subscribe to, beyond the ones the adapter needs itself. */
  events?: readonly string[];
  /** CUSTOM subclasses to subscribe to (e.g. sofia::register). */
  subclasses?: readonly string[];
}

export type ResolvedNodeOptions = Required<Omit<EslNodeOptions, 'events' | 'subclasses'>>;

export function resolveNodeOptions(options: EslNodeOptions): ResolvedNodeOptions {
  return {
    name: options.name,
    host: options.host,
    port: options.port,
    password: options.password,
    commandTimeoutMs: options.commandTimeoutMs ?? 10_000,
    bgapiTimeoutMs: options.bgapiTimeoutMs ?? 60_000,
    executeTimeoutMs: options.executeTimeoutMs ?? 600_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    livenessTimeoutMs: options.livenessTimeoutMs ?? 65_000,
    maxConsecutiveTimeouts: options.maxConsecutiveTimeouts ?? 3,
    backoff: options.backoff ?? defaultBackoff,
  };
}

export type EslNodeState = 'idle' | 'connecting' | 'ready' | 'disconnected' | 'closed';

export interface EslNodeStats {
  state: EslNodeState;
  connectAttempts: number;
  connects: number;
  disconnects: number;
  authFailures: number;
  commandTimeouts: number;
  parseErrors: number;
  eventsReceived: Record<string, number>;
}

export interface BgapiResult {
  jobUuid: string;
  /** The command output, exactly as FreeSWITCH printed it. */
  body: string;
  /** False when the output starts with -ERR (FreeSWITCH still sends a BACKGROUND_JOB for failures). */
  ok: boolean;
  event: BackgroundJobEvent;
}

/** Events the adapter always subscribes to: bgapi and execute depend on them. */
export const REQUIRED_EVENTS = ['BACKGROUND_JOB', 'CHANNEL_EXECUTE_COMPLETE', 'HEARTBEAT'];

export function eventCommand(events: readonly string[], subclasses: readonly string[]): string {
  const names = events.filter((e) => e !== 'CUSTOM');
  const custom = subclasses.length > 0 ? ['CUSTOM', ...subclasses] : [];
  // FreeSWITCH treats every word after CUSTOM as a subclass, so CUSTOM goes last.
  return `event plain ${[...names, ...custom].join(' ')}`;
}
