import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createDb } from '@pbx/db';
import { createTestDatabase } from '@pbx/testing';
import {
  buildCdrRow,
  createTenantResolver,
  ingestCdrFromEvent,
  ingestJsonCdr,
  InvalidCdrError,
  legFromHangupEvent,
  legFromJsonCdr,
  UnknownTenantError,
} from '../src/index.js';
import { capturedPlainEvents, JSON_CDR_FILES, jsonCdrBody, seedAcme } from './support.js';

const A_LEG = 'd58f6fa4-d4f6-4d30-ab94-4a78be9cac38';
const B_LEG = 'dc6502b2-1552-473e-a015-b0812cd227f6';

const tdb = await createTestDatabase();
const db = createDb({ databaseUrl: tdb.url, poolSize: 4 });
after(() => db.close());
const { tenantId } = await seedAcme(db.prisma);

describe('CDRs from the captured FreeSWITCH traffic', () => {
  test('every captured mod_json_cdr body becomes exactly one row with the right fields', async () => {
    for (const name of JSON_CDR_FILES) {
      const result = await ingestJsonCdr({ prisma: db.prisma, body: jsonCdrBody(name) });
      assert.equal(result.inserted, true, name);
      assert.equal(result.tenantId, tenantId);
    }
    assert.equal(await db.prisma.cdr.count(), JSON_CDR_FILES.length);

    const b = await db.prisma.cdr.findUniqueOrThrow({ where: { callUuid: B_LEG } });
    assert.equal(b.tenantId, tenantId);
    assert.equal(b.direction, 'INTERNAL');
    assert.equal(b.fromNumber, '1001');
    assert.equal(b.fromName, 'Extension 1001'); // the B leg's caller ID comes from 1001's effective_caller_id_name
    assert.equal(b.toNumber, '1002');
    assert.equal(b.extensionNumber, '1002'); // the phone that rang
    assert.equal(b.bridgeUuid, A_LEG);
    assert.equal(b.startedAt.toISOString(), new Date(1795387793376).toISOString());
    assert.equal(b.answeredAt?.toISOString(), new Date(1795387793876).toISOString());
    assert.equal(b.endedAt.toISOString(), new Date(1795387796916).toISOString());
    assert.equal(b.durationSec, 3);
    assert.equal(b.billsec, 3);
    assert.equal(b.hangupCause, 'NORMAL_CLEARING');
    assert.equal(b.did, null);

    const a = await db.prisma.cdr.findUniqueOrThrow({ where: { callUuid: A_LEG } });
    assert.equal(a.direction, 'INTERNAL');
    assert.equal(a.fromNumber, '1001');
    assert.equal(a.fromName, 'Ext 1001'); // URL-decoded from the phone's display name
    assert.equal(a.toNumber, '1002');
    assert.equal(a.extensionNumber, '1001');
    assert.equal(a.bridgeUuid, B_LEG);
    assert.equal(a.billsec, 3);
    assert.equal(a.durationSec, 3);

    const noRoute = await db.prisma.cdr.findUniqueOrThrow({
      where: { callUuid: 'd6c76988-5a7e-4cb4-b66b-219e255d89ac' },
    });
    assert.equal(noRoute.toNumber, '9999');
    assert.equal(noRoute.hangupCause, 'NO_ROUTE_DESTINATION');
    assert.equal(noRoute.billsec, 0);
    assert.equal(noRoute.durationSec, 0);
    assert.equal(noRoute.answeredAt, null);
    assert.equal(noRoute.bridgeUuid, null);

    const http500 = await db.prisma.cdr.findUniqueOrThrow({
      where: { callUuid: '3f295129-2bee-4369-b5f6-abe636d00a0a' },
    });
    assert.equal(http500.toNumber, '7000');
    assert.equal(http500.hangupCause, 'NO_ROUTE_DESTINATION');

    const recorded = await db.prisma.cdr.findUniqueOrThrow({
      where: { callUuid: 'a41e1172-b1e2-45b1-9efd-914a5f935539' },
    });
    assert.equal(recorded.toNumber, '6000');
    assert.equal(recorded.billsec, 3);
    assert.equal(recorded.hangupCause, 'NORMAL_CLEARING');

    const byDest = Object.fromEntries(
      (await db.prisma.cdr.findMany({ where: { bridgeUuid: null } })).map((r) => [r.toNumber, r.billsec]),
    );
    assert.deepEqual(byDest, {
      '5000': byDest['5000'],
      '5001': byDest['5001'],
      '6000': 3,
      '9999': 0,
      '7000': 0,
    });
    assert.ok(
      (byDest['5000'] ?? 0) > 0 && (byDest['5001'] ?? 0) > 0,
      'the answered socket calls have billsec',
    );
  });

  test('re-posting every body (FreeSWITCH retries) adds nothing', async () => {
    for (const name of JSON_CDR_FILES) {
      const result = await ingestJsonCdr({ prisma: db.prisma, body: jsonCdrBody(name) });
      assert.equal(result.inserted, false, name);
    }
    assert.equal(await db.prisma.cdr.count(), JSON_CDR_FILES.length);
  });

  test('CHANNEL_HANGUP_COMPLETE events build the very same rows and land on the existing ones', async () => {
    const hangups = capturedPlainEvents().filter((e) => e['Event-Name'] === 'CHANNEL_HANGUP_COMPLETE');
    assert.equal(hangups.length, JSON_CDR_FILES.length);
    const tenants = createTenantResolver(db.prisma);
    const fromJson = new Map(
      await Promise.all(
        JSON_CDR_FILES.map(async (name) => {
          const row = await buildCdrRow(legFromJsonCdr(jsonCdrBody(name)), tenants);
          return [row.callUuid, row] as const;
        }),
      ),
    );
    for (const event of hangups) {
      const row = await buildCdrRow(legFromHangupEvent(event), tenants);
      assert.deepEqual(row, fromJson.get(row.callUuid), `event and json_cdr agree for ${row.callUuid}`);
      const result = await ingestCdrFromEvent({ prisma: db.prisma, event, tenants });
      assert.equal(result.inserted, false);
    }
    assert.equal(await db.prisma.cdr.count(), JSON_CDR_FILES.length);
  });

  test('the event path alone, on an empty table, stores every call', async () => {
    await db.prisma.cdr.deleteMany();
    const hangups = capturedPlainEvents().filter((e) => e['Event-Name'] === 'CHANNEL_HANGUP_COMPLETE');
    for (const event of hangups)
      assert.equal((await ingestCdrFromEvent({ prisma: db.prisma, event })).inserted, true);
    const a = await db.prisma.cdr.findUniqueOrThrow({ where: { callUuid: A_LEG } });
    assert.equal(a.fromName, 'Ext 1001');
    assert.equal(a.billsec, 3);
    assert.equal(await db.prisma.cdr.count(), JSON_CDR_FILES.length);
  });

  test('a leg whose tenant is unknown is rejected with a typed error and not stored', async () => {
    const body = JSON.parse(jsonCdrBody('012-cdr-inbound-1001-to-1002')) as {
      variables: Record<string, string>;
    };
    const vars = body.variables;
    vars.uuid = 'ffffffff-0000-4000-8000-000000000001';
    for (const key of ['domain_name', 'dialed_domain', 'sip_from_host', 'sip_to_host', 'sip_req_host']) {
      if (key in vars) vars[key] = 'nobody.test';
    }
    await assert.rejects(ingestJsonCdr({ prisma: db.prisma, body }), (error: unknown) => {
      assert.ok(error instanceof UnknownTenantError);
      assert.equal(error.callUuid, 'ffffffff-0000-4000-8000-000000000001');
      assert.ok(error.hints.includes('domain=nobody.test'));
      return true;
    });
    assert.equal(
      await db.prisma.cdr.count({ where: { callUuid: 'ffffffff-0000-4000-8000-000000000001' } }),
      0,
    );
  });

  test('garbage bodies and other events are InvalidCdrError', async () => {
    await assert.rejects(ingestJsonCdr({ prisma: db.prisma, body: '{not json' }), InvalidCdrError);
    await assert.rejects(ingestJsonCdr({ prisma: db.prisma, body: { variables: 'x' } }), InvalidCdrError);
    const create = capturedPlainEvents().find((e) => e['Event-Name'] === 'CHANNEL_CREATE');
    assert.ok(create);
    await assert.rejects(ingestCdrFromEvent({ prisma: db.prisma, event: create }), InvalidCdrError);
  });

  test('pbx_* variables from our dialplan decide tenant, direction, DID, extension and blocked reason', async () => {
    const body = JSON.parse(jsonCdrBody('024-cdr-inbound-1001-to-9999')) as {
      variables: Record<string, string>;
    };
    Object.assign(body.variables, {
      uuid: 'eeeeeeee-0000-4000-8000-000000000002',
      pbx_tenant_id: tenantId,
      pbx_direction: 'outbound',
      pbx_extension: '1001',
      pbx_blocked_reason: 'INTERNATIONAL_BLOCKED',
      pbx_callee: '%2B4930123456', // URL-encoded like every variable
      domain_name: 'nobody.test',
    });
    await ingestJsonCdr({ prisma: db.prisma, body });
    const row = await db.prisma.cdr.findUniqueOrThrow({
      where: { callUuid: 'eeeeeeee-0000-4000-8000-000000000002' },
    });
    assert.equal(row.tenantId, tenantId);
    assert.equal(row.direction, 'OUTBOUND');
    assert.equal(row.toNumber, '+4930123456');
    assert.equal(row.extensionNumber, '1001');
    assert.equal(row.blockedReason, 'INTERNATIONAL_BLOCKED');
    assert.equal(row.did, null);

    const inbound = JSON.parse(jsonCdrBody('024-cdr-inbound-1001-to-9999')) as {
      variables: Record<string, string>;
    };
    Object.assign(inbound.variables, {
      uuid: 'eeeeeeee-0000-4000-8000-000000000003',
      pbx_tenant_id: tenantId,
      pbx_direction: 'inbound',
      pbx_did: '%2B4930555000',
      pbx_extension: '1002',
    });
    await ingestJsonCdr({ prisma: db.prisma, body: inbound });
    const inRow = await db.prisma.cdr.findUniqueOrThrow({
      where: { callUuid: 'eeeeeeee-0000-4000-8000-000000000003' },
    });
    assert.equal(inRow.direction, 'INBOUND');
    assert.equal(inRow.did, '+4930555000');
    assert.equal(inRow.extensionNumber, '1002');
  });
});
