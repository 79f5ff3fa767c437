// Shared test support: capture files, a raw ESL frame splitter, a replay server and normalisation.
import { readFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../tests/fixtures/freeswitch/', import.meta.url));

export function capture(sub: 'esl_inbound' | 'esl_outbound', name: string, kind: 'rx' | 'tx' = 'rx'): Buffer {
  return readFileSync(`${root}${sub}/${name}.${kind}.raw`);
}

export interface RawFrame {
  headerText: string;
  headers: Array<[string, string]>;
  body: Buffer;
}

/** Splits a byte stream into ESL frames (header block + Content-Length bytes). */
export function splitFrames(data: Buffer): RawFrame[] {
  const frames: RawFrame[] = [];
  let i = 0;
  while (i < data.length) {
    const end = data.indexOf('\n\n', i);
    if (end === -1) throw new Error(`trailing bytes at ${i}`);
    const headerText = data.subarray(i, end).toString('utf8');
    const headers = headerText.split('\n').map((l) => {
      const at = l.indexOf(': ');
      return [l.slice(0, at), l.slice(at + 2)] as [string, string];
    });
    const cl = Number(headers.find(([n]) => n === 'Content-Length')?.[1] ?? '0');
    frames.push({ headerText, headers, body: data.subarray(end + 2, end + 2 + cl) });
    i = end + 2 + cl;
  }
  return frames;
}

export function header(f: RawFrame, name: string): string | undefined {
  return f.headers.find(([n]) => n === name)?.[1];
}

/** Random chunk sizes, 1..max bytes. */
export function randomChunks(data: Buffer, max: number): Buffer[] {
  const out: Buffer[] = [];
  let off = 0;
  while (off < data.length) {
    const n = 1 + Math.floor(Math.random() * max);
    out.push(data.subarray(off, off + n));
    off += n;
  }
  return out;
}

async function writeChunks(sock: Socket, chunks: Buffer[]): Promise<void> {
  for (const c of chunks) {
    if (sock.destroyed) return;
    sock.write(c);
    await new Promise((r) => setImmediate(r));
  }
}

/** A server that plays `data` to whoever connects (in random chunks) and then closes. */
export async function replayServer(
  data: Buffer,
  maxChunk: number,
): Promise<{ port: number; server: Server; received: Buffer[] }> {
  const received: Buffer[] = [];
  const server = createServer((sock) => {
    sock.on('data', (d: Buffer) => received.push(d));
    sock.on('error', () => undefined);
    void writeChunks(sock, randomChunks(data, maxChunk)).then(() => sock.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as AddressInfo).port, server, received };
}

/** Connects to a server like FreeSWITCH's outbound socket and plays `data` (random chunks), then closes. */
export async function replayClient(port: number, data: Buffer, maxChunk: number): Promise<Socket> {
  const sock = connect({ port, host: '127.0.0.1' });
  sock.on('error', () => undefined);
  await new Promise<void>((r) => sock.once('connect', () => r()));
  // FreeSWITCH stays silent until the controller's `connect`; wait for it.
  await new Promise<void>((r) => sock.once('data', () => r()));
  await writeChunks(sock, randomChunks(data, maxChunk));
  sock.end();
  return sock;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Values that legitimately differ between two runs. */
const VOLATILE = new Set([
  'Core-UUID',
  'Event-Date-Local',
  'Event-Date-GMT',
  'Event-Date-Timestamp',
  'Event-Sequence',
  'FreeSWITCH-IPv4',
  'FreeSWITCH-IPv6',
  'FreeSWITCH-Hostname',
  'FreeSWITCH-Switchname',
]);

export function normaliseValue(name: string, value: string): string {
  if (VOLATILE.has(name) || VOLATILE.has(name.replace(/^variable_/, ''))) return '<v>';
  if (
    /(?:Time|Timestamp|stamp|epoch|uepoch|sec|msec|usec|duration|_ms|_samples|_seconds|offset_pos|Hold-Accum|ssrc|_port|sdp_str|call_id|_tag|full_via|full_from|full_to|Uptime|Up-Time|Idle-CPU)$/i.test(
      name,
    )
  )
    return '<n>';
  return value.replace(UUID, '<uuid>').replace(/\d{10,}/g, '<n>');
}
