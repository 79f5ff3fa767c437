// (b) The double against the captures: the same client bytes must produce the same frames, header
// names, order, encoding and framing as FreeSWITCH 1.10.12 (run-specific values normalised).
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import { waitFor } from '@pbx/testing';
import { startFreeswitchDouble, type FreeswitchDouble } from '@pbx/freeswitch-double';
import { compareFrame, compareStreams, eventLines, jsonPairs } from './compare.js';
import { capture, header, splitFrames, type RawFrame } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Collects bytes from a socket and lets a script wait for frames. */
class Collector {
  data = Buffer.alloc(0);
  closed = false;
  private waiters: Array<() => void> = [];

  constructor(readonly sock: Socket) {
    sock.on('data', (d: Buffer) => {
      this.data = Buffer.concat([this.data, d]);
      this.wake();
    });
    sock.on('close', () => {
      this.closed = true;
      this.wake();
    });
    sock.on('error', () => undefined);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  frames(): RawFrame[] {
    // Only complete frames.
    const out: RawFrame[] = [];
    let i = 0;
    const d = this.data;
    while (i < d.length) {
      const end = d.indexOf('\n\n', i);
      if (end === -1) break;
      const headText = d.subarray(i, end).toString();
      const cl = Number(/^Content-Length: (\d+)$/m.exec(headText)?.[1] ?? '0');
      if (end + 2 + cl > d.length) break;
      out.push(splitFrames(d.subarray(i, end + 2 + cl))[0] as RawFrame);
      i = end + 2 + cl;
    }
    return out;
  }

  /** Waits for frames; no deadline of its own (the test runner's timeout bounds it). */
  async waitFor(pred: (frames: RawFrame[]) => boolean): Promise<void> {
    while (!pred(this.frames())) {
      if (this.closed) throw new Error('socket closed while waiting');
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  async waitClose(): Promise<void> {
    while (!this.closed) await sleep(10);
  }
}

const isReply = (f: RawFrame) => ['command/reply', 'api/response'].includes(header(f, 'Content-Type') ?? '');
const bodyText = (f: RawFrame) => f.body.toString('utf8');
const eventName = (f: RawFrame) =>
  /^Event-Name: (.*)$/m.exec(bodyText(f))?.[1] ?? /"Event-Name":"([^"]+)"/.exec(bodyText(f))?.[1];

/** Sends the capture's client commands one at a time, each after the previous reply. */
async function runInboundScript(
  fs: FreeswitchDouble,
  tx: Buffer,
  hooks: { afterReply?: (i: number, cmd: string) => Promise<void> } = {},
): Promise<Buffer> {
  const sock = connect({ port: fs.port, host: '127.0.0.1' });
  const c = new Collector(sock);
  await c.waitFor((f) => f.length >= 1);
  const blocks = tx
    .toString('utf8')
    .split('\n\n')
    .filter((b) => b.length > 0);
  for (const [i, block] of blocks.entries()) {
    const replies = c.frames().filter(isReply).length;
    sock.write(`${block}\n\n`);
    if (block.startsWith('exit')) break;
    await c.waitFor((f) => f.filter(isReply).length > replies);
    await hooks.afterReply?.(i, block);
  }
  await c.waitClose();
  return c.data;
}

describe('inbound: the double answers like the captures', () => {
  for (const name of [
    'esl-inbound-auth-wrong-password',
    'esl-inbound-command-before-auth',
    'esl-inbound-misc-replies',
  ]) {
    test(`${name}: byte-exact`, async (t) => {
      const fs = await startFreeswitchDouble();
      t.after(() => fs.close());
      const rx = await runInboundScript(fs, capture('esl_inbound', name, 'tx'));
      assert.equal(rx.toString('utf8'), capture('esl_inbound', name).toString('utf8'));
      await fs.close();
    });
  }

  test('esl-inbound-auth-ok-api-status-exit', async (t) => {
    const fs = await startFreeswitchDouble();
    t.after(() => fs.close());
    const rx = await runInboundScript(
      fs,
      capture('esl_inbound', 'esl-inbound-auth-ok-api-status-exit', 'tx'),
    );
    compareStreams(rx, capture('esl_inbound', 'esl-inbound-auth-ok-api-status-exit'));
    await fs.close();
  });

  test('esl-inbound-bgapi: replies, caller Job-UUID, BACKGROUND_JOB only when subscribed, plain and json', async (t) => {
    const fs = await startFreeswitchDouble();
    t.after(() => fs.close());
    const rx = await runInboundScript(fs, capture('esl_inbound', 'esl-inbound-bgapi', 'tx'));
    compareStreams(rx, capture('esl_inbound', 'esl-inbound-bgapi'));
    // The caller-supplied Job-UUID is used as-is.
    assert.ok(
      rx
        .toString()
        .includes(
          'Reply-Text: +OK Job-UUID: 34a38cd6-bbf2-43cc-affc-1cc9edf15b25\nJob-UUID: 34a38cd6-bbf2-43cc-affc-1cc9edf15b25\n',
        ),
    );
    await fs.close();
  });

  test('esl-inbound-registrations: show registrations (json, csv), sofia status, sofia_contact', async (t) => {
    const fs = await startFreeswitchDouble({ profiles: { internal: 5060, expiry: 5062 } });
    t.after(() => fs.close());
    fs.registerPhone({
      user: '1001',
      domain: 'acme.test',
      callId: 'reg-1001@capture.invalid',
      networkPort: 5070,
    });
    fs.registerPhone({
      user: '1002',
      domain: 'acme.test',
      callId: 'reg-1002@capture.invalid',
      networkPort: 5080,
    });
    const rx = await runInboundScript(fs, capture('esl_inbound', 'esl-inbound-registrations', 'tx'));
    compareStreams(rx, capture('esl_inbound', 'esl-inbound-registrations'));
    await fs.close();
  });

  test('esl-inbound-during-bridged-call: show channels/calls during a bridge, then the hang-up events', async (t) => {
    const fs = await startFreeswitchDouble();
    t.after(() => fs.close());
    fs.registerPhone({ user: '1002', domain: 'acme.test', networkPort: 5080 });
    const call = fs.placeCall({
      from: '1001',
      to: '1002',
      accountcode: 'acme',
      apps: [['bridge', 'user/1002@acme.test']],
    });
    await waitFor('the call bridged', () => call.channel.times.bridged > 0);
    const rx = await runInboundScript(fs, capture('esl_inbound', 'esl-inbound-during-bridged-call', 'tx'), {
      afterReply: async (i) => {
        if (i === 5) {
          call.hangup();
          await call.ended;
        }
      },
    });
    const a = splitFrames(rx);
    const e = splitFrames(capture('esl_inbound', 'esl-inbound-during-bridged-call'));
    assert.deepEqual(
      a.map((f) => eventName(f) ?? header(f, 'Content-Type')),
      e.map((f) => eventName(f) ?? header(f, 'Content-Type')),
    );
    // show channels / show calls: same columns in the same order, same row shapes.
    for (const i of [3, 4]) {
      const ja = JSON.parse(bodyText(a[i] as RawFrame)) as {
        row_count: number;
        rows: Array<Record<string, string>>;
      };
      const je = JSON.parse(bodyText(e[i] as RawFrame)) as {
        row_count: number;
        rows: Array<Record<string, string>>;
      };
      assert.equal(ja.row_count, je.row_count);
      assert.deepEqual(
        ja.rows.map((r) => Object.keys(r)),
        je.rows.map((r) => Object.keys(r)),
      );
      const stable = [
        'direction',
        'name',
        'cid_num',
        'dest',
        'application',
        'application_data',
        'dialplan',
        'context',
        'callstate',
        'callee_num',
        'b_name',
        'b_direction',
      ];
      for (const [ri, r] of ja.rows.entries())
        for (const k of stable) if (k in r) assert.equal(r[k], je.rows[ri]?.[k], `row ${ri} ${k}`);
    }
    // The CSV header row and the row count line.
    assert.equal(bodyText(a[5] as RawFrame).split('\n')[0], bodyText(e[5] as RawFrame).split('\n')[0]);
    assert.equal(bodyText(a[6] as RawFrame), bodyText(e[6] as RawFrame));
    // Hang-up events: the core, basic-data and caller-profile headers in FreeSWITCH's order.
    for (let i = 7; i < 12; i++) {
      compareFrame(`frame #${i + 1}`, a[i] as RawFrame, e[i] as RawFrame, {
        variables: false,
        // The bridged legs' presence and Other-Leg blocks are only partly modelled (docs/freeswitch-double.md).
        ignoreHeaders:
          /^(Other-Leg-|Other-Type|Channel-Presence-ID|Caller-Callee-ID|Caller-Channel-Progress-Time)/,
      });
    }
    await fs.close();
  });
});

describe('inbound: filters', () => {
  test('esl-inbound-filter-hangup-complete: `event plain ALL` + `filter Event-Name CHANNEL_HANGUP_COMPLETE` during a bridge', async (t) => {
    const fs = await startFreeswitchDouble();
    t.after(() => fs.close());
    fs.registerPhone({ user: '1002', domain: 'acme.test', networkPort: 5080 });
    const call = fs.placeCall({
      from: '1001',
      to: '1002',
      accountcode: 'acme',
      apps: [['bridge', 'user/1002@acme.test']],
    });
    await waitFor('the call bridged', () => call.channel.times.bridged > 0);
    const rx = await runInboundScript(
      fs,
      capture('esl_inbound', 'esl-inbound-filter-hangup-complete', 'tx'),
      {
        afterReply: async (i) => {
          if (i === 2) {
            call.hangup();
            await call.ended;
          }
        },
      },
    );
    const a = splitFrames(rx);
    const e = splitFrames(capture('esl_inbound', 'esl-inbound-filter-hangup-complete'));
    assert.deepEqual(
      a.map((f) => eventName(f) ?? header(f, 'Content-Type')),
      e.map((f) => eventName(f) ?? header(f, 'Content-Type')),
    );
    a.forEach((f, i) =>
      compareFrame(`frame #${i + 1}`, f, e[i] as RawFrame, {
        variables: false,
        ignoreHeaders:
          /^(Other-Leg-|Other-Type|Channel-Presence-ID|Caller-Callee-ID|Caller-Channel-Progress-Time)/,
      }),
    );
    // B leg first, then A, as in the capture.
    const uuids = a.filter((f) => eventName(f)).map((f) => /^Unique-ID: (.*)$/m.exec(bodyText(f))?.[1]);
    // The caller's BYE: the A leg received it, the switch sent one to the B leg.
    const dispositions = (frames: RawFrame[]) =>
      frames.flatMap((f) => /^variable_sip_hangup_disposition: (.*)$/m.exec(bodyText(f))?.[1] ?? []);
    assert.deepEqual(dispositions(a), dispositions(e));
    assert.equal(uuids.length, 2);
    assert.ok(uuids[0] && uuids[0] !== call.uuid);
    assert.equal(uuids[1], call.uuid);
  });
});

/** The controller side of an outbound socket, scripted like the capture harness. */
async function outboundHarness(
  script: (c: Collector, send: (s: string) => void) => Promise<void>,
): Promise<{ port: number; done: Promise<Buffer> }> {
  let resolveDone!: (b: Buffer) => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<Buffer>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });
  const server = createServer((sock) => {
    const c = new Collector(sock);
    const send = (s: string) => sock.write(s);
    script(c, send)
      .then(() => c.waitClose())
      .then(() => {
        server.close();
        resolveDone(c.data);
      })
      .catch(rejectDone);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as AddressInfo).port, done };
}

