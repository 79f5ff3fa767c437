// The adapter over real TCP against the FreeSWITCH double.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import { EslClient } from '../src/adapter/client.js';
import {
  EslCommandError,
  EslDisconnectedError,
  EslHangupError,
  EslNotConnectedError,
  EslTimeoutError,
} from '../src/adapter/errors.js';
import type { EslEvent } from '../src/adapter/events.js';
import { EslNode } from '../src/adapter/node.js';
import type { EslNodeOptions, EslNodeState } from '../src/adapter/node-options.js';
import { EslOutboundServer, type OutboundCall } from '../src/adapter/outbound.js';
import { waitFor } from '@pbx/testing';
import { startFreeswitchDouble, type FreeswitchDouble } from '@pbx/freeswitch-double';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fastBackoff = { initialMs: 20, maxMs: 80, jitter: 0.5 };

function nodeFor(fs: FreeswitchDouble, o: Partial<EslNodeOptions> = {}): EslNode {
  return new EslNode({
    name: 'fs-01',
    host: '127.0.0.1',
    port: fs.port,
    password: 'ClueCon',
    backoff: fastBackoff,
    ...o,
  });
}

/** Resolves when the node reaches state `s`; no deadline of its own (the test runner's timeout bounds it). */
function waitState(node: EslNode, s: EslNodeState): Promise<void> {
  if (node.state === s) return Promise.resolve();
  return new Promise((resolve) => {
    const off = node.onState((now) => {
      if (now === s) {
        off();
        resolve();
      }
    });
  });
}

/** No deadline of its own: the test runner's timeout bounds the wait. */
function until(cond: () => boolean): Promise<void> {
  return waitFor('a condition of the test', cond);
}

