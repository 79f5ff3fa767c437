// The tenant snapshot as PostgreSQL builds it against TenantSnapshotSchema, the one definition of its shape: a key
// renamed, added or dropped on either side fails here (and in production the load fails with the key's path).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDb } from '@pbx/db';
import { DEMO, seedDemo } from '@pbx/db/seed';
import { hashSecret, sipA1Hash } from '@pbx/domain/security';
import { TenantSnapshotSchema } from '@pbx/domain/routing';
import { createTestDatabase } from '@pbx/testing';
import { loadSnapshotJson, prismaSnapshotLoader } from '../src/snapshot-loader.js';
import { createExtension, createGateway } from './helpers.js';

const db = await createTestDatabase();
const handle = createDb({ databaseUrl: db.url, poolSize: 2 });
const prisma = handle.prisma;
after(() => handle.close());

/** Every list key of the snapshot, so the test can insist none is empty (an empty list checks no element). */
const LISTS = [
  'extensions',
  'voicemailBoxes',
  'ivrMenus',
  'ringGroups',
  'inboundNumbers',
  'timeConditions',
] as const;

void describe('tenant snapshot loader', () => {
  before(async () => {
    // The demo tenant (what `npm start` seeds), plus what the demo lacks so every list and every nullable shows up.
    await seedDemo(prisma, { hashSecret, sipA1Hash });
    const tenant = await prisma.tenant.findUniqueOrThrow({ where: { domain: DEMO.tenant.domain } });
    const [alice, bob] = await Promise.all(
      ['1001', '1002'].map((number) =>
        prisma.extension.findUniqueOrThrow({ where: { tenantId_number: { tenantId: tenant.id, number } } }),
      ),
    );
    assert.ok(alice && bob);
    await createGateway(prisma, tenant.id, 'demo-trunk');
    await createExtension(prisma, tenant, '1010', {
      callerIdName: 'Front Desk',
      callerIdNumber: '+442071838751',
      forwardAlways: ['EXTERNAL', '+442071838799'],
      forwardBusy: ['EXTENSION', bob.id],
      forwardNoAnswer: ['HANGUP', null],
    });
    const group = await prisma.ringGroup.create({
      data: { tenantId: tenant.id, name: 'Sales', number: '600', fallbackDestType: 'HANGUP' },
    });
    await prisma.ringGroupMember.createMany({
      data: [
        { tenantId: tenant.id, ringGroupId: group.id, extensionId: bob.id, position: 1, timeoutSec: 10 },
        { tenantId: tenant.id, ringGroupId: group.id, extensionId: alice.id, position: 2 },
      ],
    });
    await prisma.timeCondition.create({
      data: {
        tenantId: tenant.id,
        name: 'Hours',
        matchDestType: 'RING_GROUP',
        matchDestValue: group.id,
        noMatchDestType: 'EXTENSION',
        noMatchDestValue: alice.id,
        ranges: { create: [{ dayOfWeek: 1, startMinute: 540, endMinute: 1020 }] },
        holidays: { create: [{ date: new Date('2026-12-25T00:00:00Z'), name: 'Christmas' }] },
      },
    });
  });

  void test('the demo tenant, every list filled, parses strictly against TenantSnapshotSchema', async () => {
    const json = await loadSnapshotJson(prisma, DEMO.tenant.domain);
    const parsed = TenantSnapshotSchema.safeParse(json);
    assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues, null, 2));
    const s = parsed.data;
    for (const list of LISTS) assert.ok(s[list].length > 0, `${list} has at least one element`);
    assert.ok(s.gateway, 'the gateway is in the snapshot');
    assert.ok(s.ringGroups[0] && s.ringGroups[0].members.length === 2, 'members are in the snapshot');
    const tc = s.timeConditions[0];
    assert.ok(tc && tc.ranges.length === 1 && tc.holidays[0] === '2026-12-25');
    const fwd = s.extensions.find((e) => e.number === '1010');
    assert.deepEqual(fwd?.forwardAlways, { type: 'EXTERNAL', value: '+442071838799' });
    assert.deepEqual(fwd?.forwardNoAnswer, { type: 'HANGUP', value: null });
    assert.equal(s.extensions.find((e) => e.number === '1001')?.forwardAlways, null);
  });

  void test('a key the schema does not know, or one it misses, fails the load with its path', async () => {
    const json = (await loadSnapshotJson(prisma, DEMO.tenant.domain)) as {
      extensions: Record<string, unknown>[];
    };
    const [first] = json.extensions;
    assert.ok(first);
    // What a column renamed in the SQL (but not in the schema) looks like.
    first.display_name = first.displayName;
    delete first.displayName;
    const parsed = TenantSnapshotSchema.safeParse(json);
    assert.equal(parsed.success, false);
    const paths = parsed.error?.issues.map((i) => [...i.path, ...('keys' in i ? i.keys : [])].join('.'));
    assert.ok(paths?.includes('extensions.0.displayName'), `missing key reported: ${String(paths)}`);
    assert.ok(paths?.includes('extensions.0.display_name'), `unknown key reported: ${String(paths)}`);
  });

  void test('the loader returns the parsed snapshot, and null for a domain nobody has', async () => {
    const loader = prismaSnapshotLoader(prisma);
    const s = await loader.loadTenant(DEMO.tenant.domain);
    assert.equal(s?.tenant.domain, DEMO.tenant.domain);
    assert.equal(await loader.loadTenant('nobody.example'), null);
  });
});
