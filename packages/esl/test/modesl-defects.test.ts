// Each modesl 1.2.1 defect from docs/freeswitch-facts.md §7: first shown on raw modesl, then shown neutralised by the adapter.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EslDisconnectedError } from '../src/adapter/errors.js';
import type { EslEvent } from '../src/adapter/events.js';
import { rawModesl, type ModeslEvent } from '../src/adapter/modesl.js';
import { EslNode } from '../src/adapter/node.js';
import { EslOutboundServer, type OutboundCall } from '../src/adapter/outbound.js';
import { waitFor } from '@pbx/testing';
import { startFreeswitchDouble } from '@pbx/freeswitch-double';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));

const EVENT_BODY =
  'Event-Name: CHANNEL_CREATE\nUnique-ID: 11111111-2222-3333-4444-555555555555\nCaller-Caller-ID-Name: Jos%E9\n\n';

/** A fake FreeSWITCH that accepts auth, answers the first command, sends one event with a Latin-1 escape and closes. */
function startLatin1Fake(): Promise<{ port: number; server: Server }> {
  const server = createServer((s) => {
    s.on('error', () => undefined);
    s.write('Content-Type: auth/request\n\n');
    let sent = false;
    s.on('data', (d: Buffer) => {
      for (const cmd of String(d).split('\n\n').filter(Boolean)) {
        s.write(
          `Content-Type: command/reply\nReply-Text: ${cmd.startsWith('auth') ? '+OK accepted' : '+OK'}\n\n`,
        );
        if (!sent && !cmd.startsWith('auth')) {
          sent = true;
          // Then the end of the connection: a client that reaches it has handled the event.
          s.end(
            `Content-Length: ${Buffer.byteLength(EVENT_BODY)}\nContent-Type: text/event-plain\n\n${EVENT_BODY}`,
          );
        }
      }
    });
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () => r({ port: (server.address() as AddressInfo).port, server })),
  );
}

describe('modesl 1.2.1 defect 1: a non-UTF-8 percent escape in a header', () => {
  test('raw modesl: URIError escapes the socket handler and kills the process', async () => {
    const { port, server } = await startLatin1Fake();
    // Raw modesl runs in a child process: the crash would take the test runner down with it.
    const script = `
      const esl = require('modesl');
      const c = new esl.Connection('127.0.0.1', ${port}, 'ClueCon');
      c.on('error', () => {});
      // The fake closes the connection after the event: reaching the end means the event was handled.
      c.on('esl::end', () => { console.log('survived'); process.exit(0); });`;
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['-e', script], { cwd: pkgDir });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    server.close();
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /URIError: URI malformed/);
    assert.doesNotMatch(r.stdout, /survived/);
  });

  test('adapter: the event is delivered with a replacement character, the process lives', async () => {
    const { port, server } = await startLatin1Fake();
    const node = new EslNode({ name: 'fs', host: '127.0.0.1', port, password: 'ClueCon' });
    const got = new Promise<EslEvent>((r) => node.onEvent(r));
    node.start();
    const ev = await got;
    node.close();
    server.close();
    assert.ok(ev.eventName === 'CHANNEL_CREATE');
    assert.equal(ev.callerIdName, 'Jos\uFFFD');
    assert.equal(ev.uniqueId, '11111111-2222-3333-4444-555555555555');
  });
});

describe('modesl 1.2.1 defect 2: execute() does not wait for its own reply', () => {
  test('raw modesl: the sendmsg +OK is handed to the next command (filter)', async (t) => {
    const fs = await startFreeswitchDouble({ timing: { playbackMs: 200 } });
    t.after(() => fs.close());
    const call = fs.placeCall({ from: '1001', to: '7000', answer: true });
    const conn = new rawModesl.Connection('127.0.0.1', fs.port, 'ClueCon');
    conn.on('error', () => undefined);
    await new Promise<void>((r) => conn.once('esl::ready', () => r()));
    const filterReply = new Promise<string | undefined>((r) => {
      conn.execute('playback', 'tone_stream://%(100,0,440)', call.uuid, () => undefined);
      conn.filter('Event-Name', 'CHANNEL_ANSWER', (evt: ModeslEvent) => r(evt.getHeader('Reply-Text')));
    });
    assert.equal(await filterReply, '+OK', 'the filter callback received the sendmsg reply');
    conn.disconnect();
    await fs.close();
  });

  test('adapter: execute and filter each get their own reply', async (t) => {
    const fs = await startFreeswitchDouble({ timing: { playbackMs: 200 } });
    t.after(() => fs.close());
    const call = fs.placeCall({ from: '1001', to: '7000', answer: true });
    const node = new EslNode({ name: 'fs', host: '127.0.0.1', port: fs.port, password: 'ClueCon' });
    node.start();
    await node.waitReady();
    const [done] = await Promise.all([
      node.execute(call.uuid, 'playback', 'tone_stream://%(100,0,440)'),
      node.addFilter('Event-Name', 'CHANNEL_EXECUTE_COMPLETE'),
    ]);
    assert.equal(done.application, 'playback');
    assert.equal(done.applicationResponse, 'FILE PLAYED');
    const session = fs.inboundSessions[0];
    assert.ok(session?.commands.includes('filter Event-Name CHANNEL_EXECUTE_COMPLETE'));
    node.close();
    await fs.close();
  });
});

