import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createDb } from '@pbx/db';
import { DEMO, seedDemo } from '@pbx/db/seed';
import { hashSecret, sipA1Hash, verifySecret } from '@pbx/domain/security';
import { createTestDatabase } from '@pbx/testing';

test('seed creates the demo platform once and is idempotent', async () => {
  const tdb = await createTestDatabase();
  const db = createDb({ databaseUrl: tdb.url, poolSize: 2 });
  after(() => db.close());
  const hashers = { hashSecret, sipA1Hash };

  const first = await seedDemo(db.prisma, hashers);
  assert.equal(first.created, true);
  const counts = async () => ({
    users: await db.prisma.user.count(),
    tenants: await db.prisma.tenant.count(),
    extensions: await db.prisma.extension.count(),
    boxes: await db.prisma.voicemailBox.count(),
    menus: await db.prisma.ivrMenu.count(),
    options: await db.prisma.ivrOption.count(),
    dids: await db.prisma.inboundNumber.count(),
  });
  const afterFirst = await counts();
  assert.deepEqual(afterFirst, {
    users: 2,
    tenants: 1,
    extensions: 3,
    boxes: 1,
    menus: 1,
    options: 3,
    dids: 1,
  });

  const second = await seedDemo(db.prisma, hashers);
  assert.equal(second.created, false);
  assert.deepEqual(await counts(), afterFirst);

  const admin = await db.prisma.user.findUniqueOrThrow({ where: { email: DEMO.admin.email } });
  assert.equal(admin.role, 'PLATFORM_ADMIN');
  assert.notEqual(admin.passwordHash, DEMO.admin.password);
  assert.equal(await verifySecret(DEMO.admin.password, admin.passwordHash), true);
  assert.equal(await verifySecret('wrong', admin.passwordHash), false);

  const ext = await db.prisma.extension.findFirstOrThrow({
    where: { number: '1001' },
    include: { tenant: true },
  });
  assert.equal(ext.sipA1Hash, sipA1Hash('1001', DEMO.tenant.domain, 'demo-sip-1001'));
  const did = await db.prisma.inboundNumber.findUniqueOrThrow({ where: { e164: DEMO.did.e164 } });
  const menu = await db.prisma.ivrMenu.findFirstOrThrow();
  assert.equal(did.destType, 'IVR_MENU');
  assert.equal(did.destValue, menu.id);
});
