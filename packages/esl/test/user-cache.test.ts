// The double's directory user cache, as src/switch_xml.c keeps it, and the api commands that clear it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FreeswitchDouble, UserCache, cacheExpiry, type CachedUser } from '@pbx/freeswitch-double';

const user = (id: string, cacheable: string | null): CachedUser => ({
  domain: 'a.test',
  user: { id, params: [{ name: 'a1-hash', value: 'x' }], variables: [], cacheable },
});

void test('keyed by key + user + domain; the purpose is not part of the key', () => {
  const c = new UserCache();
  c.store('id', '1001', 'a.test', user('1001', '60000'));
  assert.ok(c.find('id', '1001', 'a.test'));
  assert.equal(c.find('id', '1001', 'b.test'), undefined);
  assert.equal(c.find('id', '1002', 'a.test'), undefined);
  assert.equal(c.find('number-alias', '1001', 'a.test'), undefined);
});

void test('only users with a non-empty cacheable are kept', () => {
  const c = new UserCache();
  c.store('id', '1001', 'a.test', user('1001', null));
  c.store('id', '1002', 'a.test', user('1002', ''));
  assert.equal(c.size, 0);
});

void test('expiry is checked on each hit; an expired entry is not served', () => {
  let now = 1_000_000_000_000;
  const c = new UserCache(() => now);
  c.store('id', '1001', 'a.test', user('1001', '1000'));
  now += 1_000_000; // exactly the expiry: still served (expired only when expires < now)
  assert.ok(c.find('id', '1001', 'a.test'));
  now += 1;
  assert.equal(c.find('id', '1001', 'a.test'), undefined);
});

void test('cacheable above 2147483 overflows the int product: born expired, nothing is cached (facts §9.1)', () => {
  const now = 1_795_387_790_676_788;
  assert.equal(cacheExpiry('1800000', now), now + 1_800_000_000);
  assert.equal(cacheExpiry('2147483', now), now + 2_147_483_000);
  assert.ok((cacheExpiry('2147484', now) ?? Infinity) < now);
  assert.ok((cacheExpiry('3600000', now) ?? Infinity) < now);
  // Non-numeric: cached with no expiry at all.
  assert.equal(cacheExpiry('forever', now), null);
  let t = now;
  const c = new UserCache(() => t);
  c.store('id', '1001', 'a.test', user('1001', '3600000'));
  assert.equal(c.find('id', '1001', 'a.test'), undefined);
  c.store('id', '1002', 'a.test', user('1002', 'yes'));
  t += 10 * 365 * 86_400 * 1_000_000;
  assert.ok(c.find('id', '1002', 'a.test'));
});

void test('locate asks the bindings on a miss only, and tries each key of a key list', async () => {
  const c = new UserCache();
  const asked: string[] = [];
  const fetch = (k: string) => {
    asked.push(k);
    return Promise.resolve(k === 'number-alias' ? user('1001', '60000') : null);
  };
  assert.ok(await c.locate('id:number-alias', '1001', 'a.test', fetch));
  assert.ok(await c.locate('id:number-alias', '1001', 'a.test', fetch));
  assert.deepEqual(asked, ['id', 'number-alias', 'id']);
});

void test('xml_flush_cache: one entry with key user domain, everything otherwise; exact replies', () => {
  const fs = new FreeswitchDouble();
  fs.userCache.store('id', '1001', 'a.test', user('1001', '60000'));
  fs.userCache.store('id', '1002', 'a.test', user('1002', '60000'));
  fs.userCache.store('id', '1001', 'b.test', user('1001', '60000'));
  assert.equal(fs.runApi('xml_flush_cache id 1001 a.test').body, '+OK cleared 1 entry\n');
  assert.equal(fs.runApi('xml_flush_cache id 1001 a.test').body, '+OK cleared 0 entries\n');
  // Two arguments are not a key: the whole cache goes.
  assert.equal(fs.runApi('xml_flush_cache id 1002').body, '+OK cleared 2 entries\n');
  fs.userCache.store('id', '1001', 'a.test', user('1001', '60000'));
  assert.equal(fs.runApi('xml_flush_cache').body, '+OK cleared 1 entry\n');
  assert.equal(fs.userCache.size, 0);
});

void test('sofia profile <p> flush_inbound_reg <call-id> drops that registration with sofia::expire', () => {
  const fs = new FreeswitchDouble();
  fs.registerPhone({ user: '1001', domain: 'a.test', callId: 'one@x' });
  fs.registerPhone({ user: '1002', domain: 'a.test', callId: 'two@x' });
  assert.equal(
    fs.runApi('sofia profile internal flush_inbound_reg one@x').body,
    '+OK flushing all registrations matching specified call_id\n',
  );
  assert.deepEqual(
    fs.registrations().map((r) => r.callId),
    ['two@x'],
  );
  assert.equal(fs.runApi('sofia profile nope flush_inbound_reg one@x').body, 'Invalid Profile [nope]');
  assert.equal(
    fs.runApi('sofia profile internal flush_inbound_reg').body,
    '+OK flushing all registrations\n',
  );
  assert.equal(fs.registrations().length, 0);
});
