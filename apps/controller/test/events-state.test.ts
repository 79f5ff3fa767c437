import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDb, type Db } from '@pbx/db';
import { startFreeswitchDouble, type FreeswitchDouble } from '@pbx/freeswitch-double';
import { header, type EslHeaders } from '@pbx/events-ingest';
import { createTestDatabase, testRedisPrefix } from '@pbx/testing';
import { redisNotificationPublisher } from '@pbx/jobs/notifications';
import { sendMwi } from '../src/events/mwi.js';
import { toIngestEvent } from '../src/events/to-ingest-event.js';
import { seedTenant, startEventController, until, type EventController } from './events-harness.js';

const dbReady = createTestDatabase();
let url: string;
let fs: FreeswitchDouble;
let seed: { prisma: Db; close: () => Promise<void> };
let tenantId: string;
const prefix = testRedisPrefix();
const open: EventController[] = [];

const start = async () => {
  const c = await startEventController({
    databaseUrl: url,
    prefix,
    doubles: [{ name: 'fs-a', port: fs.port }],
  });
  open.push(c);
  await c.esl?.node('fs-a').waitReady(10_000);
  return c;
};
const sorted = (xs: Iterable<string>) => [...xs].sort();
const ev = (c: EventController) => {
  assert.ok(c.events, 'the controller runs its ESL side');
  return c.events;
};

before(async () => {
  url = (await dbReady).url;
  fs = await startFreeswitchDouble({ hostname: 'fs-a', timing: { bridgeAnswerMs: 10 } });
  seed = createDb({ databaseUrl: url, poolSize: 1 });
  ({ tenantId } = await seedTenant(seed.prisma, 'acme.test'));
});
after(async () => {
  for (const c of open) await c.close();
  await fs.close();
  await seed.close();
});

