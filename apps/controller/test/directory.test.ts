// Directory lookups (sip_auth REGISTER/INVITE, user_call) through the xml_curl double against real PostgreSQL and Redis.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { configChangedChannel } from '@pbx/contracts';
import { sendRaw, sipAuthRequest, XmlCurlClient } from '@pbx/freeswitch-double/xml-curl';
import { createTestDatabase, withAdmin, quoteIdent, waitFor } from '@pbx/testing';
import { sipA1Hash } from '@pbx/domain';
import { XML_CURL_CAPTURES, capturedFields } from './captures.js';
import {
  createExtension,
  createTenant,
  digestMatches,
  startController,
  userOf,
  XML_USER,
  xmlCurlClient,
  type Running,
} from './helpers.js';

const captured = (name: string) => capturedFields(readFileSync(new URL(name, XML_CURL_CAPTURES)));

const db = await createTestDatabase();
const strictDb = await createTestDatabase();

void describe('directory', () => {
  let c: Running;
  let dbName: string;
  let acme: { id: string; domain: string };
  let other: { id: string; domain: string };

  before(async () => {
    dbName = db.name;
    c = await startController(db.url, { negativeCacheMs: 60_000, retryAfterMs: 0, loadTimeoutMs: 1_000 });
    acme = await createTenant(c.prisma, 'acme.test');
    other = await createTenant(c.prisma, 'b.example');
    await createExtension(c.prisma, acme, '1001', {
      password: 'secret1001',
      displayName: 'Alice',
      callerIdNumber: '+12125550111',
    });
    // A caller ID is presented only if it is the tenant's (issue #14 item 5): here verified by the platform.
    await c.prisma.verifiedCallerId.create({ data: { tenantId: acme.id, e164: '+12125550111' } });
    await createExtension(c.prisma, acme, '1002', { password: 'secret1002' });
    await createExtension(c.prisma, acme, '1009', { enabled: false });
    await createExtension(c.prisma, other, '1001', { password: 'other-tenant-pw', displayName: 'Bob of B' });
    await createExtension(c.prisma, other, '1003', { password: 'secret1003' });
  });
  after(async () => c.close());

  void test('REGISTER of 1001@acme.test gets its a1-hash and call variables', async () => {
    const res = await c.client.register('1001', 'acme.test');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type']?.split(';')[0], 'text/xml');
    const u = userOf(res);
    assert.equal(u.domain, 'acme.test');
    assert.equal(u.id, '1001');
    assert.equal(u.params.get('a1-hash'), sipA1Hash('1001', 'acme.test', 'secret1001'));
    assert.equal(u.params.has('password'), false);
    assert.equal(u.variables.get('user_context'), 'acme.test');
    assert.equal(u.variables.get('pbx_tenant_id'), acme.id);
    assert.equal(u.variables.get('effective_caller_id_name'), 'Alice');
    assert.equal(u.variables.get('effective_caller_id_number'), '1001');
    assert.equal(u.variables.get('outbound_caller_id_number'), '+12125550111');
    assert.equal(u.variables.get('pbx_voicemail_box'), '1001');
    assert.equal(u.variables.get('pbx_recording'), 'NEVER');
    assert.equal(u.variables.get('pbx_outbound_policy'), 'NATIONAL');
    assert.ok(u.domainParams.get('dial-string')?.includes('sofia_contact'));
  });

  void test('the a1-hash accepts the right password and refuses the wrong one (captured digests 003 and 004)', async () => {
    const u = userOf(await c.client.register('1001', 'acme.test'));
    const a1 = u.params.get('a1-hash') ?? '';
    assert.equal(
      digestMatches(a1, captured('003-directory-sip_auth-REGISTER-1001@acme.test.request.http')),
      true,
    );
    assert.equal(
      digestMatches(a1, captured('004-directory-sip_auth-REGISTER-1001@acme.test.request.http')),
      false,
    );
    assert.equal(
      digestMatches(a1, captured('008-directory-sip_auth-INVITE-1001@acme.test.request.http')),
      true,
    );
  });

  void test("1001@acme.test never gets the other tenant's 1001, and vice versa", async () => {
    const a = userOf(await c.client.register('1001', 'acme.test'));
    const b = userOf(await c.client.register('1001', 'b.example'));
    assert.notEqual(a.params.get('a1-hash'), b.params.get('a1-hash'));
    assert.equal(b.variables.get('pbx_tenant_id'), other.id);
    assert.equal(b.variables.get('user_context'), 'b.example');
    // B's password does not authenticate against A's user.
    const f = captured('003-directory-sip_auth-REGISTER-1001@acme.test.request.http');
    assert.equal(digestMatches(b.params.get('a1-hash') ?? '', f), false);
    // 1003 exists only in b.example.
    assert.equal((await c.client.register('1003', 'acme.test')).document?.kind, 'not-found');
    // A mismatched key_value and domain is refused instead of guessed.
    const req = sipAuthRequest({ method: 'REGISTER', user: '1003', domain: 'b.example' });
    const sneaky = await c.client.send({
      ...req,
      fields: req.fields.map(([k, v]) => [k, k === 'key_value' ? 'acme.test' : v] as const),
    });
    assert.equal(sneaky.document?.kind === 'directory' ? sneaky.document.domains[0]?.name : 'none', 'none');
  });

  void test('a digest realm that plants extra form fields gets "not found"', async () => {
    // key_value is the realm, written unencoded by FreeSWITCH: `b.example&domain=b.example&user=1003`.
    for (const realm of [
      'b.example&domain=b.example',
      'acme.test&user=1003&domain=b.example',
      'b.example&key=id&user=1003&domain=b.example',
    ]) {
      const res = await c.client.send(sipAuthRequest({ method: 'REGISTER', user: '1001', domain: realm }));
      assert.equal(res.document?.kind, 'not-found', realm);
    }
  });

  void test('INVITE lookups get the same user', async () => {
    const u = userOf(await c.client.invite('1001', 'acme.test', '1002'));
    assert.equal(u.id, '1001');
    assert.equal(u.variables.get('user_context'), 'acme.test');
  });

  void test('unknown user, unknown domain, disabled extension and suspended tenant: "not found"', async () => {
    for (const [user, domain] of [
      ['1003', 'acme.test'],
      ['1001', 'nowhere.example'],
      ['1009', 'acme.test'],
      ['abc', 'acme.test'],
      ['1001', 'bad domain'],
    ] as const) {
      const res = await c.client.register(user, domain);
      assert.equal(res.status, 200, `${user}@${domain}`);
      assert.equal(res.document?.kind, 'not-found', `${user}@${domain}`);
    }
    const susp = await createTenant(c.prisma, 'suspended.example', { status: 'SUSPENDED' });
    await createExtension(c.prisma, susp, '1001');
    // A suspended tenant's phones still authenticate, so they can make emergency calls (routing refuses the rest).
    assert.equal((await c.client.register('1001', 'suspended.example')).document?.kind, 'directory');
  });

  void test('purpose=gateways and other actions: "not found"', async () => {
    assert.equal((await c.client.gateways('internal')).document?.kind, 'not-found');
  });

  void test('user_call returns the dial-string; DND answers busy; forwarding is described', async () => {
    const call = await c.client.userCall('1002', 'acme.test');
    const normal = userOf(call);
    // FreeSWITCH caches one answer per user and domain for every purpose: user_call and sip_auth are the same.
    assert.equal(call.body, (await c.client.register('1002', 'acme.test')).body);
    assert.ok(
      normal.domainParams.get('dial-string')?.includes('${sofia_contact(*/${dialed_user}@${dialed_domain})}'),
    );
    assert.equal(normal.variables.get('pbx_dnd'), 'false');
    const dnd = await createExtension(c.prisma, acme, '1010', {
      dnd: true,
      forwardBusy: ['EXTERNAL', '+12125550199'],
    });
    c.cache.invalidateTenant('acme.test'); // what the API's ConfigChanged does (covered through Redis below)
    const busy = userOf(await c.client.userCall('1010', 'acme.test'));
    assert.equal(busy.params.get('dial-string'), 'error/USER_BUSY');
    assert.equal(busy.variables.get('pbx_dnd'), 'true');
    assert.equal(busy.variables.get('pbx_forward_busy'), 'EXTERNAL:+12125550199');
    assert.equal(busy.variables.get('pbx_extension_id'), dnd.id);
  });

  void test('a hostile display name is escaped and cannot inject XML or variables', async () => {
    await createExtension(c.prisma, acme, '1020', {
      displayName: 'Tom & "Jerry" <x> ${system(rm)}</variable><x',
    });
    c.cache.invalidateTenant('acme.test');
    const res = await c.client.register('1020', 'acme.test');
    assert.ok(res.body.includes('Tom &amp; &quot;Jerry&quot; &lt;x&gt;'));
    const u = userOf(res);
    assert.equal(u.variables.get('effective_caller_id_name'), 'Tom & "Jerry" <x> {system(rm)}</variable><x');
    assert.equal([...u.variables.keys()].filter((k) => k === 'effective_caller_id_name').length, 1);
  });

  void test('a ConfigChanged publish makes the next lookup see the change', async () => {
    const before1 = userOf(await c.client.register('1002', 'acme.test'));
    assert.equal(before1.variables.get('effective_caller_id_name'), 'Extension 1002');
    await c.prisma.extension.update({
      where: { tenantId_number: { tenantId: acme.id, number: '1002' } },
      data: { callerIdName: 'Reception' },
    });
    // Still cached: the API has not announced the change yet.
    assert.equal(
      userOf(await c.client.register('1002', 'acme.test')).variables.get('effective_caller_id_name'),
      'Extension 1002',
    );
    await c.publisher.publish(
      configChangedChannel(c.prefix),
      JSON.stringify({
        tenantId: acme.id,
        domain: 'acme.test',
        entity: 'extension',
        at: new Date().toISOString(),
      }),
    );
    await waitFor(
      'the new caller-ID name in the directory',
      async () =>
        userOf(await c.client.register('1002', 'acme.test')).variables.get('effective_caller_id_name') ===
        'Reception',
    );
    // Disabling an extension takes effect the same way.
    await c.prisma.extension.update({
      where: { tenantId_number: { tenantId: acme.id, number: '1002' } },
      data: { enabled: false },
    });
    await c.publisher.publish(
      configChangedChannel(c.prefix),
      JSON.stringify({
        tenantId: acme.id,
        domain: 'acme.test',
        entity: 'extension',
        at: new Date().toISOString(),
      }),
    );
    await waitFor(
      'the disabled extension to be unknown',
      async () => (await c.client.register('1002', 'acme.test')).document?.kind === 'not-found',
    );
  });

  void test('unknown domains are remembered: a scanner does not reach the database', async () => {
    const loadsBefore = c.cache.stats().loads;
    for (let i = 0; i < 20; i++)
      assert.equal((await c.client.register('1001', 'scanner.example')).document?.kind, 'not-found');
    assert.equal(c.cache.stats().loads - loadsBefore, 1);
    // Unknown users of a known domain are answered from the tenant's snapshot.
    await c.client.register('1001', 'acme.test');
    const loadsKnown = c.cache.stats().loads;
    for (let i = 0; i < 20; i++)
      assert.equal((await c.client.register(String(3000 + i), 'acme.test')).document?.kind, 'not-found');
    assert.equal(c.cache.stats().loads, loadsKnown);
    // Creating the tenant is announced by the API; the negative entry is dropped at once.
    const t = await createTenant(c.prisma, 'scanner.example');
    await createExtension(c.prisma, t, '1001');
    assert.equal((await c.client.register('1001', 'scanner.example')).document?.kind, 'not-found');
    await c.publisher.publish(
      configChangedChannel(c.prefix),
      JSON.stringify({
        tenantId: t.id,
        domain: 'scanner.example',
        entity: 'tenant',
        at: new Date().toISOString(),
      }),
    );
    await waitFor(
      'the new tenant in the directory',
      async () => (await c.client.register('1001', 'scanner.example')).document?.kind === 'directory',
    );
  });

  void test('basic auth and the address allow-list are enforced', async () => {
    const noAuth = new XmlCurlClient({ baseUrl: c.baseUrl });
    assert.equal((await noAuth.register('1001', 'acme.test')).status, 401);
    const wrong = new XmlCurlClient({ baseUrl: c.baseUrl, user: XML_USER, password: 'wrong-password-xx' });
    const res = await wrong.register('1001', 'acme.test');
    assert.equal(res.status, 401);
    assert.equal(res.document, null);
    assert.ok(!res.body.includes('a1-hash'));
    const explain = await sendRaw(
      { host: '127.0.0.1', port: c.port, path: '/explain' },
      Buffer.from(
        `POST /explain HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
      ),
    );
    assert.equal(explain.status, 401);

    const strict = await startController(strictDb.url, { xmlCurlAllow: '10.0.0.0/8,fd00::/8' });
    try {
      const r = await xmlCurlClient(strict.baseUrl).register('1001', 'acme.test');
      assert.equal(r.status, 403);
      // The refusal is counted as an answer of the lookup path (judged once per connection, counted per request).
      assert.match(
        await strict.metrics.registry.render(),
        /^pbx_xml_curl_lookups_total\{path="\/freeswitch\/directory",status="403"\} 1$/m,
      );
    } finally {
      await strict.close();
    }
  });

  void test('with PostgreSQL unreachable, known phones keep registering from the cache', async () => {
    // Warm the cache, then mark it stale as after a ConfigChanged, so the next lookup must try the database.
    userOf(await c.client.register('1001', 'acme.test'));
    c.cache.invalidateTenant('acme.test');
    await withAdmin(async (a) => {
      await a.query(`ALTER DATABASE ${quoteIdent(dbName)} ALLOW_CONNECTIONS false`);
      await a.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [dbName],
      );
    });
    try {
      const u = userOf(await c.client.register('1001', 'acme.test'));
      assert.equal(u.variables.get('pbx_tenant_id'), acme.id);
      // A domain never seen before cannot be answered: an HTTP error, not a false "not found".
      const unknown = await c.client.register('1001', 'never-seen.example');
      assert.equal(unknown.status, 503);
    } finally {
      await withAdmin((a) => a.query(`ALTER DATABASE ${quoteIdent(dbName)} ALLOW_CONNECTIONS true`));
    }
    // Once the database is back, lookups load fresh data again.
    const ok = await c.client.register('1001', 'acme.test');
    assert.equal(ok.document?.kind, 'directory');
  });
});
