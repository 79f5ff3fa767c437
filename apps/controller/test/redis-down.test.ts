// Issue #14 item 4: Redis is not a hard dependency of the call path. The controller starts and answers lookups
// with Redis unreachable, shows it (pbx_config_bus_up 0), and a change made meanwhile is seen once PostgreSQL is
// polled (every CONFIG_POLL_MS; driven here by calling the poll, not by waiting for its timer).
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createDb, type DbHandle } from '@pbx/db';
import { systemActor, updateExtension, type TenantContext } from '@pbx/domain';
import { XmlCurlClient } from '@pbx/freeswitch-double/xml-curl';
import { createTestDatabase } from '@pbx/testing';
import { Redis } from 'ioredis';
import { buildController, type Controller } from '../src/app.js';
import {
  actionsOf,
  app,
  createExtension,
  createGateway,
  createTenant,
  phoneCall,
  userOf,
  TEST_SETTINGS,
  XML_PASSWORD,
  XML_USER,
} from './helpers.js';

const db = await createTestDatabase();

void describe('the controller without Redis', () => {
  let handle: DbHandle;
  let ctl: Controller;
  let client: XmlCurlClient;
  let port: number;
  const unreachable: Redis[] = [];
  let acme: { id: string; domain: string };
  let ext1001: { id: string };

  before(async () => {
    handle = createDb({ databaseUrl: db.url, poolSize: 4 });
    acme = await createTenant(handle.prisma, 'acme.test');
    await createGateway(handle.prisma, acme.id, 'trunk-acme');
    ext1001 = await createExtension(handle.prisma, acme, '1001', { password: 'secret1001' });
    await createExtension(handle.prisma, acme, '1002');
    // Nothing listens on port 1: Redis is down from the start, and ioredis keeps trying.
    const down = () => {
      const r = new Redis('redis://127.0.0.1:1', { retryStrategy: () => 200, enableOfflineQueue: true });
      r.on('error', () => undefined);
      unreachable.push(r);
      return r;
    };
    ctl = await buildController({
      settings: { ...TEST_SETTINGS, redisPrefix: 'unused', configPollMs: 5_000 },
      prisma: handle.prisma,
      subscriber: down(),
      publisher: down(),
    });
    await ctl.app.listen({ host: '127.0.0.1', port: 0 });
    port = (ctl.app.server.address() as AddressInfo).port;
    client = new XmlCurlClient({
      baseUrl: `http://127.0.0.1:${port}/freeswitch`,
      user: XML_USER,
      password: XML_PASSWORD,
    });
  });
  after(async () => {
    await ctl.app.close();
    for (const r of unreachable) r.disconnect();
    await handle.close();
  });

  const metrics = async () =>
    (
      await fetch(`http://127.0.0.1:${port}/metrics`, {
        headers: { authorization: `Basic ${Buffer.from(`${XML_USER}:${XML_PASSWORD}`).toString('base64')}` },
      })
    ).text();

  test('directory and dialplan lookups work; the outage shows in /metrics', async () => {
    assert.equal(userOf(await client.register('1001', 'acme.test')).id, '1001');
    const a = actionsOf(await client.dialplan(phoneCall('acme.test', '1001', '1002')), 'acme.test');
    assert.deepEqual(app(a, 'bridge'), ['{leg_timeout=25}[pbx_extension=1002]user/1002@acme.test']);
    const m = await metrics();
    assert.match(m, /^pbx_config_bus_up 0$/m);
    assert.equal(ctl.configPoll?.polling, true);
  });

  test('an extension disabled while the bus is down stops working at the next poll', async () => {
    const ctx: TenantContext = {
      db: handle.prisma,
      actor: systemActor,
      // The API's ConfigChanged would go to Redis, which is down: lost.
      notify: () => Promise.resolve(),
      tenantId: acme.id,
      domain: acme.domain,
    };
    await updateExtension(ctx, ext1001.id, { enabled: false });
    // Still cached: without the bus nothing told this controller.
    assert.equal(userOf(await client.register('1001', 'acme.test')).id, '1001');
    assert.ok(((await ctl.configPoll?.pollNow()) ?? 0) >= 1);
    assert.equal((await client.register('1001', 'acme.test')).document?.kind, 'not-found');
    const refused = actionsOf(await client.dialplan(phoneCall('acme.test', '1001', '1002')), 'acme.test');
    assert.deepEqual(app(refused, 'hangup'), ['UNALLOCATED_NUMBER']);
    assert.match(await metrics(), /^pbx_config_polls_total [1-9]\d*$/m);
    // Nothing new: the next poll changes nothing (rows already acted on are skipped).
    assert.equal(await ctl.configPoll?.pollNow(), 0);
  });
});
