// Security issue #14 item 1: a phone authenticating in one tenant's realm must not register as, watch, or call as
// a user of another tenant (docs/freeswitch-facts.md §3). Phones of the FreeSWITCH double send the fields real FreeSWITCH posts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SipPhones, startFreeswitchDouble, type FreeswitchDouble } from '@pbx/freeswitch-double';
import { createTestDatabase } from '@pbx/testing';
import { sipAuthRequest } from '@pbx/freeswitch-double/xml-curl';
import { createExtension, createTenant, startController, userOf, type Running } from './helpers.js';
import { valueOf } from '@pbx/metrics';

const db = await createTestDatabase();

void describe('cross-tenant SIP authentication', () => {
  let c: Running;
  let fs: FreeswitchDouble;
  let phones: SipPhones;
  const registered = () => fs.registrations().map((r) => `${r.user}@${r.domain}`);

  before(async () => {
    c = await startController(db.url, { directoryCacheMs: 60_000 });
    const a = await createTenant(c.prisma, 'a.test');
    const b = await createTenant(c.prisma, 'b.test');
    await createExtension(c.prisma, a, '1001', { password: 'a-secret-1001' });
    await createExtension(c.prisma, a, '1002', { password: 'a-secret-1002' });
    await createExtension(c.prisma, a, '2000', { password: 'a-secret-2000' });
    await createExtension(c.prisma, b, '1001', { password: 'b-secret-1001' });
    fs = await startFreeswitchDouble();
    phones = new SipPhones(fs, c.client);
  });
  after(async () => {
    await fs.close();
    await c.close();
  });

  void test("tenant A's phone with A's credentials cannot register as 1001@B (realm A, To/From B)", async () => {
    const res = await phones.register({
      user: '1001',
      realm: 'a.test',
      password: 'a-secret-1001',
      toHost: 'b.test',
      fromHost: 'b.test',
    });
    assert.equal(res.status, 403);
    assert.deepEqual(registered(), []);
    // The same phone, honest, registers in its own tenant.
    const own = await phones.register({ user: '1001', realm: 'a.test', password: 'a-secret-1001' });
    assert.equal(own.status, 200);
    assert.deepEqual(registered(), ['1001@a.test']);
    fs.unregisterPhone('1001', 'a.test');
    fs.userCache.clear();
  });

  void test('each field that names the requester or the bound address is checked on its own', async () => {
    const refused = (field: string) => valueOf(c.metrics.crossTenantRefused, { field });
    const counts = {
      to: await refused('sip_to_host'),
      from: await refused('sip_from_host'),
      user: await refused('sip_to_user'),
    };
    type Method = 'REGISTER' | 'INVITE' | 'SUBSCRIBE';
    const kind = async (extra: Record<string, string>, method: Method = 'REGISTER') => {
      const o = {
        user: '2000',
        domain: 'a.test',
        ...(method === 'REGISTER' ? {} : { toUser: '1002' }),
        ...extra,
      };
      return (await c.client.send({ section: 'directory', fields: sipAuthFields(method, o) })).document?.kind;
    };

    // REGISTER: To host, From host, To user all refused when they differ; case does not matter.
    assert.equal(await kind({ toHost: 'b.test' }), 'not-found');
    assert.equal(await kind({ fromHost: 'b.test' }), 'not-found');
    assert.equal(await kind({ toUser: '1002' }), 'not-found');
    assert.equal(await kind({ toHost: 'A.Test', fromHost: 'A.TEST' }), 'directory');
    // The Request-URI host may be the registrar's IP or a proxy name.
    assert.equal(await kind({ requestHost: '192.0.2.10' }), 'directory');

    // INVITE: the To host is the callee's (routing uses the caller's own context); From is the caller.
    assert.equal(await kind({ toHost: 'b.test' }, 'INVITE'), 'directory');
    assert.equal(await kind({ fromHost: 'b.test' }, 'INVITE'), 'not-found');
    assert.equal(await kind({ fromHost: 'anonymous.invalid' }, 'INVITE'), 'directory');

    // SUBSCRIBE: watching B's user (presence, message waiting) is refused, as is subscribing as B.
    assert.equal(await kind({ toHost: 'b.test' }, 'SUBSCRIBE'), 'not-found');
    assert.equal(await kind({ fromHost: 'b.test' }, 'SUBSCRIBE'), 'not-found');
    assert.equal(await kind({}, 'SUBSCRIBE'), 'directory');
    assert.equal(await kind({ fromHost: 'anonymous.invalid' }, 'SUBSCRIBE'), 'not-found');

    assert.equal((await refused('sip_to_host')) - counts.to, 2);
    assert.equal((await refused('sip_from_host')) - counts.from, 4);
    assert.equal((await refused('sip_to_user')) - counts.user, 1);
  });

  void test('a missing or planted header is refused, not trusted', async () => {
    const fields = sipAuthFields('REGISTER', { user: '2000', domain: 'a.test' });
    const without = fields.filter(([k]) => k !== 'sip_to_host');
    assert.equal(
      (await c.client.send({ section: 'directory', fields: without })).document?.kind,
      'not-found',
    );
    // A second, earlier sip_from_host (the unencoded realm can plant early fields) that disagrees with the real one.
    const twice = [...fields.slice(0, 5), ['sip_from_host', 'a.test'] as const, ...fields.slice(5)].map(
      ([k, v], i) => [k, k === 'sip_from_host' && i > 5 ? 'b.test' : v] as const,
    );
    assert.equal((await c.client.send({ section: 'directory', fields: twice })).document?.kind, 'not-found');
  });

  void test('INVITE and SUBSCRIBE through the double: cross-tenant From or watched To gets 403', async () => {
    fs.userCache.clear();
    const base = { user: '2000', realm: 'a.test', password: 'a-secret-2000' };
    assert.equal(
      (await phones.send({ ...base, method: 'INVITE', toUser: '1001', fromHost: 'b.test' })).status,
      403,
    );
    assert.equal(
      (await phones.send({ ...base, method: 'SUBSCRIBE', toUser: '1001', toHost: 'b.test' })).status,
      403,
    );
    assert.equal((await phones.send({ ...base, method: 'INVITE', toUser: '1002' })).status, 200);
    assert.equal((await phones.send({ ...base, method: 'SUBSCRIBE', toUser: '1002' })).status, 200);
  });

  void test('every answer carries the configured cacheable, the same for sip_auth and user_call', async () => {
    const reg = await c.client.register('1001', 'a.test');
    const call = await c.client.userCall('1001', 'a.test');
    assert.equal(reg.body, call.body);
    const doc = reg.document;
    assert.equal(doc?.kind === 'directory' ? doc.domains[0]?.users[0]?.cacheable : null, '60000');
    const u = userOf(reg);
    // Everything every purpose needs is in the one answer.
    assert.ok(u.params.get('a1-hash'));
    assert.equal(u.variables.get('pbx_dnd'), 'false');
  });
});

function sipAuthFields(method: 'REGISTER' | 'INVITE' | 'SUBSCRIBE', o: Record<string, string>) {
  return sipAuthRequest({
    method,
    user: o.user ?? '',
    domain: o.domain ?? '',
    ...(o.toUser ? { toUser: o.toUser } : {}),
    ...(o.toHost ? { toHost: o.toHost } : {}),
    ...(o.fromHost ? { fromHost: o.fromHost } : {}),
    ...(o.requestHost ? { requestHost: o.requestHost } : {}),
  }).fields;
}
