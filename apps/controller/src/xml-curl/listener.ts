import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { Form } from '../form.js';
import { CacheUnavailableError } from '../tenant-cache.js';
import type { Lookup } from './lookups.js';
import { parseRequestHead, type RequestHead } from './request-head.js';

// Every REGISTER and every call costs FreeSWITCH one mod_xml_curl request on a new TCP connection. Those requests
// are read here, straight off the socket, instead of through node:http and Fastify: measured on the lookup bench,
// that machinery cost more CPU per lookup than the directory and the routing engine together. The listener sits in
// front of the Fastify server on the same port: it reads a connection's request line, keeps the lookups, and hands
// every other connection (CDR posts, /explain, /metrics) to node:http untouched, bytes and all.

export type XmlCurlListenerOptions = {
  /** Path → lookup. Only these paths are served here. */
  routes: Record<string, Lookup>;
  allowed: (address: string | undefined) => boolean;
  /** Checks the Authorization header (the same check Fastify's routes get). */
  authorized: (header: string | undefined) => boolean;
  bodyLimit: number;
  /** A connection must have sent its whole request and been answered within this time. */
  timeoutMs: number;
  log: FastifyBaseLogger;
  /** Called once per lookup request answered (any status), for metrics. */
  onAnswer?: (path: string, status: number) => void;
};

export type XmlCurlListener = { close: () => void; stats: () => { open: number } };

/** Longest request head accepted (node:http's default too). */
const MAX_HEAD = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';
const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  405: 'Method Not Allowed',
  411: 'Length Required',
  413: 'Content Too Large',
  417: 'Expectation Failed',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'HTTP Version Not Supported',
};

const Phase = {
  /** Reading the request line: ours, or to be handed to node:http? */
  Sniff: 0,
  Head: 1,
  Body: 2,
  /** Waiting for the lookup (a tenant loading from the database). */
  Answering: 3,
  /** Answer written; waiting for the client to close. */
  Done: 4,
} as const;
type Phase = (typeof Phase)[keyof typeof Phase];

type Conn = {
  socket: Socket;
  phase: Phase;
  /** Before the body: what has arrived so far (the first chunk itself, or a view of `acc`). */
  buf: Buffer | undefined;
  /** Room for a head that arrives in pieces; grows by doubling, so a client dripping bytes costs linear time. */
  acc: Buffer | undefined;
  /** How far `buf` has been searched for the end of the request line or head. */
  scanned: number;
  /** In the Body phase, the chunks, joined once when the body is complete. */
  parts: Buffer[] | undefined;
  received: number;
  since: number;
  lookup: Lookup | undefined;
  /** The lookup path, once the request line named one. */
  path: string;
  head: RequestHead | undefined;
  bodyStart: number;
};

/** The Date header, made once per second as node:http does. */
let dateSecond = 0;
let dateValue = '';
function httpDate(): string {
  const s = Math.floor(Date.now() / 1000);
  if (s !== dateSecond) {
    dateSecond = s;
    dateValue = new Date(s * 1000).toUTCString();
  }
  return dateValue;
}

/** Appends a chunk to what a connection has before its body. */
function append(c: Conn, chunk: Buffer): void {
  const have = c.buf;
  if (!have) {
    c.buf = chunk;
    return;
  }
  const length = have.length + chunk.length;
  if (!c.acc || c.acc.length < length) {
    const next = Buffer.allocUnsafe(Math.max(length, 2 * (c.acc?.length ?? 1024)));
    have.copy(next);
    c.acc = next;
  }
  chunk.copy(c.acc, have.length);
  c.buf = c.acc.subarray(0, length);
}

/** The request target's path from a request line (`METHOD SP target SP version`), or '' if there is none yet. */
function pathOf(line: string): string {
  const sp = line.indexOf(' ');
  if (sp < 0) return '';
  const end = line.indexOf(' ', sp + 1);
  const target = line.slice(sp + 1, end < 0 ? undefined : end);
  const q = target.indexOf('?');
  return q < 0 ? target : target.slice(0, q);
}

/**
 * Puts the lookup listener in front of `server`'s connections. `server` must be a node:http server that has not
 * started listening; its own connection handling is kept for everything that is not a lookup.
 */
