// (a) Every captured FreeSWITCH byte stream, replayed over TCP in random chunks through the adapter's
// parsing (modesl with the adapter's safe parser), must give the expected frames and typed events.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createInboundConnection } from '../src/adapter/modesl.js';
import { EslOutboundServer, type OutboundCall } from '../src/adapter/outbound.js';
import { toRawEvent } from '../src/adapter/raw.js';
import { toTypedEvent, type EslEvent } from '../src/adapter/events.js';
import { capture, replayClient, replayServer, splitFrames } from './helpers.js';

interface Parsed {
  contentType: string;
  replyText: string | undefined;
  body: string;
  event: EslEvent | undefined;
}

async function replayInbound(name: string, maxChunk: number): Promise<Parsed[]> {
  const data = capture('esl_inbound', name);
  const { port, server } = await replayServer(data, maxChunk);
  const out: Parsed[] = [];
  const conn = createInboundConnection('127.0.0.1', port, 'ClueCon', (event, headers, body) => {
    const rawCt = headers['Content-Type'];
    const ct = typeof rawCt === 'string' ? rawCt : '';
    const isEvent = ct.startsWith('text/event-');
    out.push({
      contentType: ct,
      replyText: event.getHeader('Reply-Text'),
      body: isEvent ? event.getBody() : (body ?? ''),
      event: isEvent ? toTypedEvent(toRawEvent(event)) : undefined,
    });
  });
  conn.on('error', () => undefined);
  await new Promise<void>((r) => conn.socket?.once('close', () => r()));
  server.close();
  // Nothing lost: one parsed frame per captured frame.
  assert.equal(out.length, splitFrames(data).length, `${name}: frame count`);
  return out;
}

const events = (p: Parsed[]) => p.flatMap((x) => (x.event ? [x.event] : []));
const replies = (p: Parsed[]) => p.filter((x) => x.contentType === 'command/reply').map((x) => x.replyText);
const chunkSizes = [1, 7, 64, 1500];