void describe('controller state from FreeSWITCH events', () => {
  test('the adapter event → events-ingest header map conversion keeps every FreeSWITCH header', async () => {
    const c = await start();
    const seen: EslHeaders[] = [];
    const off = c.esl?.onEvent((_n, e) => {
      if (e.eventName === 'CUSTOM' && e.subclass === 'sofia::register') seen.push(toIngestEvent(e));
    });
    fs.registerPhone({ user: '1003', domain: 'acme.test', callId: 'conv-1' });
    await until('the register event', () => seen.length === 1);
    off?.();
    const h = (name: string) => header(seen[0] ?? {}, name);
    assert.equal(h('Event-Name'), 'CUSTOM');
    assert.equal(h('Event-Subclass'), 'sofia::register');
    assert.equal(h('FreeSWITCH-Switchname'), 'fs-a');
    assert.equal(h('call-id'), 'conv-1');
    assert.equal(h('realm'), 'acme.test');
    assert.equal(h('domain_name'), 'acme.test');
    fs.unregisterPhone('1003', 'acme.test');
    await c.close();
  });

  test('register / unregister / expire, then reconciliation after the ESL connection was cut', async () => {
    const c = await start();
    const regs = () => ev(c).registrations;
    fs.registerPhone({ user: '1001', domain: 'acme.test', callId: 'call-1001' });
    fs.registerPhone({ user: '1002', domain: 'acme.test', callId: 'call-1002' });
    fs.registerPhone({ user: '1003', domain: 'acme.test', callId: 'call-1003' });
    fs.registerPhone({ user: '1001', domain: 'elsewhere.test', callId: 'call-stranger' }); // not a tenant: ignored
    await until('three registrations', async () => (await regs().listByTenant(tenantId)).length === 3);
    const r1001 = await regs().listByExtension(tenantId, '1001');
    assert.equal(r1001.length, 1);
    assert.equal(r1001[0]?.nodeId, 'fs-a');
    assert.equal(r1001[0]?.callId, 'call-1001');
    fs.unregisterPhone('1002', 'acme.test');
    fs.expireRegistration('1003', 'acme.test');
    await until(
      'only 1001 left',
      async () => sorted((await regs().listByTenant(tenantId)).map((r) => r.extension)).join() === '1001',
    );

    // Cut the connection and keep the controller out while phones come and go.
    const reconcilesBefore = reconcilesOk(await c.metrics.registry.render());
    fs.faults.refuseAuth = true;
    fs.dropConnections();
    await until('disconnected', () => c.esl?.node('fs-a').state !== 'ready');
    fs.unregisterPhone('1001', 'acme.test');
    fs.registerPhone({ user: '1002', domain: 'acme.test', callId: 'call-1002-again' });
    fs.registerPhone({ user: '1003', domain: 'acme.test', callId: 'call-1003-again' });
    assert.deepEqual(
      sorted((await regs().listByTenant(tenantId)).map((r) => r.callId)),
      ['call-1001'],
      'nothing seen while away',
    );
    const reconciled = ev(c).reconciled('fs-a');
    fs.faults.refuseAuth = false;
    await reconciled;
    assert.deepEqual(sorted((await regs().listByTenant(tenantId)).map((r) => r.callId)), [
      'call-1002-again',
      'call-1003-again',
    ]);
    const metrics = await c.metrics.registry.render();
    // At least the one after the cut (a loaded machine may see the connection drop and reconcile once more).
    assert.ok(reconcilesOk(metrics) >= reconcilesBefore + 1, metrics);
    fs.unregisterPhone('1002', 'acme.test');
    fs.unregisterPhone('1003', 'acme.test');
    await until('all gone', async () => (await regs().listByTenant(tenantId)).length === 0);
    await c.close();
  });

  test('live calls follow the channels, and match the double after a controller restart', async () => {
    fs.registerPhone({ user: '1002', domain: 'acme.test', callId: 'live-1002' });
    const c = await start();
    const live = () => ev(c).liveCalls;
    const parked = [
      fs.placeCall({ from: '1001', to: '5000', domain: 'acme.test', answer: true }),
      fs.placeCall({ from: '1003', to: '5001', domain: 'acme.test' }),
    ];
    const bridged = fs.placeCall({
      from: '1001',
      to: '1002',
      domain: 'acme.test',
      apps: [['bridge', 'user/1002@acme.test']],
    });
    const doubleUuids = () => sorted(fs.calls().map((r) => r.uuid));
    await until(
      'four legs',
      async () => (await live().list(tenantId)).length === 4 && doubleUuids().length === 4,
    );
    await until(
      'bridged',
      async () => (await live().list(tenantId)).filter((x) => x.state === 'bridged').length === 2,
    );
    assert.deepEqual(sorted((await live().list(tenantId)).map((x) => x.uuid)), doubleUuids());
    const a = (await live().list(tenantId)).find((x) => x.uuid === bridged.uuid);
    assert.equal(a?.callerNumber, '1001');
    assert.equal(a?.callee, '1002');

    await c.close();
    // While no controller runs: one call ends, another starts.
    parked[0]?.hangup();
    await parked[0]?.ended;
    const late = fs.placeCall({ from: '1002', to: '5000', domain: 'acme.test', answer: true });
    const c2 = await start();
    await until(
      'rebuilt from show channels',
      async () =>
        sorted((await ev(c2).liveCalls.list(tenantId)).map((x) => x.uuid)).join() === doubleUuids().join(),
    );
    assert.ok(doubleUuids().includes(late.uuid));
    for (const call of [parked[1], bridged, late]) call?.hangup();
    await Promise.all([parked[1]?.ended, bridged.ended, late.ended]);
    await until('no live calls', async () => (await ev(c2).liveCalls.list(tenantId)).length === 0);
    fs.unregisterPhone('1002', 'acme.test');
    await c2.close();
  });

  // Sofia-Profile: without it mod_sofia keeps the profile locked (docs/freeswitch-facts.md §9.3); the double refuses it.
  test('voicemail changed → MESSAGE_WAITING with the box counts, to the sofia profile the phone registered on', async () => {
    const c = await start();
    const box = await seed.prisma.voicemailBox.create({
      data: { tenantId, number: '8001', name: 'Box', pinHash: 'x' },
    });
    for (const readAt of [null, null, new Date()])
      await seed.prisma.voicemailMessage.create({
        data: {
          tenantId,
          boxId: box.id,
          callUuid: `vm-${Math.random()}`,
          durationSec: 3,
          filePath: '/tmp/x.wav',
          sizeBytes: 1,
          callerIdNumber: '1001',
          readAt,
        },
      });
    const change = { tenantId, boxId: box.id };
    // Registered nowhere: nothing to send (the phone learns its state when it subscribes).
    const nowhere = { listByExtension: () => Promise.resolve([]), nodeIdOf: () => 'fs-a' };
    assert.ok(c.esl);
    assert.equal(await sendMwi({ prisma: seed.prisma, esl: c.esl, registrations: nowhere }, change), 0);
    fs.registerPhone({ user: '8001', domain: 'acme.test', profile: 'internal' });
    await until(
      'the registration is stored and the node known',
      async () =>
        (await ev(c).registrations.listByExtension(tenantId, '8001')).length === 1 &&
        ev(c).nodeIdOf('fs-a') !== undefined,
    );
    const before = fs.sentEvents.length;
    const publish = redisNotificationPublisher(c.publisher, prefix, () => ({
      error: (_o: object, msg: string) => assert.fail(msg),
    }));
    await publish({ kind: 'voicemail', change });
    await until('MWI sent', () => fs.sentEvents.length > before);
    const sent = fs.sentEvents.at(-1);
    assert.equal(sent?.name, 'MESSAGE_WAITING');
    assert.equal(sent?.headers.get('mwi-messages-waiting'), 'yes');
    assert.equal(sent?.headers.get('mwi-message-account'), 'sip:8001@acme.test');
    assert.equal(sent?.headers.get('mwi-voice-message'), '2/1 (0/0)');
    assert.equal(sent?.headers.has('unique-id'), false);
    assert.equal(sent?.headers.get('sofia-profile'), 'internal');
    assert.equal(fs.refusedEvents.length, 0);
    // Another tenant's id with this box sends nothing. Changes of one box are handled in order, so
    // once the MWI of the owner's next change is out, the foreign one has been handled too.
    await publish({
      kind: 'voicemail',
      change: { tenantId: '00000000-0000-4000-8000-000000000000', boxId: box.id },
    });
    await publish({ kind: 'voicemail', change: { tenantId, boxId: box.id } });
    await until("the MWI of the owner's next change", () => fs.sentEvents.length > before + 1);
    assert.equal(fs.sentEvents.length, before + 2);
    assert.equal(fs.sentEvents.at(-1)?.headers.get('mwi-message-account'), 'sip:8001@acme.test');
    fs.unregisterPhone('8001', 'acme.test');
    await c.close();
  });
});

/** pbx_esl_reconciles_total{node="fs-a",outcome="ok"} in a /metrics text (0 before the first). */
function reconcilesOk(metrics: string): number {
  const line = metrics
    .split('\n')
    .find((l) => l.startsWith('pbx_esl_reconciles_total{node="fs-a",outcome="ok"} '));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