describe('inbound connection', () => {
  test('ten reconnects: no duplicate listeners, subscriptions or events', async (t) => {
    const fs = await startFreeswitchDouble();
    t.after(() => fs.close());
    const node = nodeFor(fs, { subclasses: ['sofia::register'] });
    const seen: EslEvent[] = [];
    node.onEvent((e) => seen.push(e));
    node.start();
    await node.waitReady();
    await node.addFilter('Event-Name', 'CUSTOM');
    const baseline = node.listenerCounts();
    for (let i = 0; i < 10; i++) {
      fs.dropConnections();
      await waitState(node, 'disconnected');
      await waitState(node, 'ready');
    }
    const stats = node.stats();
    assert.equal(stats.connects, 11);
    assert.equal(stats.disconnects, 10);
    assert.deepEqual(node.listenerCounts(), baseline);
    const sessions = fs.inboundSessions;
    assert.equal(sessions.length, 1, 'one live connection');
    const cmds = sessions[0]?.commands ?? [];
    assert.deepEqual(
      cmds.filter((c) => c.startsWith('event ')),
      ['event plain BACKGROUND_JOB CHANNEL_EXECUTE_COMPLETE HEARTBEAT CUSTOM sofia::register'],
    );
    assert.deepEqual(
      cmds.filter((c) => c.startsWith('filter ')),
      [
        'filter Event-Name BACKGROUND_JOB',
        'filter Event-Name CHANNEL_EXECUTE_COMPLETE',
        'filter Event-Name HEARTBEAT',
        'filter Event-Name CUSTOM',
      ],
    );
    fs.registerPhone({ user: '1001', domain: 'acme.test' });
    // A second registration as a marker: events of one connection arrive in order, so once the
    // marker is here any duplicate of the first would be here too.
    fs.registerPhone({ user: '1002', domain: 'acme.test' });
    const registers = () =>
      seen.filter((e) => e.eventName === 'CUSTOM' && e.subclass === 'sofia::register').length;
    await until(() => registers() >= 2);
    assert.equal(registers(), 2, 'exactly one sofia::register delivered per phone');
    assert.equal(node.stats().eventsReceived['CUSTOM::sofia::register'], 2);
    node.close();
    await fs.close();
  });

  test('refused connections, then FreeSWITCH comes up', async (t) => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const node = new EslNode({
      name: 'fs',
      host: '127.0.0.1',
      port,
      password: 'ClueCon',
      backoff: fastBackoff,
    });
    node.start();
    await assert.rejects(node.api('status'), EslNotConnectedError);
    await until(() => node.stats().connectAttempts >= 3);
    const fs = await startFreeswitchDouble({ port });
    t.after(() => fs.close());
    await node.waitReady();
    assert.match(await node.api('status'), /^UP /);
    node.close();
    await fs.close();
  });

  test('failed auth is counted and retried until accepted', async (t) => {
    const fs = await startFreeswitchDouble();
    t.after(() => fs.close());
    fs.faults.refuseAuth = true;
    const node = nodeFor(fs);
    node.start();
    await until(() => node.stats().authFailures >= 2);
    fs.faults.refuseAuth = false;
    await node.waitReady();
    assert.equal(node.state, 'ready');
    node.close();
    await fs.close();
  });

  test('frames split at random byte boundaries', async (t) => {
    const fs = await startFreeswitchDouble();
    t.after(() => fs.close());
    fs.faults.splitMaxChunk = 3;
    const node = nodeFor(fs, { subclasses: ['sofia::register', 'sofia::expire'] });
    const seen: EslEvent[] = [];
    node.onEvent((e) => seen.push(e));
    node.start();
    await node.waitReady();
    assert.match(await node.api('status'), /is ready\n/);
    fs.registerPhone({ user: '1002', domain: 'acme.test', networkPort: 5080 });
    fs.expireRegistration('1002', 'acme.test');
    await until(() => seen.length >= 2);
    const [reg, exp] = seen;
    assert.ok(reg?.eventName === 'CUSTOM' && reg.subclass === 'sofia::register');
    assert.equal(reg.contact, '"" <sip:1002@127.0.0.1:5080>');
    assert.ok(exp?.eventName === 'CUSTOM' && exp.subclass === 'sofia::expire');
    const rows = JSON.parse(await node.api('show registrations as json')) as { row_count: number };
    assert.equal(rows.row_count, 0);
    node.close();
    await fs.close();
  });

  test('the connection drops in the middle of an event: no partial event, reconnect, next events arrive', async (t) => {
    const fs = await startFreeswitchDouble();
    t.after(() => fs.close());
    const node = nodeFor(fs, { subclasses: ['sofia::register'] });
    const seen: EslEvent[] = [];
    const errors: Error[] = [];
    node.onEvent((e) => seen.push(e));
    node.onError((e) => errors.push(e));
    node.start();
    await node.waitReady();
    fs.faults.dropNextEventMidway = true;
    fs.registerPhone({ user: '1001', domain: 'acme.test' });
    await waitState(node, 'disconnected');
    await waitState(node, 'ready');
    assert.equal(seen.length, 0, 'the cut event is not delivered');
    assert.equal(node.stats().parseErrors, 0);
    fs.registerPhone({ user: '1002', domain: 'acme.test' });
    await until(() => seen.length >= 1);
    const reg = seen[0];
    assert.ok(reg?.eventName === 'CUSTOM' && reg.subclass === 'sofia::register');
    assert.equal(reg.user, '1002');
    node.close();
  });

  test('liveness: a node that goes silent (no HEARTBEAT, no bytes) is dropped and reconnected', async (t) => {
    const fs = await startFreeswitchDouble({ timing: { heartbeatMs: 100 } });
    t.after(() => fs.close());
    const node = nodeFor(fs, { livenessTimeoutMs: 600 });
    node.start();
    await node.waitReady();
    // Longer than the liveness time-out, counted in heartbeats rather than milliseconds.
    await until(() => (node.stats().eventsReceived['HEARTBEAT'] ?? 0) >= 8);
    assert.equal(node.stats().connects, 1, 'heartbeats keep the connection');
    fs.faults.dead = true; // new connections hang too
    fs.faults.ignoreCommands = true;
    for (const s of fs.inboundSessions) s.subs.clear();
    await waitState(node, 'disconnected');
    fs.faults.dead = false;
    fs.faults.ignoreCommands = false;
    await node.waitReady();
    assert.equal(node.stats().connects, 2);
    node.close();
  });

  test('concurrent bgapis resolve to their own results', async (t) => {
    const vars = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`v${i}`, `value-${i}`]));
    const fs = await startFreeswitchDouble({ globalVars: vars });
    t.after(() => fs.close());
    fs.faults.splitMaxChunk = 40;
    const node = nodeFor(fs);
    node.start();
    await node.waitReady();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => node.bgapi(`global_getvar v${i}`)),
    );
    results.forEach((r, i) => {
      assert.equal(r.body, `value-${i}`);
      assert.equal(r.ok, true);
      assert.equal(r.event.jobCommandArg, `v${i}`);
    });
    const bad = await node.bgapi('foobar');
    assert.equal(bad.ok, false);
    assert.equal(bad.body, '-ERR foobar Command not found!\n');
    node.close();
    await fs.close();
  });

  test('a stuck node: commands time out, then the adapter reconnects', async (t) => {
    const fs = await startFreeswitchDouble();
    t.after(() => fs.close());
    const node = nodeFor(fs, { commandTimeoutMs: 600, maxConsecutiveTimeouts: 2 });
    node.start();
    await node.waitReady();
    fs.faults.ignoreCommands = true;
    await assert.rejects(node.api('status'), EslTimeoutError);
    await assert.rejects(node.bgapi('status', 600), EslTimeoutError);
    await waitState(node, 'disconnected');
    assert.ok(node.stats().commandTimeouts >= 2);
    fs.faults.ignoreCommands = false;
    await node.waitReady();
    assert.match(await node.api('status'), /^UP/);
    node.close();
    await fs.close();
  });

  test('slow replies: a command times out and the late reply is not mistaken for the next', async (t) => {
    const fs = await startFreeswitchDouble({ globalVars: { a: 'A', b: 'B' } });
    t.after(() => fs.close());
    const node = nodeFor(fs, { commandTimeoutMs: 500, maxConsecutiveTimeouts: 0 });
    node.start();
    await node.waitReady();
    fs.faults.replyDelayMs = 1200;
    await assert.rejects(node.api('global_getvar a'), EslTimeoutError);
    fs.faults.replyDelayMs = 0;
    await sleep(1000);
    assert.equal(await node.api('global_getvar b'), 'B');
    node.close();
    await fs.close();
  });

  test('a dead node (accepts TCP, never speaks): connect time-out and retries, commands fail fast', async (t) => {
    const fs = await startFreeswitchDouble();
    t.after(() => fs.close());
    fs.faults.dead = true;
    const node = nodeFor(fs, { connectTimeoutMs: 200 });
    node.start();
    await until(() => node.stats().connectAttempts >= 3);
    await assert.rejects(node.api('status'), EslNotConnectedError);
    fs.faults.dead = false;
    await node.waitReady();
    node.close();
    await fs.close();
  });

  test('inbound call control: execute on a parked call, uuid_kill, typed channel events', async (t) => {
    const fs = await startFreeswitchDouble({ timing: { playbackMs: 50 } });
    t.after(() => fs.close());
    const node = nodeFor(fs, {
      events: ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_HANGUP_COMPLETE', 'DTMF'],
    });
    const seen: EslEvent[] = [];
    node.onEvent((e) => seen.push(e));
    node.start();
    await node.waitReady();
    const call = fs.placeCall({ from: '1001', to: '7000', callerName: 'Ext 1001' });
    await until(() => seen.some((e) => e.eventName === 'CHANNEL_CREATE'));
    const created = seen.find((e) => e.eventName === 'CHANNEL_CREATE');
    assert.ok(created?.eventName === 'CHANNEL_CREATE');
    assert.equal(created.uniqueId, call.uuid);
    assert.equal(created.callerIdNumber, '1001');
    assert.equal(created.destinationNumber, '7000');
    assert.equal(created.variables['sip_from_user'], '1001');
    await node.execute(call.uuid, 'answer');
    const played = await node.execute(call.uuid, 'playback', '/tmp/welcome.wav');
    assert.equal(played.applicationResponse, 'FILE PLAYED');
    const rows = JSON.parse(await node.api('show channels as json')) as {
      row_count: number;
      rows: Array<Record<string, string>>;
    };
    assert.equal(rows.row_count, 1);
    assert.equal(rows.rows[0]?.uuid, call.uuid);
    await assert.rejects(
      node.sendmsg('00000000-0000-0000-0000-000000000000', { 'call-command': 'hangup' }),
      EslCommandError,
    );
    assert.equal(await node.api(`uuid_kill ${call.uuid} USER_BUSY`), '+OK\n');
    await call.ended;
    await until(() => seen.some((e) => e.eventName === 'CHANNEL_HANGUP_COMPLETE'));
    const done = seen.find((e) => e.eventName === 'CHANNEL_HANGUP_COMPLETE');
    assert.ok(done?.eventName === 'CHANNEL_HANGUP_COMPLETE');
    assert.equal(done.hangupCause, 'USER_BUSY');
    assert.equal(typeof done.billSec, 'number');
    assert.equal(await node.api('show channels as json'), '{"row_count": 0}\n');
    node.close();
    await fs.close();
  });

  test('a listener with an interest gets only those events; the rest are counted, and execute() still completes', async (t) => {
    const fs = await startFreeswitchDouble({ timing: { playbackMs: 20 } });
    t.after(() => fs.close());
    const node = nodeFor(fs, { events: ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_HANGUP_COMPLETE'] });
    const seen: string[] = [];
    node.onEvent(
      (e) => seen.push(e.eventName),
      (name) => name === 'CHANNEL_CREATE' || name === 'CHANNEL_HANGUP_COMPLETE',
    );
    node.start();
    await node.waitReady();
    const call = fs.placeCall({ from: '1001', to: '7000' });
    await until(() => seen.includes('CHANNEL_CREATE'));
    // CHANNEL_EXECUTE_COMPLETE is wanted by no listener, only by the pending execute(); CHANNEL_ANSWER by nobody.
    await node.execute(call.uuid, 'answer');
    const played = await node.execute(call.uuid, 'playback', '/tmp/x.wav');
    assert.equal(played.applicationResponse, 'FILE PLAYED');
    await node.api(`uuid_kill ${call.uuid}`);
    await until(() => seen.includes('CHANNEL_HANGUP_COMPLETE'));
    assert.deepEqual([...new Set(seen)].sort(), ['CHANNEL_CREATE', 'CHANNEL_HANGUP_COMPLETE']);
    const received = node.stats().eventsReceived;
    assert.ok((received['CHANNEL_EXECUTE_COMPLETE'] ?? 0) >= 2, JSON.stringify(received));
    assert.equal(received['CHANNEL_ANSWER'], 1, JSON.stringify(received));
    node.close();
  });

  test('line breaks in commands or header values are refused (no command injection)', async (t) => {
    const fs = await startFreeswitchDouble();
    t.after(() => fs.close());
    const node = nodeFor(fs);
    node.start();
    await node.waitReady();
    await assert.rejects(node.api('status\n\napi uuid_kill x'), EslCommandError);
    await assert.rejects(node.bgapi('status\r\nexit'), EslCommandError);
    await assert.rejects(
      node.execute('00000000-0000-0000-0000-000000000000', 'playback', 'a.wav\n\nexit'),
      EslCommandError,
    );
    const session = fs.inboundSessions[0];
    assert.ok(session && !session.commands.some((c) => c.startsWith('exit') || c.includes('uuid_kill')));
    assert.match(await node.api('status'), /^UP/);
    node.close();
  });

  test('EslClient: two nodes, events tagged by node, per-node stats', async (t) => {
    const a = await startFreeswitchDouble();
    t.after(() => a.close());
    const b = await startFreeswitchDouble();
    t.after(() => b.close());
    const client = new EslClient({
      nodes: [
        { name: 'a', host: '127.0.0.1', port: a.port, password: 'ClueCon' },
        { name: 'b', host: '127.0.0.1', port: b.port, password: 'ClueCon' },
      ],
      subclasses: ['sofia::register'],
      backoff: fastBackoff,
    });
    const seen: Array<[string, EslEvent]> = [];
    client.onEvent((n, e) => seen.push([n, e]));
    client.start();
    await Promise.all([client.node('a').waitReady(), client.node('b').waitReady()]);
    b.registerPhone({ user: '2000', domain: 'beta.test' });
    await until(() => seen.length >= 1);
    assert.equal(seen[0]?.[0], 'b');
    assert.equal(client.stats()['b']?.eventsReceived['CUSTOM::sofia::register'], 1);
    assert.equal(client.stats()['a']?.eventsReceived['CUSTOM::sofia::register'], undefined);
    client.close();
    await a.close();
    await b.close();
  });
});