describe('replay of inbound captures through the adapter parser', () => {
  for (const max of chunkSizes) {
    test(`auth-ok-api-status-exit (chunks ≤ ${max})`, async () => {
      const p = await replayInbound('esl-inbound-auth-ok-api-status-exit', max);
      assert.deepEqual(
        p.map((x) => x.contentType),
        ['auth/request', 'command/reply', 'api/response', 'command/reply', 'text/disconnect-notice'],
      );
      assert.deepEqual(replies(p), ['+OK accepted', '+OK bye']);
      assert.match(p[2]?.body ?? '', /^UP 0 years, 0 days, 0 hours, 0 minutes, 3 seconds/);
      assert.equal(p[4]?.body, 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n');
    });
  }

  test('auth-wrong-password', async () => {
    const p = await replayInbound('esl-inbound-auth-wrong-password', 5);
    assert.deepEqual(replies(p), ['-ERR invalid']);
    assert.equal(p.at(-1)?.contentType, 'text/disconnect-notice');
  });

  test('command-before-auth', async () => {
    const p = await replayInbound('esl-inbound-command-before-auth', 3);
    assert.deepEqual(replies(p), ['-ERR command not found', '+OK accepted', '+OK bye']);
  });

  test('misc-replies', async () => {
    const p = await replayInbound('esl-inbound-misc-replies', 11);
    const bodies = p.filter((x) => x.contentType === 'api/response').map((x) => x.body);
    assert.deepEqual(bodies, [
      '-ERR foobar Command not found!\n',
      '-ERR foobar Command not found!\n',
      '-ERR No such channel!\n',
      '{"row_count": 0}\n',
      '{"row_count": 0}\n',
      '\n0 total.\n',
      '127.0.0.1',
      '-ERR no reply\n',
    ]);
    assert.ok(replies(p).includes('+OK filter added. [Event-Name]=[CHANNEL_HANGUP_COMPLETE]'));
    assert.ok(replies(p).includes('+OK filter deleted. [Event-Name][]'));
    assert.equal(replies(p).filter((r) => r === '-ERR not controlling a session').length, 6);
  });

  test('bgapi: BACKGROUND_JOB bodies and Job-UUIDs', async () => {
    const p = await replayInbound('esl-inbound-bgapi', 13);
    const jobs = events(p).filter((e) => e.eventName === 'BACKGROUND_JOB');
    assert.equal(jobs.length, 4);
    const [a, b, , c] = jobs;
    assert.ok(
      a?.eventName === 'BACKGROUND_JOB' &&
        b?.eventName === 'BACKGROUND_JOB' &&
        c?.eventName === 'BACKGROUND_JOB',
    );
    assert.equal(a.jobUuid, '6b562a7b-d004-4bc3-93fa-bc4b8f1bb189');
    assert.match(a.body, /^UP 0 years/);
    assert.equal(b.jobUuid, '34a38cd6-bbf2-43cc-affc-1cc9edf15b25');
    assert.equal(
      p.filter((x) => x.event?.eventName === 'BACKGROUND_JOB' && x.event.jobCommand === 'foobar')[0]?.body,
      '-ERR foobar Command not found!\n',
    );
    assert.equal(c.jobUuid, '73a787d7-d689-4964-985c-cd3e1af9ba68');
    assert.equal(c.jobCommandArg, 'registrations as json');
    assert.equal(c.body, '{"row_count": 0}\n');
  });

  test('registrations: api bodies', async () => {
    const p = await replayInbound('esl-inbound-registrations', 29);
    const bodies = p.filter((x) => x.contentType === 'api/response').map((x) => x.body);
    const json = JSON.parse(bodies[0] ?? '') as { row_count: number; rows: Array<Record<string, string>> };
    assert.equal(json.row_count, 2);
    assert.equal(json.rows[0]?.url, 'sofia/internal/sip:1001@127.0.0.1:5070');
    assert.match(bodies[2] ?? '', /Contact: {4}\t"" <sip:1001@127\.0\.0\.1:5070>/);
    assert.equal(bodies.at(-1), 'error/user_not_registered');
  });

  test('during-bridged-call: hang-up events of both legs', async () => {
    const p = await replayInbound('esl-inbound-during-bridged-call', 97);
    const evs = events(p);
    assert.deepEqual(
      evs.map((e) => e.eventName),
      ['CHANNEL_HANGUP', 'CHANNEL_HANGUP', 'OTHER', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_HANGUP_COMPLETE'],
    );
    const done = evs.filter((e) => e.eventName === 'CHANNEL_HANGUP_COMPLETE');
    for (const e of done) {
      assert.ok(e.eventName === 'CHANNEL_HANGUP_COMPLETE');
      assert.equal(e.hangupCause, 'NORMAL_CLEARING');
      assert.equal(e.durationSec, 3);
      assert.equal(typeof e.answeredAtUs, 'number');
    }
    const calls = JSON.parse(p.filter((x) => x.contentType === 'api/response')[1]?.body ?? '') as {
      rows: Array<Record<string, string>>;
    };
    assert.equal(calls.rows[0]?.b_uuid, 'dc6502b2-1552-473e-a015-b0812cd227f6');
  });

  test('filter-hangup-complete: only the filtered events', async () => {
    const p = await replayInbound('esl-inbound-filter-hangup-complete', 500);
    assert.deepEqual(
      events(p).map((e) => e.eventName),
      ['CHANNEL_HANGUP_COMPLETE', 'CHANNEL_HANGUP_COMPLETE'],
    );
  });

  for (const format of ['plain', 'json'] as const) {
    test(`event-${format}-ALL: the whole run, typed`, async () => {
      const p = await replayInbound(`esl-inbound-event-${format}-ALL`, 4096);
      const evs = events(p);
      const count = (n: string) => evs.filter((e) => e.eventName === n).length;
      assert.equal(count('CHANNEL_CREATE'), 7);
      assert.equal(count('CHANNEL_ANSWER'), 5);
      assert.equal(count('CHANNEL_BRIDGE'), 1);
      assert.equal(count('CHANNEL_HANGUP_COMPLETE'), 7);
      assert.equal(count('DTMF'), 1);
      assert.equal(count('RECORD_START'), 1);
      assert.equal(count('RECORD_STOP'), 1);
      assert.equal(count('HEARTBEAT'), 2);
      const sub = (s: string) => evs.filter((e) => e.eventName === 'CUSTOM' && e.subclass === s);
      assert.equal(sub('sofia::register').length, 3);
      assert.equal(sub('sofia::unregister').length, 1);
      assert.equal(sub('sofia::expire').length, 1);
      assert.equal(sub('sofia::register_failure').length, 3);
      const reg = sub('sofia::register')[0];
      assert.ok(reg?.eventName === 'CUSTOM' && reg.subclass === 'sofia::register');
      assert.equal(reg.user, '1001');
      assert.equal(reg.domain, 'acme.test');
      assert.equal(reg.contact, '"" <sip:1001@127.0.0.1:5070>');
      assert.equal(reg.expires, 3600);
      assert.equal(reg.userAgent, 'SIPp-capture');
      assert.equal(reg.networkPort, 5070);
      const exp = sub('sofia::expire')[0];
      assert.ok(exp?.eventName === 'CUSTOM' && exp.subclass === 'sofia::expire');
      assert.equal(exp.user, '1001');
      assert.equal(exp.networkPort, 5090);
      const dtmf = evs.find((e) => e.eventName === 'DTMF');
      assert.ok(dtmf?.eventName === 'DTMF');
      assert.equal(dtmf.digit, '1');
      assert.equal(dtmf.durationSamples, 2240);
      const pagd = evs.find(
        (e) => e.eventName === 'CHANNEL_EXECUTE_COMPLETE' && e.application === 'play_and_get_digits',
      );
      assert.ok(pagd?.eventName === 'CHANNEL_EXECUTE_COMPLETE');
      assert.equal(pagd.variables['pagd_digits'], '1');
      assert.equal(pagd.applicationResponse, '_none_');
      const stop = evs.find((e) => e.eventName === 'RECORD_STOP');
      assert.ok(stop?.eventName === 'RECORD_STOP');
      assert.match(stop.recordFilePath, /6000-.*\.wav$/);
      const bridge = evs.find((e) => e.eventName === 'CHANNEL_BRIDGE');
      assert.ok(bridge?.eventName === 'CHANNEL_BRIDGE');
      assert.equal(bridge.bridgeBUniqueId, 'dc6502b2-1552-473e-a015-b0812cd227f6');
      const hb = evs.find((e) => e.eventName === 'HEARTBEAT');
      assert.ok(hb?.eventName === 'HEARTBEAT');
      assert.equal(hb.maxSessions, 2000);
    });
  }
});

async function replayOutbound(
  name: string,
  maxChunk: number,
): Promise<{ call: OutboundCall; commands: string }> {
  const data = capture('esl_outbound', name);
  let resolveCall!: (c: OutboundCall) => void;
  let fail!: (e: Error) => void;
  const got = new Promise<OutboundCall>((resolve, reject) => ((resolveCall = resolve), (fail = reject)));
  const server = new EslOutboundServer({
    port: 0,
    handler: (c) => resolveCall(c),
    // Byte-sized chunks of several KB of channel data can take longer than the 5 s default handshake limit on a
    // loaded machine: the server then cut the socket and this replay waited for a call forever (seen on CI).
    connectTimeoutMs: 600_000,
    onError: (e) => fail(e),
  });
  const { port } = await server.listen();
  const received: Buffer[] = [];
  const sock = await replayClient(port, data, maxChunk);
  sock.on('data', (d: Buffer) => received.push(d));
  const closed = new Promise<void>((r) => sock.once('close', () => r()));
  const call = await got;
  await call.ended;
  await closed;
  await server.close();
  return { call, commands: Buffer.concat(received).toString() };
}

describe('replay of outbound captures through the adapter', () => {
  for (const max of [1, 50, 9000]) {
    test(`conn1 (5000: playback, play_and_get_digits, hangup) chunks ≤ ${max}`, async () => {
      const { call } = await replayOutbound('esl-outbound-conn1', max);
      assert.equal(call.uuid, 'a973de6f-c95a-43a2-9ba5-990a76918e12');
      assert.equal(call.channel.destinationNumber, '5000');
      assert.equal(call.channel.callerIdNumber, '1001');
      assert.equal(call.channel.answerState, 'answered');
      assert.equal(call.channel.variables['sip_from_user'], '1001');
      assert.equal(call.channel.variables['current_application_data'], '127.0.0.1:8084 async full');
      const names = call.history.map((e) => (e.eventName === 'OTHER' ? e.name : e.eventName));
      assert.deepEqual(names, [
        'CHANNEL_EXECUTE',
        'CHANNEL_EXECUTE_COMPLETE',
        'CHANNEL_EXECUTE',
        'DTMF',
        'CHANNEL_EXECUTE_COMPLETE',
        'CHANNEL_HANGUP',
        'CHANNEL_UNPARK',
        'CHANNEL_EXECUTE_COMPLETE',
        'CHANNEL_STATE',
        'CHANNEL_STATE',
        'CHANNEL_HANGUP_COMPLETE',
      ]);
      const pagd = call.history.find(
        (e) => e.eventName === 'CHANNEL_EXECUTE_COMPLETE' && e.application === 'play_and_get_digits',
      );
      assert.ok(pagd?.eventName === 'CHANNEL_EXECUTE_COMPLETE');
      assert.equal(pagd.applicationUuid, '46de51d0-cb9a-49e7-b505-c9c856ab4019');
      assert.equal(pagd.variables['pagd_digits'], '1');
      assert.equal(pagd.variables['read_result'], 'success');
      assert.deepEqual(await call.ended, { reason: 'hangup', hangupCause: 'NORMAL_CLEARING' });
    });
  }

  test('conn2 (5001: json events, bgapi, no linger)', async () => {
    const { call } = await replayOutbound('esl-outbound-conn2', 33);
    assert.equal(call.uuid, 'a2a08404-a426-4ee6-8bd2-601aa3c23535');
    assert.equal(call.channel.answerState, 'ringing');
    const job = call.history.find((e) => e.eventName === 'BACKGROUND_JOB');
    assert.ok(job?.eventName === 'BACKGROUND_JOB');
    assert.equal(job.body, '1001');
    assert.equal(job.jobOwnerUuid, call.uuid);
    const apps = call.history.flatMap((e) =>
      e.eventName === 'CHANNEL_EXECUTE_COMPLETE' ? [e.application] : [],
    );
    assert.deepEqual(apps, ['answer', 'playback', 'socket']);
    // No linger: the socket just closes after the disconnect notice.
    assert.deepEqual(await call.ended, { reason: 'disconnect', hangupCause: undefined });
  });
});
