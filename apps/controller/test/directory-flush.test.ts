// FreeSWITCH keeps the directory (cacheable answers) and the controller flushes exactly the changed users on every
// node after commit; a node that missed flushes is flushed wholesale when it is back. Cross-realm registrations
// that a cache hit let through are evicted from the sofia::register event.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { configChangedChannel, type ConfigChanged } from '@pbx/contracts';
import { sipA1Hash } from '@pbx/domain';
import { SipPhones, startFreeswitchDouble, type FreeswitchDouble } from '@pbx/freeswitch-double';
import { createTestDatabase, testRedisPrefix } from '@pbx/testing';
import { startEventController, until, type EventController } from './events-harness.js';
import { createExtension, createTenant, xmlCurlClient } from './helpers.js';
import { valueOf } from '@pbx/metrics';

const db = await createTestDatabase();

void describe('directory cache flushes', () => {
  let c: EventController;
  const prefix = testRedisPrefix();
  let fs1: FreeswitchDouble;
  let fs2: FreeswitchDouble;
  let p1: SipPhones;
  let p2: SipPhones;
  let a: { id: string; domain: string };
  let b: { id: string; domain: string };
  const ext = new Map<string, { id: string; voicemailBoxId: string | null }>();

  /** Every `api xml_flush_cache …` a node received, over all its connections. */
  const flushes = (fs: FreeswitchDouble) =>
    fs.inboundHistory.flatMap((s) => s.commands).filter((l) => l.startsWith('api xml_flush_cache'));
  const flushOk = (node: string, scope: string) =>
    valueOf(c.metrics.directoryFlushes, { node, scope, outcome: 'ok' });

  const publish = async (msg: Omit<ConfigChanged, 'at' | 'tenantId'> & { tenantId?: string }) => {
    await c.publisher.publish(
      configChangedChannel(prefix),
      JSON.stringify({ tenantId: a.id, at: new Date().toISOString(), ...msg }),
    );
  };
  /** Publishes and waits until the controller has turned the change into flushes and both nodes answered. */
  const change = async (msg: Parameters<typeof publish>[0]) => {
    const seen = [flushes(fs1).length, flushes(fs2).length];
    const okBefore = (await flushOk('fs1', 'user')) + (await flushOk('fs2', 'user'));
    await publish(msg);
    await until(
      'flushes sent',
      async () => (await flushOk('fs1', 'user')) + (await flushOk('fs2', 'user')) > okBefore,
    );
    // The first answer came back, so every flush of this change is queued: wait for all of them.
    await c.flushIdle();
    return [flushes(fs1).slice(seen[0]), flushes(fs2).slice(seen[1])];
  };
  const reg = (phones: SipPhones, user: string, realm: string, password: string, extra = {}) =>
    phones.register({ user, realm, password, ...extra });

  before(async () => {
    fs1 = await startFreeswitchDouble({ hostname: 'fs1' });
    fs2 = await startFreeswitchDouble({ hostname: 'fs2' });
    c = await startEventController({
      databaseUrl: db.url,
      prefix,
      doubles: [
        { name: 'fs1', port: fs1.port },
        { name: 'fs2', port: fs2.port },
      ],
    });
    const client = xmlCurlClient(`http://127.0.0.1:${c.port}/freeswitch`);
    p1 = new SipPhones(fs1, client);
    p2 = new SipPhones(fs2, client);
    a = await createTenant(c.prisma, 'a.test');
    b = await createTenant(c.prisma, 'b.test');
    for (const [t, n] of [
      [a, '1001'],
      [a, '1002'],
      [a, '2000'],
      [b, '1001'],
    ] as const)
      ext.set(`${n}@${t.domain}`, await createExtension(c.prisma, t, n, { password: `${t.domain}-${n}` }));
    // Each node is flushed wholesale once it is connected (changes may predate this controller).
    await until(
      'both nodes flushed on connect',
      async () => (await flushOk('fs1', 'all')) >= 1 && (await flushOk('fs2', 'all')) >= 1,
    );
  });
  after(async () => {
    await c.close();
    await fs1.close();
    await fs2.close();
  });

  void test('re-REGISTERs and bridging to the user are answered from FreeSWITCH cache: one lookup', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await reg(p1, '1001', 'a.test', 'a.test-1001')).status, 200);
    assert.equal(p1.lookups, 1);
    assert.ok(await p1.userCall('1001', 'a.test'));
    assert.equal(p1.lookups, 1);
  });

  void test('a password reset flushes exactly that user on every node; the old password stops working', async () => {
    await reg(p1, '1002', 'a.test', 'a.test-1002');
    await reg(p2, '1001', 'a.test', 'a.test-1001');
    await reg(p2, '1002', 'a.test', 'a.test-1002');
    const id = ext.get('1001@a.test')?.id ?? '';
    await c.prisma.extension.update({
      where: { id },
      data: { sipA1Hash: sipA1Hash('1001', 'a.test', 'new-password') },
    });
    const [n1, n2] = await change({ domain: 'a.test', entity: 'extension', entityId: id });
    assert.deepEqual(n1, ['api xml_flush_cache id 1001 a.test']);
    assert.deepEqual(n2, ['api xml_flush_cache id 1001 a.test']);
    for (const p of [p1, p2]) {
      const before = p.lookups;
      assert.equal((await reg(p, '1001', 'a.test', 'a.test-1001')).status, 403);
      assert.equal((await reg(p, '1001', 'a.test', 'new-password')).status, 200);
      assert.equal(p.lookups, before + 1); // the 403 asked; the new password was then served from the cache
      // 1002 was not flushed.
      assert.equal((await reg(p, '1002', 'a.test', 'a.test-1002')).status, 200);
      assert.equal(p.lookups, before + 1);
    }
  });

  void test('a voicemail box change flushes the extensions using it; other entities flush nobody', async () => {
    const box = ext.get('1002@a.test')?.voicemailBoxId ?? '';
    const [n1] = await change({ domain: 'a.test', entity: 'voicemail-box', entityId: box });
    assert.deepEqual(n1, ['api xml_flush_cache id 1002 a.test']);
    // A ring group change (not in any directory answer), then a real one: only the latter's flush is sent.
    await publish({ domain: 'a.test', entity: 'ring-group', entityId: box });
    const [m1] = await change({
      domain: 'a.test',
      entity: 'extension',
      entityId: ext.get('2000@a.test')?.id,
    });
    assert.deepEqual(m1, ['api xml_flush_cache id 2000 a.test']);
  });

  void test('tenant suspend and rename flush every user of the tenant (under the old domain too), not others', async () => {
    await c.prisma.tenant.update({ where: { id: a.id }, data: { status: 'SUSPENDED' } });
    const [n1] = await change({ domain: 'a.test', entity: 'tenant', entityId: a.id });
    assert.deepEqual(n1?.sort(), [
      'api xml_flush_cache id 1001 a.test',
      'api xml_flush_cache id 1002 a.test',
      'api xml_flush_cache id 2000 a.test',
    ]);
    // Still registered after the flush: a suspended tenant's phones must be able to call emergency numbers.
    assert.equal((await reg(p1, '1002', 'a.test', 'a.test-1002')).status, 200);
    await c.prisma.tenant.update({ where: { id: a.id }, data: { status: 'ACTIVE', domain: 'a2.test' } });
    const [r1] = await change({
      domain: 'a2.test',
      previousDomain: 'a.test',
      entity: 'tenant',
      entityId: a.id,
    });
    for (const n of ['1001', '1002', '2000']) {
      assert.ok(r1?.includes(`api xml_flush_cache id ${n} a.test`), n);
      assert.ok(r1?.includes(`api xml_flush_cache id ${n} a2.test`), n);
    }
    assert.equal(
      r1?.some((l) => l.includes('b.test')),
      false,
    );
    await c.prisma.tenant.update({ where: { id: a.id }, data: { domain: 'a.test' } });
    await change({ domain: 'a.test', previousDomain: 'a2.test', entity: 'tenant', entityId: a.id });
  });

  void test('a node that was disconnected during a change is flushed wholesale when it is back', async () => {
    await reg(p2, '1001', 'b.test', 'b.test-1001');
    assert.ok(fs2.userCache.size > 0);
    const wholesale = await flushOk('fs2', 'all');
    fs2.dropConnections();
    await until('fs2 seen as down', () => c.esl?.node('fs2').state !== 'ready');
    await publish({
      domain: 'b.test',
      tenantId: b.id,
      entity: 'extension',
      entityId: ext.get('1001@b.test')?.id,
    });
    await until(
      'fs2 flushed wholesale after reconnecting',
      async () => (await flushOk('fs2', 'all')) > wholesale,
    );
    assert.equal(fs2.userCache.size, 0);
  });

  void test('a cross-realm REGISTER served from the cache is evicted from its register event', async () => {
    fs1.userCache.clear();
    assert.equal((await reg(p1, '2000', 'a.test', 'a.test-2000')).status, 200);
    const before = p1.lookups;
    // Realm a.test (cached, so the controller is not asked), To and From b.test.
    const res = await reg(p1, '2000', 'a.test', 'a.test-2000', { toHost: 'b.test', fromHost: 'b.test' });
    assert.equal(p1.lookups, before);
    assert.equal(res.status, 200); // FreeSWITCH said yes from its cache: the window the eviction closes
    await until('evicted', () => !fs1.registrations().some((r) => r.domain === 'b.test'));
    await until(
      'eviction counted',
      async () => (await valueOf(c.metrics.crossRealmEvictions, { node: 'fs1', outcome: 'ok' })) === 1,
    );
    const shown = fs1.runApi('show registrations as json').body;
    assert.equal(shown.includes('b.test'), false);
    assert.ok(shown.includes('"reg_user":"2000","realm":"a.test"'));
    // The user left the node's cache too: the phone's next try reaches the directory and is refused.
    await until(
      'user flushed from the cache',
      () => fs1.userCache.find('id', '2000', 'a.test') === undefined,
    );
    const again = await reg(p1, '2000', 'a.test', 'a.test-2000', { toHost: 'b.test', fromHost: 'b.test' });
    assert.equal(again.status, 403);
    assert.equal(p1.lookups, before + 1);
  });
});
