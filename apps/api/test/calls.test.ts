import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { voicemailChangedChannel } from '@pbx/contracts';
import { liveCallsChannel } from '@pbx/contracts/calls';
import { createTenantResolver, LiveCallStore, RegistrationStore } from '@pbx/events-ingest';
import { TEST_REDIS_URL, waitFor } from '@pbx/testing';
import { Redis } from 'ioredis';
import {
  createTenant,
  expectProblem,
  expectStatus,
  json,
  startApi,
  type Harness,
  type Tenant,
} from './helpers.js';

const h: Harness = await startApi();

let a: Tenant;
let b: Tenant;
let extA: { id: string };
let extB: { id: string };
let regs: RegistrationStore;
let live: LiveCallStore;

const register = (domain: string, ext: string, callId: string) =>
  regs.applyRegistrationEvent({
    'Event-Name': 'CUSTOM',
    'Event-Subclass': 'sofia::register',
    'FreeSWITCH-Switchname': 'fs-1',
    'profile-name': 'internal',
    'from-user': ext,
    'from-host': domain,
    username: ext,
    realm: domain,
    contact: `"${ext}" <sip:${ext}@192.0.2.10:5060;transport=udp>`,
    'call-id': callId,
    expires: '3600',
    'network-ip': '192.0.2.10',
    'network-port': '5060',
    'user-agent': 'Desk Phone 1.0',
  });

const channelEvent = (name: string, uuid: string, domain: string, from: string, to: string) => ({
  'Event-Name': name,
  'FreeSWITCH-Switchname': 'fs-1',
  'Unique-ID': uuid,
  'Channel-Name': `sofia/internal/${from}@${domain}`,
  'Caller-Caller-ID-Number': from,
  'Caller-Caller-ID-Name': `Ext ${from}`,
  'Caller-Destination-Number': to,
  'Answer-State': name === 'CHANNEL_ANSWER' ? 'answered' : 'ringing',
  variable_domain_name: domain,
  variable_user_name: from,
});

before(async () => {
  a = await createTenant(h, 'CallsA');
  b = await createTenant(h, 'CallsB');
  const ext = async (t: Tenant, number: string) => {
    const res = await t.api('POST', `${t.base}/extensions`, {
      body: { number, displayName: `Ext ${number}` },
    });
    expectStatus(res, 201);
    return json(res);
  };
  extA = await ext(a, '101');
  extB = await ext(b, '101');
  const tenants = createTenantResolver(h.prisma);
  regs = new RegistrationStore({ redis: h.redis, prefix: h.prefix, tenants });
  live = new LiveCallStore({ redis: h.redis, prefix: h.prefix, tenants });
  await register(a.tenant.domain, '101', 'a-101-desk');
  await register(a.tenant.domain, '101', 'a-101-soft');
  await register(a.tenant.domain, '102', 'a-102');
  await register(b.tenant.domain, '101', 'b-101');
  await live.applyChannelEvent(channelEvent('CHANNEL_CREATE', 'leg-a-1', a.tenant.domain, '101', '102'));
  await live.applyChannelEvent(
    channelEvent('CHANNEL_CREATE', 'leg-b-1', b.tenant.domain, '101', '+4930123456'),
  );
});

void describe('voicemail changes reach the controllers (MWI)', () => {
  const sub = new Redis(TEST_REDIS_URL);
  after(() => sub.disconnect());
  test('marking a message read and deleting it publish VoicemailChanged', async () => {
    const boxRes = await a.api('POST', `${a.base}/voicemail-boxes`, {
      body: { number: '801', name: 'Box', pin: '4321' },
    });
    expectStatus(boxRes, 201);
    const box = json(boxRes);
    const message = await h.prisma.voicemailMessage.create({
      data: {
        tenantId: a.id,
        boxId: box.id,
        callUuid: 'vm-1',
        durationSec: 3,
        filePath: '/nonexistent/vm-1.wav',
        sizeBytes: 1,
        callerIdNumber: '+4930999',
      },
    });
    const got: unknown[] = [];
    sub.on('message', (_c: string, m: string) => got.push(JSON.parse(m)));
    await sub.subscribe(voicemailChangedChannel(h.prefix));
    const url = `${a.base}/voicemail-boxes/${box.id}/messages/${message.id}`;
    expectStatus(await a.api('PATCH', url, { body: { read: true } }), 200);
    expectStatus(await a.api('DELETE', url), 204);
    await waitFor('two voicemail-changed messages', () => got.length >= 2);
    assert.deepEqual(got, [
      { tenantId: a.id, boxId: box.id },
      { tenantId: a.id, boxId: box.id },
    ]);
  });
});

