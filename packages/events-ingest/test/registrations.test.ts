import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testRedisPrefix } from '@pbx/testing';
import { parseShowRegistrations, RegistrationStore, type HeaderRecord } from '../src/index.js';
import { capturedApiResponses, capturedPlainEvents, acmeWorld } from './support.js';

const { redis, tenantId, tenants } = await acmeWorld();

const eventSec = (e: HeaderRecord): number => Math.floor(Number(e['Event-Date-Timestamp']) / 1_000_000);

describe('registrations in Redis', () => {
  test('the captured sofia::register / unregister / expire events, in order', async () => {
    let now = 0;
    const prefix = testRedisPrefix();
    const store = new RegistrationStore({ redis, prefix, tenants, now: () => now });
    const events = capturedPlainEvents().filter((e) => e['Event-Name'] === 'CUSTOM');
    const seen: string[] = [];
    for (const event of events) {
      now = eventSec(event);
      const result = await store.applyRegistrationEvent(event);
      seen.push(`${event['Event-Subclass']}:${result.action}`);
      if (result.action === 'registered' && result.registration.callId === 'reg-1002@capture.invalid') {
        const both = await store.listByTenant(tenantId);
        assert.deepEqual(
          both.map((r) => [
            r.extension,
            r.callId,
            r.contact,
            r.userAgent,
            r.networkIp,
            r.networkPort,
            r.profile,
            r.nodeId,
          ]),
          [
            [
              '1001',
              'reg-1001@capture.invalid',
              'sip:1001@127.0.0.1:5070',
              'SIPp-capture',
              '127.0.0.1',
              5070,
              'internal',
              'vm',
            ],
            [
              '1002',
              'reg-1002@capture.invalid',
              'sip:1002@127.0.0.1:5080',
              'SIPp-capture',
              '127.0.0.1',
              5080,
              'internal',
              'vm',
            ],
          ],
        );
        // Registration time + Expires + the 60 s late margin: what `show registrations` reports as expires.
        const shown = parseShowRegistrations(
          capturedApiResponses('esl-inbound-registrations.rx.raw')[0] ?? '',
        );
        assert.deepEqual(
          both.map((r) => r.expiresAt),
          shown.map((r) => Number(r.expires)),
        );
        const ttl = await redis.ttl(`${prefix}:reg:vm:reg-1001@capture.invalid`);
        assert.ok(ttl > 3600 && ttl <= 3660, `the key expires by itself (ttl ${ttl})`);
      }
    }
    assert.ok(seen.includes('sofia::register_failure:ignored'));
    assert.ok(seen.includes('sofia::unregister:removed'));
    assert.ok(seen.includes('sofia::expire:removed'));
    // 1001 unregistered, its 10 s registration on the expiry profile expired: only 1002 is left.
    const left = await store.listByTenant(tenantId);
    assert.deepEqual(
      left.map((r) => r.callId),
      ['reg-1002@capture.invalid'],
    );
    assert.deepEqual(await store.listByExtension(tenantId, '1001'), []);
    assert.equal((await store.listByExtension(tenantId, '1002')).length, 1);
  });

  test('a phone that vanishes disappears by itself when its registration runs out', async () => {
    // The store's clock is injected: the listing is pruned by it, and Redis drops the record by the
    // TTL it was given, so neither needs the test to wait out the registration.
    let nowSec = 1_700_000_000;
    const prefix = testRedisPrefix();
    const store = new RegistrationStore({ redis, prefix, tenants, lateMarginSec: 0, now: () => nowSec });
    const register = capturedPlainEvents().find((e) => e['Event-Subclass'] === 'sofia::register');
    assert.ok(register);
    const result = await store.applyRegistrationEvent({
      ...register,
      'Event-Date-Timestamp': String(nowSec * 1_000_000),
      expires: '30',
    });
    assert.equal(result.action, 'registered');
    assert.equal((await store.listByTenant(tenantId)).length, 1);
    const records = (await redis.keys(`${prefix}:*`)).filter((k) => !k.includes(':idx:'));
    assert.equal(records.length, 1);
    const ttl = await redis.ttl(records[0] ?? '');
    assert.ok(ttl > 0 && ttl <= 30, `the record expires by itself with the registration (ttl ${ttl})`);
    nowSec += 29;
    assert.equal((await store.listByTenant(tenantId)).length, 1, 'still registered before Expires');
    nowSec += 2;
    assert.deepEqual(await store.listByTenant(tenantId), []);
  });

  test('unknown domains are ignored, not stored', async () => {
    const store = new RegistrationStore({ redis, prefix: testRedisPrefix(), tenants });
    const register = capturedPlainEvents().find((e) => e['Event-Subclass'] === 'sofia::register');
    assert.ok(register);
    const result = await store.applyRegistrationEvent({
      ...register,
      realm: 'nobody.test',
      domain_name: 'nobody.test',
      'from-host': 'nobody.test',
    });
    assert.equal(result.action, 'ignored');
  });

  test('reconcile replaces one node with `show registrations as json` and leaves other nodes alone', async () => {
    const now = 1795387800;
    const store = new RegistrationStore({ redis, prefix: testRedisPrefix(), tenants, now: () => now });
    const events = capturedPlainEvents().filter((e) => e['Event-Subclass'] === 'sofia::register');
    const reg1002 = events.find((e) => e['from-user'] === '1002');
    const reg1001 = events.find((e) => e['from-user'] === '1001');
    assert.ok(reg1002 && reg1001);
    await store.applyRegistrationEvent(reg1002); // vm: 1002, known with its user agent
    await store.applyRegistrationEvent({ ...reg1001, 'call-id': 'gone@phone', 'user-agent': 'Old' }); // vm: a registration FS no longer has
    await store.applyRegistrationEvent({ ...reg1001, 'call-id': 'other@node' }, 'fs2'); // another node

    const json = capturedApiResponses('esl-inbound-registrations.rx.raw')[0] ?? '';
    assert.deepEqual(await store.reconcile('vm', json), { kept: 1, added: 1, removed: 1 });
    const vm = await store.listByNode('vm');
    assert.deepEqual(
      vm.map((r) => [r.extension, r.callId, r.contact, r.profile, r.userAgent, r.expiresAt]),
      [
        ['1001', 'reg-1001@capture.invalid', 'sip:1001@127.0.0.1:5070', 'internal', '', 1795391450],
        [
          '1002',
          'reg-1002@capture.invalid',
          'sip:1002@127.0.0.1:5080',
          'internal',
          'SIPp-capture',
          1795391451,
        ],
      ],
    );
    assert.deepEqual((await store.listByTenant(tenantId)).map((r) => `${r.nodeId}/${r.callId}`).sort(), [
      'fs2/other@node',
      'vm/reg-1001@capture.invalid',
      'vm/reg-1002@capture.invalid',
    ]);
    assert.equal(
      (await store.listByExtension(tenantId, '1001')).length,
      2,
      'one extension, two devices on two nodes',
    );

    // The rows array alone works too, and changes nothing now.
    assert.deepEqual(await store.reconcile('vm', parseShowRegistrations(json)), {
      kept: 2,
      added: 0,
      removed: 0,
    });
    // An empty answer is `{"row_count": 0}` with no rows key.
    assert.deepEqual(await store.reconcile('vm', '{"row_count": 0}\n'), { kept: 0, added: 0, removed: 2 });
    assert.deepEqual(
      (await store.listByTenant(tenantId)).map((r) => `${r.nodeId}/${r.callId}`),
      ['fs2/other@node'],
    );
  });
});