/** Event headers of a plain or json event frame. */
const headersOf = (f: RawFrame): Array<[string, string]> =>
  header(f, 'Content-Type') === 'text/event-json' ? jsonPairs(bodyText(f)) : eventLines(bodyText(f)).headers;

const countEvents = (c: Collector, name: string, app?: string) =>
  c
    .frames()
    .filter(
      (f) =>
        eventName(f) === name &&
        (app === undefined ||
          bodyText(f).includes(`Application: ${app}\n`) ||
          bodyText(f).includes(`"Application":"${app}"`)),
    ).length;

describe('outbound: the double behaves like the socket app in the captures', () => {
  test('esl-outbound-conn1 (answered by the dialplan, myevents, linger, playback, play_and_get_digits, hangup, exit)', async (t) => {
    const fs = await startFreeswitchDouble({ timing: { playbackMs: 100 } });
    t.after(() => fs.close());
    const tx = capture('esl_outbound', 'esl-outbound-conn1', 'tx').toString('utf8');
    const blocks = tx.split('\n\n').filter(Boolean);
    const caller = { press: () => undefined as void };
    const { port, done } = await outboundHarness(async (c, send) => {
      send('connect\n\n');
      await c.waitFor((f) => f.length >= 1);
      const uuid = header(c.frames()[0] as RawFrame, 'Unique-ID') ?? '';
      const fix = (b: string) => `${b.replace(/a973de6f-c95a-43a2-9ba5-990a76918e12/g, uuid)}\n\n`;
      send(fix(blocks[1] ?? ''));
      await c.waitFor((f) => f.length >= 2);
      send(fix(blocks[2] ?? ''));
      await c.waitFor((f) => f.length >= 3);
      send(fix(blocks[3] ?? '')); // playback, event-lock
      await c.waitFor(() => countEvents(c, 'CHANNEL_EXECUTE_COMPLETE', 'playback') === 1);
      send(fix(blocks[4] ?? '')); // play_and_get_digits, async
      await c.waitFor(() => countEvents(c, 'CHANNEL_EXECUTE', 'play_and_get_digits') === 1);
      caller.press(); // while the prompt plays, as in the capture
      await c.waitFor(() => countEvents(c, 'CHANNEL_EXECUTE_COMPLETE', 'play_and_get_digits') === 1);
      send(fix(blocks[5] ?? '')); // hangup
      await c.waitFor((f) => f.some((x) => header(x, 'Content-Disposition') === 'linger'));
      send('exit\n\n');
    });
    const call = fs.placeCall({
      from: '1001',
      to: '5000',
      answer: true,
      accountcode: 'acme',
      socket: { host: '127.0.0.1', port },
    });
    caller.press = () => void call.press('1');
    const rx = await done;
    compareStreams(rx, capture('esl_outbound', 'esl-outbound-conn1'));
    await call.ended;
    await fs.close();
  });

  test('esl-outbound-conn2 (not answered, event json, linger 5 + nolinger, answer, playback, bgapi, hangup without linger)', async (t) => {
    const fs = await startFreeswitchDouble({ timing: { playbackMs: 100 } });
    t.after(() => fs.close());
    const tx = capture('esl_outbound', 'esl-outbound-conn2', 'tx').toString('utf8');
    const blocks = tx.split('\n\n').filter(Boolean);
    const { port, done } = await outboundHarness(async (c, send) => {
      send('connect\n\n');
      await c.waitFor((f) => f.length >= 1);
      const uuid = header(c.frames()[0] as RawFrame, 'Unique-ID') ?? '';
      const fix = (b: string) => `${b.replace(/a2a08404-a426-4ee6-8bd2-601aa3c23535/g, uuid)}\n\n`;
      for (const i of [1, 2, 3]) {
        send(fix(blocks[i] ?? ''));
        await c.waitFor((f) => f.length >= i + 1);
      }
      send(fix(blocks[4] ?? '')); // answer
      await c.waitFor(() => countEvents(c, 'CHANNEL_EXECUTE_COMPLETE', 'answer') === 1);
      send(fix(blocks[5] ?? '')); // playback
      await c.waitFor(() => countEvents(c, 'CHANNEL_EXECUTE_COMPLETE', 'playback') === 1);
      send(fix(blocks[6] ?? '')); // bgapi uuid_getvar
      await c.waitFor(() => countEvents(c, 'BACKGROUND_JOB') === 1);
      send(fix(blocks[7] ?? '')); // hangup
    });
    const call = fs.placeCall({
      from: '1001',
      to: '5001',
      accountcode: 'acme',
      socket: { host: '127.0.0.1', port },
    });
    const rx = await done;
    compareStreams(rx, capture('esl_outbound', 'esl-outbound-conn2'));
    await call.ended;
    await fs.close();
  });
});