export function attachXmlCurlListener(server: Server, o: XmlCurlListenerOptions): XmlCurlListener {
  const httpListeners = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  const conns = new Map<Socket, Conn>();
  // A Map, not the object: a client's path must never reach `constructor` or `__proto__`.
  const routes = new Map(Object.entries(o.routes));

  const write = (c: Conn, status: number, body: string, type: string, extra = ''): void => {
    o.onAnswer?.(c.path, status);
    c.phase = Phase.Done;
    c.buf = undefined;
    c.acc = undefined;
    c.parts = undefined;
    if (c.socket.destroyed) return;
    c.socket.end(
      `HTTP/1.1 ${status} ${REASONS[status] ?? ''}\r\ndate: ${httpDate()}\r\ncontent-type: ${type}\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n${extra}\r\n${body}`,
    );
  };
  const refuse = (c: Conn, status: number, text: string, extra = ''): void =>
    write(c, status, `${text}\n`, 'text/plain', extra);

  const failed = (c: Conn, error: unknown): void => {
    if (error instanceof CacheUnavailableError) {
      // mod_xml_curl treats any non-200 as "no answer"; a 503 at least shows up in FreeSWITCH's log.
      o.log.error({ err: error.message }, 'lookup failed and nothing cached');
      return refuse(c, 503, 'configuration temporarily unavailable');
    }
    o.log.error({ err: error instanceof Error ? error.message : String(error) }, 'lookup failed');
    refuse(c, 500, 'internal error');
  };

  const answer = (c: Conn, lookup: Lookup, body: string): void => {
    c.phase = Phase.Answering;
    let out: string | Promise<string>;
    try {
      out = lookup(new Form(body));
    } catch (error) {
      return failed(c, error);
    }
    if (typeof out === 'string') return write(c, 200, out, 'text/xml');
    out.then(
      (xml) => write(c, 200, xml, 'text/xml'),
      (error: unknown) => failed(c, error),
    );
  };

  /** Not a lookup: node:http gets the connection with every byte read so far put back. */
  const handOff = (c: Conn): void => {
    const { socket } = c;
    conns.delete(socket);
    socket.removeListener('data', onData);
    socket.removeListener('close', onClose);
    socket.removeListener('error', onError);
    socket.pause();
    if (c.buf) socket.unshift(c.buf);
    c.buf = undefined;
    c.acc = undefined;
    for (const l of httpListeners) l.call(server, socket);
    socket.resume();
  };

  /** A complete head: check the caller, then wait for the body. */
  const onHead = (c: Conn, headEnd: number): void => {
    const buf = c.buf as Buffer;
    if (!o.allowed(c.socket.remoteAddress)) {
      o.log.warn({ ip: c.socket.remoteAddress }, 'xml_curl request from an address outside the allow-list');
      return refuse(c, 403, 'forbidden');
    }
    const head = parseRequestHead(buf.toString('latin1', 0, headEnd));
    if ('status' in head) return refuse(c, head.status, head.reason);
    if (!o.authorized(head.authorization))
      return refuse(c, 401, 'unauthorized', 'www-authenticate: Basic realm="pbx-controller"\r\n');
    if (head.method !== 'POST') return refuse(c, 405, 'lookups are POSTed', 'allow: POST\r\n');
    if (head.contentLength === undefined) return refuse(c, 411, 'Content-Length required');
    if (head.contentLength > o.bodyLimit) return refuse(c, 413, 'request body too large');
    c.head = head;
    c.bodyStart = headEnd + HEAD_END.length;
    c.phase = Phase.Body;
    c.parts = [buf];
    c.received = buf.length;
    c.buf = undefined;
    c.acc = undefined;
    if (head.expectContinue && buf.length < c.bodyStart + head.contentLength) c.socket.write(CONTINUE);
  };

  const bodyArrived = (c: Conn): void => {
    const end = c.bodyStart + (c.head?.contentLength ?? 0);
    if (c.received < end) return;
    const parts = c.parts as Buffer[];
    const all = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, c.received);
    c.parts = undefined;
    // Bytes past the body (a pipelined request) are dropped: the connection closes after the answer.
    answer(c, c.lookup as Lookup, all.toString('utf8', c.bodyStart, end));
  };

  const step = (c: Conn): void => {
    const buf = c.buf as Buffer;
    if (c.phase === Phase.Sniff) {
      const eol = buf.indexOf(CRLF, Math.max(0, c.scanned - 1));
      if (eol < 0) {
        c.scanned = buf.length;
        // No request line yet. Too long for one of ours: node:http answers whatever it is.
        if (buf.length > MAX_HEAD) handOff(c);
        return;
      }
      const path = pathOf(buf.toString('latin1', 0, eol));
      const lookup = routes.get(path);
      if (!lookup) return handOff(c);
      c.lookup = lookup;
      c.path = path;
      c.phase = Phase.Head;
      c.scanned = eol;
    }
    if (c.phase === Phase.Head) {
      const headEnd = buf.indexOf(HEAD_END, Math.max(0, c.scanned - 3));
      if (headEnd < 0 || headEnd > MAX_HEAD) {
        c.scanned = buf.length;
        if (headEnd > MAX_HEAD || buf.length > MAX_HEAD + HEAD_END.length)
          refuse(c, 431, 'request head too large');
        return;
      }
      onHead(c, headEnd);
    }
    if (c.phase === Phase.Body) bodyArrived(c);
  };

  function onData(this: Socket, chunk: Buffer): void {
    const c = conns.get(this);
    if (!c || c.phase >= Phase.Answering) return;
    if (c.phase === Phase.Body) {
      c.parts?.push(chunk);
      c.received += chunk.length;
      return bodyArrived(c);
    }
    append(c, chunk);
    step(c);
  }
  function onClose(this: Socket): void {
    conns.delete(this);
  }
  function onError(this: Socket): void {
    // A client that went away; 'close' follows.
  }

  server.on('connection', (socket: Socket) => {
    conns.set(socket, {
      socket,
      phase: Phase.Sniff,
      buf: undefined,
      acc: undefined,
      scanned: 0,
      parts: undefined,
      received: 0,
      since: Date.now(),
      lookup: undefined,
      path: '',
      head: undefined,
      bodyStart: 0,
    });
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onError);
  });

  // One sweep instead of a timer per connection. node:http applies its own time-outs once it has a connection.
  let closing = false;
  const sweep = setInterval(
    () => {
      const limit = Date.now() - o.timeoutMs;
      for (const [socket, c] of conns) if (c.since < limit) socket.destroy();
      if (closing && conns.size === 0) clearInterval(sweep);
    },
    Math.min(1000, o.timeoutMs),
  );
  sweep.unref();

  return {
    /**
     * For the server's close: drops connections still sending their request. Answers in progress are finished, and
     * the sweep keeps cutting off clients that do not close within the time-out.
     */
    close: () => {
      closing = true;
      for (const [socket, c] of conns) if (c.phase < Phase.Answering) socket.destroy();
    },
    stats: () => ({ open: conns.size }),
  };
}
