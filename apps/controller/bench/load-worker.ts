// Load generator for xml-curl.bench.ts, in its own thread so the client does not share the server's event loop.
// Every request is what mod_xml_curl does: a new TCP connection, the exact request bytes, the whole answer read,
// then the connection closed; each connection sends its next request as soon as its answer is in. On a 2-core machine the client runs beside the server, so it is kept lean: no timer,
// header map or string conversion per request; the answer is checked on its bytes. Its own garbage-collection
// pauses delay the requests of whichever server it drives, so it also keeps its garbage small and short-lived: the request bytes come in shared memory (each round used to start with a copy of
// them, 13 MB for dialplan bodies), and the requests in flight sit in fixed slots rather than a Map.
import { connect } from 'node:net';
import { parentPort } from 'node:worker_threads';

/** Request bytes packed into one shared buffer, which a worker receives without a copy. */
export type RequestSet = { data: SharedArrayBuffer; ends: Uint32Array };

export function packRequests(requests: Uint8Array[]): RequestSet {
  const ends = new Uint32Array(requests.length);
  let at = 0;
  requests.forEach((r, i) => (ends[i] = at += r.byteLength));
  const data = new SharedArrayBuffer(at);
  const bytes = new Uint8Array(data);
  requests.forEach((r, i) => bytes.set(r, (ends[i] ?? 0) - r.byteLength));
  return { data, ends };
}

export type LoadJob = {
  port: number;
  requests: RequestSet;
  durationMs: number;
  /** At most this many requests (= connections) in flight. */
  concurrency: number;
  expect: string;
  /** true: the body must be exactly `expect`; false: it must contain it. */
  exact: boolean;
};

export type LoadResult = {
  requests: number;
  errors: number;
  seconds: number;
  /** Milliseconds, ascending, one per request. */
  latencies: Float64Array;
};

const TIMEOUT_MS = 3000; // mod_xml_curl's timeout in our binding
const HEAD_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = Buffer.from('\r\ncontent-length:');

/** The body's length from the head, or -1. Fastify writes the header in lower case. */
function contentLength(buf: Buffer, headEnd: number): number {
  const at = buf.indexOf(CONTENT_LENGTH);
  if (at < 0 || at > headEnd) return -1;
  let i = at + CONTENT_LENGTH.length;
  while (buf[i] === 0x20) i++;
  let n = 0;
  for (let c = buf[i]; c !== undefined && c >= 0x30 && c <= 0x39; c = buf[++i]) n = n * 10 + c - 0x30;
  return n;
}

type Check = (body: Buffer) => boolean;

/** One lookup on a new connection; `done(ok)` is called exactly once. Returns a function that aborts it. */
function lookup(port: number, bytes: Buffer, check: Check, done: (ok: boolean) => void): () => void {
  const socket = connect(port, '127.0.0.1');
  let buf: Buffer | undefined;
  let finished = false;
  const finish = (ok: boolean) => {
    if (finished) return;
    finished = true;
    socket.destroy();
    done(ok);
  };
  socket.on('error', () => finish(false));
  socket.on('end', () => finish(false));
  socket.on('data', (chunk: Buffer) => {
    buf = buf ? Buffer.concat([buf, chunk]) : chunk;
    const headEnd = buf.indexOf(HEAD_END);
    if (headEnd < 0) return;
    const length = contentLength(buf, headEnd);
    const bodyStart = headEnd + HEAD_END.length;
    if (length < 0) return finish(false); // not Fastify's answer
    if (buf.length < bodyStart + length) return;
    // "HTTP/1.1 200 "
    const ok = buf[9] === 0x32 && buf[10] === 0x30 && buf[11] === 0x30;
    finish(ok && check(buf.subarray(bodyStart, bodyStart + length)));
  });
  socket.write(bytes);
  return () => finish(false);
}

function run(job: LoadJob): Promise<LoadResult> {
  // Views on the shared bytes, made once per job: no copy.
  const { data, ends } = job.requests;
  const requests = Array.from(ends, (end, i) => {
    const start = i === 0 ? 0 : (ends[i - 1] ?? 0);
    return Buffer.from(data, start, end - start);
  });
  const expect = Buffer.from(job.expect);
  const check: Check = job.exact ? (b) => b.equals(expect) : (b) => b.includes(expect);
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  let inFlight = 0;
  const start = performance.now();
  const deadline = start + job.durationMs;
  // One sweep for time-outs instead of a timer per connection, over one slot per connection. (With a Map keyed by
  // a growing request id, three times as much survived this thread's young-generation collections, measured with
  // --trace-gc-nvp, and their pauses reached 9 ms.)
  const sentAt = new Float64Array(job.concurrency);
  const aborts: ((() => void) | undefined)[] = Array.from({ length: job.concurrency }, () => undefined);
  const freeSlots = Array.from({ length: job.concurrency }, (_, i) => i);
  const sweep = setInterval(() => {
    const now = performance.now();
    aborts.forEach((abort, i) => {
      if (abort && now - (sentAt[i] ?? now) > TIMEOUT_MS) abort();
    });
  }, 250);

  return new Promise((resolve) => {
    let finishedAt = 0;
    const complete = () => {
      clearInterval(sweep);
      latencies.sort((a, b) => a - b);
      resolve({
        requests: latencies.length,
        errors,
        seconds: ((finishedAt || performance.now()) - start) / 1000,
        latencies: Float64Array.from(latencies),
      });
    };
    /** Sends one request; its latency counts from `since`. */
    const send = (since: number, then: () => void) => {
      const bytes = requests[next++ % requests.length] ?? Buffer.alloc(0);
      const slot = freeSlots.pop() ?? 0;
      inFlight++;
      sentAt[slot] = performance.now();
      aborts[slot] = lookup(job.port, bytes, check, (ok) => {
        aborts[slot] = undefined;
        freeSlots.push(slot);
        inFlight--;
        if (!ok) errors++;
        latencies.push(performance.now() - since);
        then();
      });
    };

    // Closed loop: every slot keeps one request in flight until the deadline (the server's saturation).
    const slot = () => {
      if (performance.now() < deadline) send(performance.now(), slot);
      else if (inFlight === 0) {
        finishedAt = performance.now();
        complete();
      }
    };
    for (let i = 0; i < job.concurrency; i++) slot();
  });
}

// One long-lived thread runs every job the bench posts, so thread start-up never falls inside a measurement.
if (parentPort) {
  const port = parentPort;
  port.on('message', (job: LoadJob) => {
    void run(job).then((r) => port.postMessage(r));
  });
  port.postMessage('ready');
}