describe('events the double builds, against the event-plain-ALL / event-json-ALL captures', () => {
  /** The first captured event of each kind. */
  function firstOfKind(format: 'plain' | 'json'): Map<string, Array<[string, string]>> {
    const out = new Map<string, Array<[string, string]>>();
    for (const f of splitFrames(capture('esl_inbound', `esl-inbound-event-${format}-ALL`))) {
      const ct = header(f, 'Content-Type');
      if (ct !== `text/event-${format}`) continue;
      const headers = format === 'plain' ? eventLines(bodyText(f)).headers : jsonPairs(bodyText(f));
      const name = headers.find(([n]) => n === 'Event-Name')?.[1] ?? '';
      const sub = headers.find(([n]) => n === 'Event-Subclass')?.[1];
      const key = sub ? `${name} ${sub}` : name;
      if (!out.has(key)) out.set(key, headers);
    }
    return out;
  }

  for (const format of ['plain', 'json'] as const) {
    test(`registration, heartbeat and API events (${format})`, async (t) => {
      const fs = await startFreeswitchDouble();
      t.after(() => fs.close());
      const sock = connect({ port: fs.port, host: '127.0.0.1' });
      const c = new Collector(sock);
      sock.write(`auth ClueCon\n\nevent ${format} ALL\n\n`);
      await c.waitFor((f) => f.filter(isReply).length >= 2);
      const vars = {
        sip_number_alias: '1001',
        sip_auth_username: '1001',
        sip_auth_realm: 'acme.test',
        number_alias: '1001',
        user_name: '1001',
        domain_name: 'acme.test',
        user_context: 'default',
        effective_caller_id_name: 'Extension 1001',
        effective_caller_id_number: '1001',
        accountcode: 'acme',
      };
      fs.registerPhone({
        user: '1001',
        domain: 'acme.test',
        callId: 'reg-1001@capture.invalid',
        directoryVars: vars,
      });
      fs.failRegistration({ user: '1001', domain: 'acme.test' });
      fs.unregisterPhone('1001', 'acme.test');
      fs.registerPhone({
        user: '1001',
        domain: 'acme.test',
        profile: 'expiry',
        expiresSec: 10,
        networkPort: 5090,
        callId: 'reg-1001-short@capture.invalid',
        directoryVars: vars,
      });
      fs.expireRegistration('1001', 'acme.test');
      fs.heartbeat();
      sock.write('api show registrations as json\n\n');
      await c.waitFor(
        (f) => f.filter((x) => header(x, 'Content-Type')?.startsWith('text/event-')).length >= 10,
      );
      sock.end('exit\n\n');
      await c.waitClose();
      const expected = firstOfKind(format);
      const got = new Map<string, Array<[string, string]>>();
      for (const f of c.frames()) {
        if (!header(f, 'Content-Type')?.startsWith('text/event-')) continue;
        const headers = format === 'plain' ? eventLines(bodyText(f)).headers : jsonPairs(bodyText(f));
        const name = headers.find(([n]) => n === 'Event-Name')?.[1] ?? '';
        const sub = headers.find(([n]) => n === 'Event-Subclass')?.[1];
        const key = sub ? `${name} ${sub}` : name;
        if (!got.has(key)) got.set(key, headers);
      }
      const enc = (s: string) => (format === 'plain' ? s.replace(/::/g, '%3A%3A') : s);
      const kinds = [
        `CUSTOM ${enc('sofia::pre_register')}`,
        `CUSTOM ${enc('sofia::register')}`,
        `CUSTOM ${enc('sofia::register_failure')}`,
        `CUSTOM ${enc('sofia::unregister')}`,
        `CUSTOM ${enc('sofia::expire')}`,
        'HEARTBEAT',
        'API',
      ];
      for (const k of kinds) {
        const a = got.get(k);
        const e = expected.get(k);
        assert.ok(a && e, `${k} present`);
        assert.deepEqual(
          a.map(([n]) => n),
          e.map(([n]) => n),
          `${k}: header names and order`,
        );
      }
      await fs.close();
    });
  }
});