describe('modesl 1.2.1 defect 3: outbound connection subscribes right after connect', () => {
  test('raw modesl: `event json …` on a socket that is not full is refused, execute never completes', async (t) => {
    const fs = await startFreeswitchDouble();
    t.after(() => fs.close());
    const net = createServer();
    await new Promise<void>((r) => net.listen(0, '127.0.0.1', () => r()));
    const port = (net.address() as AddressInfo).port;
    const server = new rawModesl.Server({ server: net } as never);
    let completed = false;
    let ended!: () => void;
    const connectionEnded = new Promise<void>((r) => (ended = r));
    server.on('connection::ready', (conn) => {
      conn.on('error', () => undefined);
      conn.once('esl::end', () => ended());
      conn.execute('answer', '', () => {
        completed = true;
      });
    });
    const call = fs.placeCall({ from: '1001', to: '5001', socket: { host: '127.0.0.1', port, full: false } });
    await call.connected;
    // The answer ran; then the call ends and FreeSWITCH closes the socket. Whatever it would have
    // sent for the execute came before the close, so once modesl saw the end it has seen it all.
    await waitFor('the answer executed', () => call.channel.answerState === 'answered');
    call.hangup();
    await connectionEnded;
    assert.ok(call.outboundCommands.includes('event json BACKGROUND_JOB CHANNEL_EXECUTE_COMPLETE'));
    assert.equal(completed, false, 'execute callback never fired');
    net.close();
    await fs.close();
  });

  test('adapter: myevents instead, execute completes on a non-full socket', async (t) => {
    const fs = await startFreeswitchDouble();
    t.after(() => fs.close());
    let got!: (c: OutboundCall) => void;
    const handled = new Promise<OutboundCall>((r) => (got = r));
    const server = new EslOutboundServer({ port: 0, handler: (c) => got(c) });
    const { port } = await server.listen();
    const call = fs.placeCall({ from: '1001', to: '5001', socket: { host: '127.0.0.1', port, full: false } });
    const oc = await handled;
    const done = await oc.answer();
    assert.equal(done.application, 'answer');
    assert.ok(!call.outboundCommands.some((c) => c.startsWith('event ')));
    assert.ok(call.outboundCommands.includes('myevents'));
    await oc.hangup();
    await call.ended;
    await server.close();
    await fs.close();
  });
});

describe('modesl 1.2.1 defect 4: execute() never settles when the socket drops', () => {
  test('raw modesl: the callback is never called', async (t) => {
    const fs = await startFreeswitchDouble({ timing: { playbackMs: 5000 } });
    t.after(() => fs.close());
    const call = fs.placeCall({ from: '1001', to: '7000', answer: true });
    const conn = new rawModesl.Connection('127.0.0.1', fs.port, 'ClueCon');
    conn.on('error', () => undefined);
    await new Promise<void>((r) => conn.once('esl::ready', () => r()));
    let settled = false;
    conn.execute('playback', 'tone_stream://%(100,0,440)', call.uuid, () => {
      settled = true;
    });
    const session = fs.inboundSessions[0];
    await waitFor('the playback sent', () => session?.commands.some((c) => c.startsWith('sendmsg')) ?? false);
    const ended = new Promise<void>((r) => conn.once('esl::end', () => r()));
    fs.dropConnections();
    // After the end nothing can arrive any more: a callback not called by now never will be.
    await ended;
    assert.equal(settled, false);
    call.hangup();
    await fs.close();
  });

  test('adapter: execute rejects with EslDisconnectedError', async (t) => {
    const fs = await startFreeswitchDouble({ timing: { playbackMs: 5000 } });
    t.after(() => fs.close());
    const call = fs.placeCall({ from: '1001', to: '7000', answer: true });
    const node = new EslNode({ name: 'fs', host: '127.0.0.1', port: fs.port, password: 'ClueCon' });
    node.start();
    await node.waitReady();
    const pending = node.execute(call.uuid, 'playback', 'tone_stream://%(100,0,440)');
    const session = fs.inboundSessions[0];
    await waitFor('the playback sent', () => session?.commands.some((c) => c.startsWith('sendmsg')) ?? false);
    fs.dropConnections();
    await assert.rejects(pending, EslDisconnectedError);
    node.close();
    call.hangup();
    await fs.close();
  });
});
