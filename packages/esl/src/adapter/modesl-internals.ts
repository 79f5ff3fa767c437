// Everything the adapter takes from modesl beyond its documented API, in one place. modesl is plain JS
// without types, so the types below are the complete list: adapter code can only reach a private member
// (`_onData`, `_parseHeaderText`, ...) or an internal file that is declared here. Each is checked when this
// module loads (a missing member stops start-up with one clear error instead of a socket that silently
// parses nothing), and test/modesl-internals.test.ts checks the exact version and the behaviour the
// subclasses in modesl.ts rely on, so an upgrade of modesl fails loudly in the tests first.
import { createRequire } from 'node:module';
import type { Server as NetServer, Socket } from 'node:net';

/** The modesl release whose internals this file describes (package.json pins it exactly). */
export const MODESL_VERSION = '1.2.1';

export interface ModeslHeader {
  name: string;
  value: unknown;
}

export interface ModeslEvent {
  headers: ModeslHeader[];
  body: string;
  getHeader(name: string): string | undefined;
  getBody(): string;
}

/** Our addition to modesl's connection: every frame, before modesl dispatches it. */
export type FrameHook = (
  event: ModeslEvent,
  headers: Record<string, unknown>,
  body: string | undefined,
) => void;
type Listener = (...args: never[]) => void;

export interface ModeslConnection {
  socket: Socket | null;
  channelData: ModeslEvent | null;
  cmdCallbackQueue: unknown[];
  apiCallbackQueue: unknown[];
  sendRecv(command: string, args: Record<string, string> | null, cb: (evt: ModeslEvent) => void): void;
  api(command: string, cb: (evt: ModeslEvent) => void): void;
  send(command: string, args?: Record<string, string>): void;
  execute(app: string, arg: string, uuid: string, cb: (evt: ModeslEvent) => void): string;
  execute(app: string, arg: string, cb: (evt: ModeslEvent) => void): string;
  filter(header: string, value: string, cb: (evt: ModeslEvent) => void): void;
  getInfo(): ModeslEvent | null;
  disconnect(): void;
  on(event: string, fn: Listener): void;
  once(event: string, fn: Listener): void;
  removeAllListeners(event?: string): void;
  listeners(event: string): unknown[];
  listenersAny?(): unknown[];
  frameHook?: FrameHook | undefined;
}

export interface ModeslParser {
  on(event: string, fn: Listener): void;
}

export interface ModeslModule {
  Connection: {
    new (host: string, port: number, password: string, ready?: () => void): ModeslConnection;
    new (socket: Socket, ready?: () => void): ModeslConnection;
  };
  Server: new (
    opts: { port: number; host: string; myevents?: boolean },
    ready?: () => void,
  ) => {
    on(event: string, fn: (conn: ModeslConnection, id: string) => void): void;
    close(cb?: () => void): void;
    server: NetServer;
  };
}

/**
 * lib/esl/Parser.js. Its constructor binds `this._onData` to the socket's 'data' (so a subclass's
 * `_onData` receives every chunk); `_parseEvent(headers, body)` builds an Event and emits `esl::event`.
 */
export type ParserCtor = new (socket: Socket) => ModeslParser & {
  _onData(chunk: Buffer): void;
  _parseHeaderText(txt: string): Record<string, unknown>;
  _parseEvent(headers: Record<string, unknown>, body?: string): void;
  emit(event: string, ...args: unknown[]): void;
};

/** lib/esl/Event.js. Its constructor assigns `headers` and `body`, and `type`/`subclass` are plain fields. */
export type ModeslEventCtor = new () => ModeslEvent & {
  type: string;
  subclass: string | null | undefined;
  addHeader(name: string, value: unknown): unknown;
};

/**
 * lib/esl/Connection.js. An outbound connection (constructed with a socket) calls `this._onConnect()`,
 * then `sendRecv('connect')` and `this.subscribe(...)`; an inbound one calls `_onConnect` when the TCP
 * connect completes. `_onConnect` builds the parser and wires `esl::event` to `_onEvent`.
 */
export type ConnectionCtor = new (...args: unknown[]) => ModeslConnection & {
  parser: ModeslParser;
  connecting: boolean;
  _onConnect(): void;
  subscribe(events: unknown, cb?: () => void): void;
  _onEvent(event: ModeslEvent, headers: Record<string, unknown>, body?: string): void;
  _onError(err: Error): void;
  auth(): void;
  emit(event: string, ...args: unknown[]): void;
};

const require = createRequire(import.meta.url);

/** The version actually installed. */
export const installedModeslVersion = (require('modesl/package.json') as { version: string }).version;
/** Unmodified modesl (its documented entry point). */
export const rawModesl = require('modesl') as ModeslModule;
export const RawParser = require('modesl/lib/esl/Parser.js') as ParserCtor;
export const RawEvent = require('modesl/lib/esl/Event.js') as ModeslEventCtor;
export const RawConnection = rawModesl.Connection as unknown as ConnectionCtor;

/** The members of each class the adapter calls or overrides. */
export const REQUIRED_MEMBERS = {
  Parser: ['_onData', '_parseHeaderText', '_parseEvent', 'emit', 'on'],
  Event: ['getHeader', 'getBody', 'addHeader'],
  Connection: [
    '_onConnect',
    '_onEvent',
    '_onError',
    'auth',
    'subscribe',
    'sendRecv',
    'api',
    'send',
    'filter',
    'getInfo',
    'disconnect',
    'emit',
    'on',
    'once',
    'removeAllListeners',
    'listeners',
  ],
} as const;

type Classes = Record<keyof typeof REQUIRED_MEMBERS, { prototype: unknown }>;

/** What is missing from the given classes (empty when they have every member the adapter relies on). */
export function missingMembers(classes: Classes): string[] {
  const missing: string[] = [];
  for (const [cls, members] of Object.entries(REQUIRED_MEMBERS) as Array<
    [keyof Classes, readonly string[]]
  >) {
    const proto = classes[cls].prototype as Record<string, unknown>;
    for (const m of members) if (typeof proto[m] !== 'function') missing.push(`${cls}.prototype.${m}`);
  }
  return missing;
}

const missing = missingMembers({ Parser: RawParser, Event: RawEvent, Connection: RawConnection });
if (missing.length > 0) {
  throw new Error(
    `modesl ${installedModeslVersion} lacks what @pbx/esl relies on (written for ${MODESL_VERSION}): ` +
      `${missing.join(', ')}. See packages/esl/src/adapter/modesl-internals.ts.`,
  );
}