describe('a whole call as an `event plain ALL` subscriber sees it (call 6000 of event-plain-ALL)', () => {
  const KINDS = new Set([
    'CHANNEL_STATE',
    'CHANNEL_CREATE',
    'CHANNEL_ANSWER',
    'CHANNEL_EXECUTE',
    'CHANNEL_EXECUTE_COMPLETE',
    'RECORD_START',
    'RECORD_STOP',
    'PLAYBACK_START',
    'PLAYBACK_STOP',
    'CHANNEL_HANGUP',
    'CHANNEL_HANGUP_COMPLETE',
    'CHANNEL_DESTROY',
  ]);
  const CALL_6000 = 'a41e1172-b1e2-45b1-9efd-914a5f935539';

  for (const format of ['plain', 'json'] as const) {
    test(`answer, record_session, playback, hangup (${format}): same events in the same order, same headers`, async (t) => {
      const expected = splitFrames(capture('esl_inbound', `esl-inbound-event-${format}-ALL`)).filter((f) => {
        const h = headersOf(f);
        const get = (n: string) => h.find(([k]) => k === n)?.[1];
        return get('Unique-ID') === CALL_6000 && KINDS.has(get('Event-Name') ?? '');
      });
      const fs = await startFreeswitchDouble({ timing: { playbackMs: 100 } });
      t.after(() => fs.close());
      const sock = connect({ port: fs.port, host: '127.0.0.1' });
      const c = new Collector(sock);
      sock.write(`auth ClueCon\n\nevent ${format} ALL\n\n`);
      await c.waitFor((f) => f.filter(isReply).length >= 2);
      const path = '/var/lib/fs-01/recordings/6000-x.wav';
      const call = fs.placeCall({
        from: '1001',
        to: '6000',
        accountcode: 'acme',
        apps: [
          ['answer', ''],
          ['record_session', path],
          ['playback', 'tone_stream://%(3000,0,440)'],
          ['hangup', ''],
        ],
      });
      await call.ended;
      // Everything up to CHANNEL_DESTROY, then exit.
      await c.waitFor((frames) =>
        frames.some((f) => {
          const h = headersOf(f);
          return (
            h.find(([k]) => k === 'Unique-ID')?.[1] === call.uuid &&
            h.find(([k]) => k === 'Event-Name')?.[1] === 'CHANNEL_DESTROY'
          );
        }),
      );
      sock.end('exit\n\n');
      await c.waitClose();
      const actual = c.frames().filter((f) => {
        const h = headersOf(f);
        return (
          h.find(([k]) => k === 'Unique-ID')?.[1] === call.uuid &&
          KINDS.has(h.find(([k]) => k === 'Event-Name')?.[1] ?? '')
        );
      });
      const sig = (f: RawFrame) => {
        const h = headersOf(f);
        const get = (n: string) => h.find(([k]) => k === n)?.[1] ?? '';
        return `${get('Event-Name')} ${get('Application')}${get('Event-Name') === 'CHANNEL_STATE' ? get('Channel-State') : ''}`;
      };
      assert.deepEqual(actual.map(sig), expected.map(sig));
      actual.forEach((f, i) =>
        compareFrame(`${sig(f)} #${i}`, f, expected[i] as RawFrame, {
          variables: false,
          // The recording path, the tone and the codec-negotiation details are scenario values.
          ignoreHeaders:
            /^(Record-File-Path|Playback-File-Path|Application-Data|Playback-Status|Record-Completion-Cause)$/,
        }),
      );
    });
  }
});

