import { connect, type Socket } from 'node:net';

export type Reply = {
  /** Status of the final (non-1xx) answer; 0 if none arrived before the connection closed. */
  status: number;
  head: string;
  body: string;
  /** Every byte received, interim answers included. */
  raw: string;
  /** The server closed (or reset) the connection before a complete answer arrived or right after it. */
  closed: boolean;
};

/** The first complete final answer in `raw` (by Content-Length), or null while it is still arriving. */
function finalAnswer(raw: Buffer): { status: number; head: string; body: string } | null {
  let at = 0;
  for (;;) {
    const sep = raw.indexOf('\r\n\r\n', at);
    if (sep < 0) return null;
    const head = raw.toString('latin1', at, sep);
    const status = Number(head.slice(9, 12));
    if (status >= 100 && status < 200) {
      at = sep + 4;
      continue;
    }
    const length = Number(/^content-length: *(\d+)/im.exec(head)?.[1] ?? 0);
    if (raw.length < sep + 4 + length) return null;
    return { status, head, body: raw.toString('utf8', sep + 4, sep + 4 + length) };
  }
}

/**
 * Sends `parts` on a new connection (optionally from `localAddress`, e.g. 127.0.0.2) and resolves with the first
 * complete answer (with `untilClose`, once the server has closed the connection), or when the server closes the
 * connection. No timer: a test's own time-out bounds the wait.
 * `gapMs` paces the parts so each tends to arrive as its own TCP segment.
 */
export function exchange(
  port: number,
  parts: (string | Buffer)[],
  o: { gapMs?: number; localAddress?: string; untilClose?: boolean } = {},
): Promise<Reply> {
  return new Promise<Reply>((resolve) => {
    const socket = connect({
      port,
      host: '127.0.0.1',
      ...(o.localAddress ? { localAddress: o.localAddress } : {}),
    });
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (closed: boolean) => {
      if (settled) return;
      const raw = Buffer.concat(chunks);
      const answer = finalAnswer(raw);
      if (!closed && (!answer || o.untilClose)) return;
      settled = true;
      socket.destroy();
      resolve({ ...(answer ?? { status: 0, head: '', body: '' }), raw: raw.toString('utf8'), closed });
    };
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      settle(false);
    });
    // A reset is the server closing too (e.g. a connection over the per-address cap).
    socket.on('error', () => settle(true));
    socket.on('close', () => settle(true));
    void (async () => {
      for (const p of parts) {
        if (socket.destroyed) return;
        socket.write(p);
        if (o.gapMs) await new Promise((r) => setTimeout(r, o.gapMs));
      }
    })();
  });
}

/** Resolves once the server has closed (or reset) the connection. */
export function untilClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.on('error', () => {});
    socket.once('close', () => resolve());
    // Whatever the server still says (a 408) must be read, or the end of the stream is never reached.
    socket.resume();
  });
}

/**
 * A slow-body probe: a POST that announces `Content-Length: 100` and sends 10 bytes, then waits until the server
 * closes the connection (a test's own time-out bounds the wait). `headers` are extra header lines, each ending CRLF.
 */
export function sendShortBody(port: number, path: string, headers = ''): Promise<Reply> {
  return exchange(
    port,
    [`POST ${path} HTTP/1.1\r\nHost: x\r\n${headers}Content-Length: 100\r\n\r\n0123456789`],
    { untilClose: true },
  );
}

/** The server gave up on the request: closed, with node:http's 408 or nothing at all. */
export const cutOff = (r: Reply): boolean => r.closed && (r.status === 408 || r.status === 0);
