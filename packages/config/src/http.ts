import type { z } from 'zod';
import { env } from './fragments.js';

/** How long an HTTP server waits for a client: the defences against slow heads, slow bodies and idle sockets. */
export type HttpTimeouts = {
  /** The whole request (head and body) must have arrived within this time, or the connection is closed. */
  requestTimeoutMs: number;
  /** The head must have arrived within this time. At most requestTimeoutMs. */
  headersTimeoutMs: number;
  /** An idle kept-alive connection is closed after this time. */
  keepAliveTimeoutMs: number;
};

/**
 * The three variables of one server, named `<prefix>_REQUEST_TIMEOUT_MS`, `_HEADERS_TIMEOUT_MS` and
 * `_KEEP_ALIVE_TIMEOUT_MS`, for an app's config schema. 100 ms to 1 hour each.
 */
export function httpTimeoutsEnv<P extends string>(
  prefix: P,
  defaults: { request: number; headers: number; keepAlive: number },
) {
  const ms = (fallback: number) => env.int(fallback, 100, 3_600_000);
  return {
    [`${prefix}_REQUEST_TIMEOUT_MS`]: ms(defaults.request),
    [`${prefix}_HEADERS_TIMEOUT_MS`]: ms(defaults.headers),
    [`${prefix}_KEEP_ALIVE_TIMEOUT_MS`]: ms(defaults.keepAlive),
  } as Record<`${P}_${'REQUEST' | 'HEADERS' | 'KEEP_ALIVE'}_TIMEOUT_MS`, z.ZodDefault<z.ZodCoercedNumber>>;
}

/** Reads a parsed config's three values (see httpTimeoutsEnv); refuses a head time-out longer than the request's. */
export function httpTimeoutsOf<P extends string>(
  prefix: P,
  config: Record<`${P}_${'REQUEST' | 'HEADERS' | 'KEEP_ALIVE'}_TIMEOUT_MS`, number>,
): HttpTimeouts {
  return {
    requestTimeoutMs: config[`${prefix}_REQUEST_TIMEOUT_MS`],
    headersTimeoutMs: config[`${prefix}_HEADERS_TIMEOUT_MS`],
    keepAliveTimeoutMs: config[`${prefix}_KEEP_ALIVE_TIMEOUT_MS`],
  };
}

/**
 * node:http server options for these time-outs. node:http enforces the head and request time-outs only when it
 * checks its connections (every 30 s by default), so a client could hold a socket for the time-out plus 30 s; the
 * check runs here at a quarter of the shorter time-out (at most once a second), which bounds the wait to about
 * 1.25× the time-out.
 */
export function nodeHttpTimeouts(t: HttpTimeouts): {
  requestTimeout: number;
  headersTimeout: number;
  keepAliveTimeout: number;
  connectionsCheckingInterval: number;
} {
  const headers = Math.min(t.headersTimeoutMs, t.requestTimeoutMs);
  return {
    requestTimeout: t.requestTimeoutMs,
    headersTimeout: headers,
    keepAliveTimeout: t.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(headers / 4))),
  };
}

/** Fastify's options for these time-outs (Fastify sets request and keep-alive time-outs itself after creating the server). */
export function fastifyTimeouts(t: HttpTimeouts): {
  requestTimeout: number;
  keepAliveTimeout: number;
  http: ReturnType<typeof nodeHttpTimeouts>;
} {
  const http = nodeHttpTimeouts(t);
  return { requestTimeout: http.requestTimeout, keepAliveTimeout: http.keepAliveTimeout, http };
}