describe('outbound: static (non-async) socket', () => {
  test('sendmsg execute replies +OK after the app ran; EXECUTE/EXECUTE_COMPLETE follow the reply', async (t) => {
    const fs = await startFreeswitchDouble({ timing: { playbackMs: 300 } });
    t.after(() => fs.close());
    let replyAfterMs = 0;
    const { port, done } = await outboundHarness(async (c, send) => {
      send('connect\n\n');
      await c.waitFor((f) => f.length >= 1);
      assert.equal(header(c.frames()[0] as RawFrame, 'Socket-Mode'), 'static');
      send('myevents\n\n');
      await c.waitFor((f) => f.length >= 2);
      const sent = Date.now();
      send(
        'sendmsg\ncall-command: execute\nexecute-app-name: playback\nexecute-app-arg: /tmp/a.wav\nEvent-UUID: 11111111-2222-3333-4444-555555555555\n\n',
      );
      await c.waitFor((f) => f.length >= 3);
      replyAfterMs = Date.now() - sent;
      await c.waitFor(() => countEvents(c, 'CHANNEL_EXECUTE_COMPLETE', 'playback') === 1);
      send('exit\n\n');
    });
    const call = fs.placeCall({
      from: '1001',
      to: '5001',
      answer: true,
      socket: { host: '127.0.0.1', port, async: false },
    });
    const rx = await done;
    const seq = splitFrames(rx).map(
      (f) => eventName(f) ?? header(f, 'Reply-Text') ?? header(f, 'Content-Type'),
    );
    assert.deepEqual(seq.slice(1, 5), [
      '+OK Events Enabled',
      '+OK',
      'CHANNEL_EXECUTE',
      'CHANNEL_EXECUTE_COMPLETE',
    ]);
    assert.ok(replyAfterMs >= 250, `reply after ${replyAfterMs} ms`);
    await call.ended;
  });
});
