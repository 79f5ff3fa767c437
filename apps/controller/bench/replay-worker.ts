// For the event-ingest benchmark: records what the FreeSWITCH double sends an inbound subscriber for a mix of
// calls, then serves those exact frames (each call with its own UUID) to every subscriber as fast as the socket
// takes them. The double itself produces ~1,500 events/s; this measures the consumer, not the producer.
// Messages: {prepare: calls} → {prepared: bytes}; {blast: calls} → {sent, seconds}; 'close'.
import { randomUUID } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { startFreeswitchDouble } from '@pbx/freeswitch-double';

type Init = { tenantId: string; domain: string; events: string };
const init = workerData as Init;
const port = parentPort;
if (!port) throw new Error('run as a worker');

const MIX = 20;
const CMD_END = '\n\n';

/** Splits an ESL byte stream into whole frames (header block + Content-Length body). */
function frames(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < data.length) {
    const end = data.indexOf(CMD_END, pos);
    if (end < 0) break;
    const head = data.toString('utf8', pos, end);
    const len = Number(/Content-Length: (\d+)/.exec(head)?.[1] ?? 0);
    if (end + 2 + len > data.length) break;
    out.push(data.subarray(pos, end + 2 + len));
    pos = end + 2 + len;
  }
  return out;
}

// 1. Record the mix from the double.
const fs = await startFreeswitchDouble({ hostname: 'bench-fs' });
const rec = connect(fs.port, '127.0.0.1');
let raw = Buffer.alloc(0);
rec.on('data', (c: Buffer) => (raw = Buffer.concat([raw, c])));
await new Promise((r) => rec.once('connect', r));
rec.write(`auth ClueCon${CMD_END}event plain ${init.events}${CMD_END}`);
await new Promise((r) => setTimeout(r, 200));
const templates: Array<{ uuid: string; bytes: string }> = [];
for (let i = 0; i < MIX; i++) {
  const from = ['1001', '1002', '1003'][i % 3] ?? '1001';
  const outbound = i % 4 === 1;
  const answered = i % 5 !== 3;
  const start = raw.length;
  const call = fs.placeCall({
    from,
    to: outbound ? `+4930${String(2_000_000 + i)}` : from === '1001' ? '1002' : '1001',
    domain: init.domain,
    context: init.domain,
    apps: [
      ['set', `pbx_tenant_id=${init.tenantId}`],
      ['set', `pbx_direction=${outbound ? 'outbound' : 'internal'}`],
      ['set', `pbx_extension=${from}`],
      ...(answered ? ([['answer', '']] as const) : []),
      ['hangup', answered ? 'NORMAL_CLEARING' : 'NO_ANSWER'],
    ],
  });
  await call.ended;
  await new Promise((r) => setTimeout(r, 100));
  const callFrames = frames(raw.subarray(start)).filter(
    (f) => f.includes('text/event-plain') && f.includes(call.uuid),
  );
  templates.push({ uuid: call.uuid, bytes: Buffer.concat(callFrames).toString('utf8') });
}
rec.destroy();
await fs.close();
const eventsPerMix = templates.reduce(
  (n, t) => n + t.bytes.split('Content-Type: text/event-plain').length - 1,
  0,
);

// 2. Serve them.
const subscribers = new Set<Socket>();
const reply = (s: Socket, text: string) =>
  s.write(`Content-Type: command/reply\nReply-Text: ${text}${CMD_END}`);
function bgJob(s: Socket, jobUuid: string, body: string): void {
  const inner = `Event-Name: BACKGROUND_JOB\nCore-UUID: bench\nFreeSWITCH-Hostname: bench-fs\nFreeSWITCH-Switchname: bench-fs\nJob-UUID: ${jobUuid}\nJob-Command: show\nContent-Length: ${Buffer.byteLength(body)}${CMD_END}${body}`;
  s.write(`Content-Length: ${Buffer.byteLength(inner)}\nContent-Type: text/event-plain${CMD_END}${inner}`);
}
const server = createServer((s) => {
  s.on('error', () => undefined);
  s.on('close', () => subscribers.delete(s));
  s.write(`Content-Type: auth/request${CMD_END}`);
  let buf = '';
  s.on('data', (c: Buffer) => {
    buf += c.toString('utf8');
    let end;
    while ((end = buf.indexOf(CMD_END)) >= 0) {
      const [line = '', ...hdrs] = buf.slice(0, end).split('\n');
      buf = buf.slice(end + 2);
      const word = line.split(' ')[0];
      if (word === 'auth') reply(s, '+OK accepted');
      else if (word === 'event') {
        reply(s, '+OK event listener enabled plain');
        subscribers.add(s);
      } else if (word === 'bgapi') {
        const job =
          hdrs
            .find((h) => h.toLowerCase().startsWith('job-uuid:'))
            ?.slice(9)
            .trim() ?? randomUUID();
        s.write(`Content-Type: command/reply\nReply-Text: +OK Job-UUID: ${job}\nJob-UUID: ${job}${CMD_END}`);
        setImmediate(() => bgJob(s, job, '{"row_count":0}\n'));
      } else if (word === 'api') {
        const body = '{"row_count":0}\n';
        s.write(`Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body)}${CMD_END}${body}`);
      } else reply(s, '+OK');
    }
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const address = server.address();
port.postMessage({ port: typeof address === 'object' && address ? address.port : 0, eventsPerMix, mix: MIX });

let salt = 0;
const uuidOf = (i: number) =>
  `${(++salt).toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

// Frames are generated before the clock starts ({prepare}), so the producer never limits what is measured.
let prepared: Buffer[] = [];

port.on('message', (m: { prepare: number } | { blast: number } | 'close') => {
  if (m === 'close') {
    for (const s of subscribers) s.destroy();
    server.close(() => process.exit(0));
    return;
  }
  if ('prepare' in m) {
    prepared = [];
    for (let i = 0; i < m.prepare;) {
      const chunk: string[] = [];
      for (let k = 0; k < 50 && i < m.prepare; k++, i++) {
        const t = templates[i % MIX];
        if (t) chunk.push(t.bytes.split(t.uuid).join(uuidOf(i)));
      }
      prepared.push(Buffer.from(chunk.join('')));
    }
    port.postMessage({ prepared: prepared.reduce((n, b) => n + b.length, 0) });
    return;
  }
  void (async () => {
    const t0 = performance.now();
    const targets = [...subscribers];
    for (const data of prepared) {
      const waits: Array<Promise<unknown>> = [];
      for (const s of targets) if (!s.write(data)) waits.push(new Promise((r) => s.once('drain', r)));
      await Promise.all(waits);
    }
    prepared = [];
    port.postMessage({ sent: m.blast, seconds: (performance.now() - t0) / 1000 });
  })();
});