describe('outbound calls', () => {
  /** The controller's side has seen FreeSWITCH start `app` (CHANNEL_EXECUTE) on the first call. */
  const executing = (calls: OutboundCall[], app: string) =>
    calls[0]?.history.some((e) => e.eventName === 'CHANNEL_EXECUTE' && e.application === app) ?? false;

  async function outboundSetup(t: TestContext, handler: (c: OutboundCall) => Promise<void>) {
    const fs = await startFreeswitchDouble({ timing: { playbackMs: 80 } });
    t.after(() => fs.close());
    const errors: unknown[] = [];
    const calls: OutboundCall[] = [];
    const handled: Array<Promise<void>> = [];
    const server = new EslOutboundServer({
      port: 0,
      handler: (c) => {
        calls.push(c);
        const p = handler(c).catch((e: unknown) => {
          errors.push(e);
        });
        handled.push(p);
        return p;
      },
    });
    const { port } = await server.listen();
    return { fs, server, port, errors, calls, handled };
  }

  test('execute-and-wait, collect digits, hang up', async (t) => {
    let digits: string | undefined;
    const { fs, server, port, errors, handled, calls } = await outboundSetup(t, async (call) => {
      assert.equal(call.channel.destinationNumber, '5000');
      await call.playback('tone_stream://%(500,500,440);loops=2');
      const r = await call.playAndGetDigits({
        min: 1,
        max: 1,
        tries: 3,
        timeoutMs: 5000,
        file: 'tone_stream://%(1000,0,350)',
        regexp: '\\d',
      });
      digits = r.digits;
      assert.equal(r.result, 'success');
      assert.equal(await call.getVariable('pagd_digits'), '1');
      assert.equal(await call.getVariable('no_such_var'), undefined);
      await call.hangup('NORMAL_CLEARING');
      assert.deepEqual(await call.ended, { reason: 'hangup', hangupCause: 'NORMAL_CLEARING' });
    });
    const call = fs.placeCall({
      from: '1001',
      to: '5000',
      answer: true,
      socket: { host: '127.0.0.1', port },
    });
    await call.connected;
    // The caller presses 1 once the prompt of play_and_get_digits is playing.
    await until(() => executing(calls, 'play_and_get_digits'));
    await call.press('1');
    await call.ended;
    await Promise.all(handled);
    assert.deepEqual(errors, []);
    assert.equal(digits, '1');
    assert.deepEqual(call.outboundCommands.slice(0, 3), ['connect', 'myevents', 'linger']);
    await server.close();
    await fs.close();
  });

  test('channelEvents: [] filters the socket to what the adapter waits for; executes and the hang-up still settle', async (t) => {
    const fs = await startFreeswitchDouble({ timing: { playbackMs: 20 } });
    t.after(() => fs.close());
    const seen: OutboundCall[] = [];
    const done: Array<Promise<unknown>> = [];
    const server = new EslOutboundServer({
      port: 0,
      channelEvents: [],
      handler: (c) => {
        seen.push(c);
        const p = (async () => {
          await c.playback('tone_stream://%(100,0,440)');
          await c.hangup('NORMAL_CLEARING');
          return c.ended;
        })();
        done.push(p);
        return p.then(() => undefined);
      },
    });
    t.after(() => server.close());
    const { port } = await server.listen();
    const call = fs.placeCall({
      from: '1001',
      to: '5000',
      answer: true,
      socket: { host: '127.0.0.1', port },
    });
    await call.ended;
    assert.deepEqual(await Promise.all(done), [{ reason: 'hangup', hangupCause: 'NORMAL_CLEARING' }]);
    assert.deepEqual(call.outboundCommands.filter((c) => c.startsWith('filter ')).sort(), [
      'filter Event-Name CHANNEL_EXECUTE_COMPLETE',
      'filter Event-Name CHANNEL_HANGUP',
      'filter Event-Name CHANNEL_HANGUP_COMPLETE',
    ]);
    const names = new Set(seen[0]?.history.map((e) => e.eventName));
    assert.ok(names.has('CHANNEL_EXECUTE_COMPLETE'), [...names].join());
    assert.deepEqual(
      [...names].filter(
        (n) => !['CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP', 'CHANNEL_HANGUP_COMPLETE'].includes(n),
      ),
      [],
    );
  });

  test('the caller hangs up during playback: the interrupted app reports, a later execute rejects, ended resolves', async (t) => {
    let interrupted: string | undefined;
    let rejected: unknown;
    const { fs, server, port, handled, calls } = await outboundSetup(t, async (call) => {
      await call.answer();
      const done = await call.execute('playback', '/tmp/long.wav');
      interrupted = done.applicationResponse;
      assert.deepEqual(await call.ended, { reason: 'hangup', hangupCause: 'NORMAL_CLEARING' });
      try {
        await call.execute('playback', '/tmp/other.wav');
      } catch (e) {
        rejected = e;
      }
    });
    fs.timing.playbackMs = 5000;
    const call = fs.placeCall({ from: '1001', to: '5001', socket: { host: '127.0.0.1', port } });
    await call.connected;
    await until(() => executing(calls, 'playback'));
    call.hangup();
    await call.ended;
    await Promise.all(handled);
    assert.equal(interrupted, 'PLAYBACK ERROR');
    // After the linger notice the adapter closes the socket: nothing more can run.
    assert.ok(
      rejected instanceof EslNotConnectedError ||
        rejected instanceof EslHangupError ||
        rejected instanceof EslDisconnectedError,
      String(rejected),
    );
    await server.close();
    await fs.close();
  });

  test('execute(hangup) resolves with its own completion', async (t) => {
    const { fs, server, port, handled, errors } = await outboundSetup(t, async (call) => {
      await call.answer();
      const done = await call.execute('hangup', 'USER_BUSY');
      assert.equal(done.application, 'hangup');
      assert.deepEqual(await call.ended, { reason: 'hangup', hangupCause: 'USER_BUSY' });
    });
    const call = fs.placeCall({ from: '1001', to: '5001', socket: { host: '127.0.0.1', port } });
    await call.ended;
    await Promise.all(handled);
    assert.deepEqual(errors, []);
    await server.close();
  });

  test('a static (non-async) socket: +OK only after the app ran, its events after the reply', async (t) => {
    const timings: number[] = [];
    const { fs, server, port, handled, errors } = await outboundSetup(t, async (call) => {
      const started = Date.now();
      const done = await call.execute('playback', '/tmp/a.wav');
      timings.push(Date.now() - started);
      assert.equal(done.applicationResponse, 'FILE PLAYED');
      await call.hangup();
    });
    fs.timing.playbackMs = 300;
    const call = fs.placeCall({
      from: '1001',
      to: '5001',
      answer: true,
      socket: { host: '127.0.0.1', port, async: false },
    });
    await call.ended;
    await Promise.all(handled);
    assert.deepEqual(errors, []);
    assert.ok((timings[0] ?? 0) >= 250, `execute took ${timings[0]} ms`);
    await server.close();
  });

  test('the controller closes the socket: FreeSWITCH hangs the call up', async (t) => {
    const { fs, server, port, handled } = await outboundSetup(t, async (call) => {
      await call.answer();
      call.close();
      await call.ended;
    });
    const call = fs.placeCall({ from: '1001', to: '5001', socket: { host: '127.0.0.1', port } });
    await call.ended;
    await Promise.all(handled);
    assert.equal(call.channel.hangupCause, 'NORMAL_CLEARING');
    await server.close();
    await fs.close();
  });
});