void describe('registrations and live calls (read from what the controller keeps in Redis)', () => {
  test('registrations per tenant and per extension', async () => {
    const all = await a.api('GET', `${a.base}/registrations`);
    expectStatus(all, 200);
    assert.deepEqual(
      json(all)
        .items.map((r: { callId: string }) => r.callId)
        .sort(),
      ['a-101-desk', 'a-101-soft', 'a-102'],
    );
    const first = json(all).items.find((r: { callId: string }) => r.callId === 'a-101-desk');
    assert.equal(first.contact, 'sip:101@192.0.2.10:5060;transport=udp');
    assert.equal(first.userAgent, 'Desk Phone 1.0');
    assert.equal(first.nodeId, 'fs-1');
    const one = await a.api('GET', `${a.base}/extensions/${extA.id}/registrations`);
    expectStatus(one, 200);
    assert.deepEqual(
      json(one)
        .items.map((r: { callId: string }) => r.callId)
        .sort(),
      ['a-101-desk', 'a-101-soft'],
    );
  });

  test("tenant A's admin sees nothing of tenant B", async () => {
    expectProblem(await a.api('GET', `${b.base}/registrations`), 404, 'NOT_FOUND');
    expectProblem(await a.api('GET', `${b.base}/live-calls`), 404, 'NOT_FOUND');
    expectProblem(await a.api('GET', `${b.base}/extensions/${extB.id}/registrations`), 404, 'NOT_FOUND');
    expectProblem(
      await a.api('GET', `${b.base}/live-calls/stream`, { headers: { accept: 'text/event-stream' } }),
      404,
      'NOT_FOUND',
    );
    // B's extension through A's own tenant path: not found either, and A's lists hold none of B's.
    expectProblem(await a.api('GET', `${a.base}/extensions/${extB.id}/registrations`), 404, 'NOT_FOUND');
    assert.ok(!JSON.stringify(json(await a.api('GET', `${a.base}/registrations`))).includes('b-101'));
    assert.ok(!JSON.stringify(json(await a.api('GET', `${a.base}/live-calls`))).includes('leg-b-1'));
    expectProblem(await h.client.anon('GET', `${a.base}/live-calls`), 401, 'UNAUTHENTICATED');
  });

  test('live calls per tenant', async () => {
    const res = await a.api('GET', `${a.base}/live-calls`);
    expectStatus(res, 200);
    const items = json(res).items;
    assert.equal(items.length, 1);
    assert.equal(items[0].uuid, 'leg-a-1');
    assert.equal(items[0].callerNumber, '101');
    assert.equal(items[0].callee, '102');
    assert.equal(items[0].state, 'ringing');
  });

  test('the live-call stream: snapshot, then changes of this tenant only; closed cleanly when the client goes', async () => {
    expectProblem(await a.api('GET', `${a.base}/live-calls/stream`), 400, 'VALIDATION_FAILED');
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (h.app.server.address() as AddressInfo).port;
    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}${a.base}/live-calls/stream`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${a.adminKey}` },
      signal: abort.signal,
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.ok(res.body);
    const reader = res.body.getReader();
    let buffer = '';
    const nextEvent = async (): Promise<{ event: string; data: any }> => {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) continue;
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
          const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null');
          return { event, data };
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += new TextDecoder().decode(value);
      }
    };
    const snapshot = await nextEvent();
    assert.equal(snapshot.event, 'snapshot');
    assert.deepEqual(
      snapshot.data.items.map((c: { uuid: string }) => c.uuid),
      ['leg-a-1'],
    );
    // A change of tenant B is not streamed to A; A's own are, in order.
    await live.applyChannelEvent(
      channelEvent('CHANNEL_ANSWER', 'leg-b-1', b.tenant.domain, '101', '+4930123456'),
    );
    await live.applyChannelEvent(channelEvent('CHANNEL_ANSWER', 'leg-a-1', a.tenant.domain, '101', '102'));
    await live.applyChannelEvent(
      channelEvent('CHANNEL_HANGUP_COMPLETE', 'leg-a-1', a.tenant.domain, '101', '102'),
    );
    const up = await nextEvent();
    assert.equal(up.event, 'change');
    assert.equal(up.data.type, 'upsert');
    assert.equal(up.data.call.uuid, 'leg-a-1');
    assert.equal(up.data.call.state, 'answered');
    const gone = await nextEvent();
    assert.deepEqual(gone.data, { type: 'remove', tenantId: a.id, uuid: 'leg-a-1' });
    // A second portal tab stays open until the end of the file: the API's shutdown must end it, not wait for it.
    const lingering = await fetch(`http://127.0.0.1:${port}${a.base}/live-calls/stream`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${a.adminKey}` },
    });
    assert.equal(lingering.status, 200);
    const channel = liveCallsChannel(h.prefix, a.id);
    await waitFor(
      'both SSE streams subscribed',
      async () => ((await h.redis.pubsub('NUMSUB', channel)) as [string, number])[1] === 2,
    );
    // The client goes: the server drops its Redis subscription.
    abort.abort();
    await waitFor(
      'one SSE stream left',
      async () => ((await h.redis.pubsub('NUMSUB', channel)) as [string, number])[1] === 1,
    );
    // Shutting the API down ends the stream still open (this test runs last for that reason).
    await h.app.close();
    assert.ok(lingering.body);
    for await (const chunk of lingering.body) void chunk;
    await waitFor(
      'no SSE subscriber left',
      async () => ((await h.redis.pubsub('NUMSUB', channel)) as [string, number])[1] === 0,
    );
  });
});
