// Feature codes write through the domain: the same checks as the API, an audit row naming the phone, ConfigChanged.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { configChangedChannel, ConfigChangedSchema, type ConfigChanged } from '@pbx/contracts';
import { createTestDatabase, TEST_REDIS_URL } from '@pbx/testing';
import { Redis } from 'ioredis';
import {
  actionsOf,
  app,
  createExtension,
  createGateway,
  createTenant,
  phoneCall,
  startController,
  type Running,
} from './helpers.js';

const db = await createTestDatabase();
const DOMAIN = 'feat.test';

void describe('feature codes through the domain', () => {
  let c: Running;
  let tenantId: string;
  let e1001: { id: string };
  const sub = new Redis(TEST_REDIS_URL);
  const heard: ConfigChanged[] = [];
  const call = async (from: string, to: string) =>
    actionsOf(await c.client.dialplan(phoneCall(DOMAIN, from, to)), DOMAIN);
  const until = async (what: string, ok: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!ok()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  before(async () => {
    c = await startController(db.url);
    // Home +1 212: 212 numbers are LOCAL, 415 NATIONAL. 1001 may call LOCAL numbers only.
    const tenant = await createTenant(c.prisma, DOMAIN, { defaultCallerIdNumber: '+12125550100' });
    tenantId = tenant.id;
    await createGateway(c.prisma, tenant.id, 'trunk-feat');
    e1001 = await createExtension(c.prisma, tenant, '1001', { outboundPolicy: 'LOCAL' });
    await createExtension(c.prisma, tenant, '1002');
    sub.on('message', (_ch: string, raw: string) => heard.push(ConfigChangedSchema.parse(JSON.parse(raw))));
    await sub.subscribe(configChangedChannel(c.prefix));
  });
  after(async () => {
    sub.disconnect();
    await c.close();
  });

  test('*78 writes an audit row "extension 1001 via feature code" and publishes ConfigChanged', async () => {
    const answer = await call('1001', '*78');
    assert.deepEqual(app(answer, 'hangup'), ['NORMAL_CLEARING']);
    const row = await c.prisma.auditLog.findFirstOrThrow({ where: { entityId: e1001.id } });
    assert.deepEqual(
      [row.action, row.actorLabel, row.actorExtensionId, row.actorUserId, row.actorApiKeyId, row.tenantId],
      ['extension.dnd-on', 'extension 1001 via feature code', e1001.id, null, null, tenantId],
    );
    await until('ConfigChanged', () => heard.some((m) => m.entityId === e1001.id));
    const msg = heard.find((m) => m.entityId === e1001.id);
    assert.deepEqual([msg?.tenantId, msg?.domain, msg?.entity], [tenantId, DOMAIN, 'extension']);
    await call('1001', '*79');
    assert.equal((await c.prisma.extension.findUniqueOrThrow({ where: { id: e1001.id } })).dnd, false);
    assert.equal(await c.prisma.auditLog.count({ where: { action: 'extension.dnd-off' } }), 1);
  });

  test('*72 to a number the outbound policy blocks is refused and writes nothing', async () => {
    const answer = await call('1001', '*724155550199');
    assert.deepEqual(app(answer, 'hangup'), ['OUTGOING_CALL_BARRED']);
    const ext = await c.prisma.extension.findUniqueOrThrow({ where: { id: e1001.id } });
    assert.equal(ext.forwardAlwaysType, null);
    assert.equal(await c.prisma.auditLog.count({ where: { action: 'extension.forward-set' } }), 0);
  });

  test('the domain re-checks what the cached snapshot allowed: a policy changed meanwhile refuses *72', async () => {
    await call('1001', '1002'); // the snapshot (1001: LOCAL) is cached now
    // Changed behind the controller's back (no ConfigChanged): only the domain's own check can see it.
    await c.prisma.extension.update({ where: { id: e1001.id }, data: { outboundPolicy: 'NONE' } });
    const answer = await call('1001', '*722125550142');
    assert.deepEqual(app(answer, 'hangup'), ['CALL_REJECTED']);
    assert.equal(
      (await c.prisma.extension.findUniqueOrThrow({ where: { id: e1001.id } })).forwardAlwaysType,
      null,
    );
    // Allowed again, the same code works and is audited.
    await c.prisma.extension.update({ where: { id: e1001.id }, data: { outboundPolicy: 'LOCAL' } });
    c.cache.invalidateTenant(DOMAIN);
    await call('1001', '*722125550142');
    const ext = await c.prisma.extension.findUniqueOrThrow({ where: { id: e1001.id } });
    assert.deepEqual([ext.forwardAlwaysType, ext.forwardAlwaysValue], ['EXTERNAL', '+12125550142']);
    const row = await c.prisma.auditLog.findFirstOrThrow({ where: { action: 'extension.forward-set' } });
    assert.equal(row.actorLabel, 'extension 1001 via feature code');
  });
});
