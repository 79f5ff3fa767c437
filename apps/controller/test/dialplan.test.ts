// Dialplan lookups: every call FreeSWITCH routes, answered per tenant through the xml_curl double.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase } from '@pbx/testing';
import {
  actionsOf,
  app,
  createExtension,
  createGateway,
  createIvrMenu,
  createTenant,
  phoneCall,
  setVars,
  startController,
  trunkCall,
  userOf,
  XML_AUTH,
  type Running,
} from './helpers.js';

const db = await createTestDatabase();
const SIT = 'tone_stream://%(274,0,913.8);%(274,0,1370.6);%(380,0,1776.7)';

void describe('dialplan', () => {
  let c: Running;
  let acme: Awaited<ReturnType<typeof createTenant>>;
  let other: Awaited<ReturnType<typeof createTenant>>;
  let ids = { e1001: '', e1002: '', e1003: '', ivr: '', box: '' };

  before(async () => {
    c = await startController(db.url);
    const p = c.prisma;
    acme = await createTenant(p, 'acme.test', { timeZone: 'America/New_York', maxConcurrentOutbound: 3 });
    other = await createTenant(p, 'b.example', { maxConcurrentOutbound: 0 });
    await createGateway(p, acme.id, 'trunk-acme');
    await createGateway(p, other.id, 'trunk-b');
    const e1001 = await createExtension(p, acme, '1001', {
      displayName: 'Tom & "Jerry" <x> ${system(id)}|a,b',
      callerIdNumber: '+12125550111',
    });
    const e1002 = await createExtension(p, acme, '1002');
    const e1003 = await createExtension(p, acme, '1003', { recordingPolicy: 'ALWAYS', voicemail: false });
    await createExtension(p, other, '1002');
    const box = await p.voicemailBox.findFirstOrThrow({ where: { tenantId: acme.id, number: '1001' } });
    const ivr = await createIvrMenu(p, acme.id);
    const rg = await p.ringGroup.create({
      data: {
        tenantId: acme.id,
        name: 'Sales',
        number: '600',
        strategy: 'SEQUENTIAL',
        ringTimeoutSec: 25,
        fallbackDestType: 'VOICEMAIL',
        fallbackDestValue: box.id,
      },
    });
    await p.ringGroupMember.createMany({
      data: [
        { tenantId: acme.id, ringGroupId: rg.id, extensionId: e1002.id, position: 1, timeoutSec: 10 },
        { tenantId: acme.id, ringGroupId: rg.id, extensionId: e1001.id, position: 2 },
      ],
    });
    const rgAll = await p.ringGroup.create({
      data: {
        tenantId: acme.id,
        name: 'Everyone',
        number: '601',
        strategy: 'SIMULTANEOUS',
        ringTimeoutSec: 30,
        fallbackDestType: 'HANGUP',
      },
    });
    await p.ringGroupMember.createMany({
      data: [
        { tenantId: acme.id, ringGroupId: rgAll.id, extensionId: e1001.id, position: 1 },
        { tenantId: acme.id, ringGroupId: rgAll.id, extensionId: e1002.id, position: 2 },
      ],
    });
    const tc = await p.timeCondition.create({
      data: {
        tenantId: acme.id,
        name: 'Hours',
        matchDestType: 'RING_GROUP',
        matchDestValue: rgAll.id,
        noMatchDestType: 'IVR_MENU',
        noMatchDestValue: ivr.id,
        ranges: {
          create: [1, 2, 3, 4, 5].map((d) => ({ dayOfWeek: d, startMinute: 9 * 60, endMinute: 17 * 60 })),
        },
        holidays: { create: [{ date: new Date('2026-12-25T00:00:00Z'), name: 'Christmas' }] },
      },
    });
    await p.inboundNumber.createMany({
      data: [
        { tenantId: acme.id, e164: '+12125550123', destType: 'TIME_CONDITION', destValue: tc.id },
        { tenantId: acme.id, e164: '+12125550124', destType: 'RING_GROUP', destValue: rg.id },
        { tenantId: acme.id, e164: '+12125550125', destType: 'EXTERNAL', destValue: '+4930123456' },
        // 1001's caller ID: one of the tenant's own numbers, so routing presents it (issue #14 item 5).
        { tenantId: acme.id, e164: '+12125550111', destType: 'HANGUP', destValue: null },
      ],
    });
    ids = { e1001: e1001.id, e1002: e1002.id, e1003: e1003.id, ivr: ivr.id, box: box.id };
  });
  after(async () => c.close());

  const call = async (from: string, to: string, domain = 'acme.test') =>
    actionsOf(await c.client.dialplan(phoneCall(domain, from, to)), domain);
  /** The lookup FreeSWITCH makes after a transfer in `before`: the same channel, with the variables it set. */
  const next = async (
    first: ReturnType<typeof phoneCall> | ReturnType<typeof trunkCall>,
    before: ReturnType<typeof actionsOf>,
    to: string,
    domain = 'acme.test',
  ) => {
    const token = setVars(before).get('pbx_transfer_token') ?? '';
    return actionsOf(
      await c.client.dialplan({
        ...first,
        destination: to,
        channelVariables: [['pbx_transfer_token', token]],
      }),
      domain,
    );
  };
  const did = async (to: string) => actionsOf(await c.client.dialplan(trunkCall(to)), 'public');
  /** What FreeSWITCH runs when the answer's bridge failed: the actions after it. */
  const afterBridge = (a: ReturnType<typeof actionsOf>) =>
    a.slice(a.findIndex((x) => x.application === 'bridge') + 1);

  void test('extension to extension: ring, then the continuation by outcome', async () => {
    const first = phoneCall('acme.test', '1001', '1002');
    const res = await c.client.dialplan(first);
    assert.equal(
      res.document?.kind === 'dialplan'
        ? res.document.contexts[0]?.extensions[0]?.conditions[0]?.expression
        : '',
      '^1002$',
    );
    const a = actionsOf(res, 'acme.test');
    assert.equal(setVars(a).get('continue_on_fail'), 'true');
    assert.equal(setVars(a).get('pbx_tenant_id'), acme.id);
    assert.deepEqual(app(a, 'bridge'), ['{leg_timeout=25}[pbx_extension=1002]user/1002@acme.test']);
    // 1002 forwards nowhere: its voicemail follows the bridge, which FreeSWITCH runs on only when the bridge
    // failed; no transfer, no token, no second lookup.
    assert.deepEqual(app(a, 'transfer'), []);
    assert.equal(setVars(a).get('pbx_transfer_token'), undefined);
    assert.deepEqual(app(a, 'record_session'), []);
    // What CDR ingestion reads (docs/call-records.md): exported to the B leg, or per leg in the dial string.
    assert.deepEqual(app(a, 'export'), [`pbx_tenant_id=${acme.id}`, 'pbx_direction=internal']);
    assert.equal(setVars(a).get('pbx_extension'), '1001');

    const failed = afterBridge(a);
    assert.deepEqual(
      failed.map((x) => x.application),
      ['answer', 'set', 'set', 'set', 'set', 'set', 'socket', 'hangup'],
    );
    const v = setVars(failed);
    // The voicemail runtime reads busy (USER_BUSY, CALL_REJECTED) or unavailable from it (voicemail-session test).
    assert.equal(v.get('pbx_vm_reason'), '${originate_disposition}');
    assert.equal(v.get('pbx_app'), 'voicemail');
    assert.equal(v.get('pbx_vm_action'), 'leave');
    assert.equal(v.get('pbx_vm_box'), '1002');
    const box1002 = await c.prisma.voicemailBox.findFirstOrThrow({
      where: { tenantId: acme.id, number: '1002' },
    });
    assert.equal(v.get('pbx_vm_box_id'), box1002.id);
    assert.deepEqual(app(failed, 'socket'), ['127.0.0.1:8084 async full']);
    // The continuation by outcome is still what the explainer follows (packages/domain/test/routing-engine.test.ts).
    // 1003 has no voicemail: the caller is hung up with the ring's own cause (FreeSWITCH's default).
    const rung = actionsOf(await c.client.dialplan(phoneCall('acme.test', '1001', '1003')), 'acme.test');
    assert.deepEqual(afterBridge(rung), [{ application: 'hangup', data: '${originate_disposition}' }]);
  });

  void test('recording policy starts record_session with the call UUID in the file name', async () => {
    const a = await call('1001', '1003');
    assert.deepEqual(app(a, 'record_session'), [`/var/lib/pbx/recordings/${acme.id}/\${uuid}.wav`]);
    assert.ok(
      a.findIndex((x) => x.application === 'record_session') < a.findIndex((x) => x.application === 'bridge'),
    );
  });

  void test('a recorded caller is not recorded in voicemail: no record_session, and a recorded ring stops it', async () => {
    // 1003 records ALWAYS; *1002 goes straight to 1002's box.
    const direct = await call('1003', '*1002');
    assert.deepEqual(app(direct, 'record_session'), []);
    assert.equal(setVars(direct).get('pbx_app'), 'voicemail');
    const ring = actionsOf(await c.client.dialplan(phoneCall('acme.test', '1003', '1002')), 'acme.test');
    assert.equal(app(ring, 'record_session').length, 1);
    const after = afterBridge(ring);
    assert.deepEqual(app(after, 'record_session'), []);
    assert.deepEqual(app(after, 'stop_record_session'), ['${pbx_recording_path}']);
    assert.ok(
      after.findIndex((x) => x.application === 'stop_record_session') <
        after.findIndex((x) => x.application === 'socket'),
    );
    // Nobody recorded: nothing to stop.
    const unrecorded = actionsOf(
      await c.client.dialplan(phoneCall('acme.test', '1001', '1002')),
      'acme.test',
    );
    assert.deepEqual(app(afterBridge(unrecorded), 'stop_record_session'), []);
    assert.equal(setVars(afterBridge(unrecorded)).get('pbx_app'), 'voicemail');
  });

  void test('DID in the public context: time condition across the DST change → ring group or IVR', async () => {
    c.clock.now = new Date('2026-03-09T13:30:00Z'); // Monday 09:30 EDT: open
    let a = await did('+12125550123');
    assert.deepEqual(app(a, 'bridge'), [
      '{leg_timeout=30}[pbx_extension=1001]user/1001@acme.test,[pbx_extension=1002]user/1002@acme.test',
    ]);
    assert.equal(setVars(a).get('pbx_did'), '+12125550123');
    assert.equal(setVars(a).get('pbx_direction'), 'inbound');
    // The continuation goes back into the tenant's own context.
    assert.deepEqual(app(a, 'transfer')[0]?.endsWith(' XML acme.test'), true);
    c.clock.now = new Date('2026-03-06T13:30:00Z'); // Friday 08:30 EST: closed
    a = await did('12125550123');
    assert.equal(setVars(a).get('pbx_app'), 'ivr');
    assert.equal(setVars(a).get('pbx_ivr_menu_id'), ids.ivr);
    assert.deepEqual(app(a, 'socket'), ['127.0.0.1:8084 async full']);
    c.clock.now = new Date('2026-12-25T15:00:00Z'); // a holiday in office hours
    assert.equal(setVars(await did('12125550123')).get('pbx_app'), 'ivr');
    c.clock.now = new Date('2026-11-23T15:00:00Z');
  });

  void test('sequential ring group and its fallback', async () => {
    const first = trunkCall('+12125550124');
    const a = actionsOf(await c.client.dialplan(first), 'public');
    assert.deepEqual(app(a, 'bridge'), [
      '[leg_timeout=10,pbx_extension=1002]user/1002@acme.test|[leg_timeout=25,pbx_extension=1001]user/1001@acme.test',
    ]);
    const transfer = app(a, 'transfer')[0] ?? '';
    const next = transfer.replace('${originate_disposition} XML acme.test', 'NO_ANSWER');
    const fb = actionsOf(
      await c.client.dialplan({
        ...first,
        destination: next,
        context: 'acme.test',
        channelVariables: [['pbx_transfer_token', setVars(a).get('pbx_transfer_token') ?? '']],
      }),
      'acme.test',
    );
    assert.equal(setVars(fb).get('pbx_vm_box_id'), ids.box);
  });

  void test('outbound through the tenant gateway with caller ID and the concurrent limit', async () => {
    const first = phoneCall('acme.test', '1001', '2125550142');
    const a = actionsOf(await c.client.dialplan(first), 'acme.test');
    const v = setVars(a);
    assert.equal(v.get('effective_caller_id_number'), '+12125550111');
    // The display name arrives intact (minus `$`), only inside a set action, never in a dial string.
    assert.equal(v.get('effective_caller_id_name'), 'Tom & "Jerry" <x> {system(id)}|a,b');
    assert.deepEqual(app(a, 'limit'), [
      `hash pbx_outbound ${acme.id} 3 pbx-blocked-CONCURRENT_LIMIT XML acme.test`,
    ]);
    assert.deepEqual(app(a, 'bridge'), ['sofia/gateway/trunk-acme/+12125550142']);
    assert.deepEqual(
      [v.get('pbx_direction'), v.get('pbx_extension'), v.get('pbx_callee'), v.get('pbx_caller_number')],
      ['outbound', '1001', '+12125550142', '+12125550111'],
    );
    const over = await next(first, a, 'pbx-blocked-CONCURRENT_LIMIT');
    assert.equal(setVars(over).get('pbx_blocked_reason'), 'CONCURRENT_LIMIT');
    assert.deepEqual(app(over, 'hangup'), ['NORMAL_CIRCUIT_CONGESTION']);
    // A tenant whose limit is 0 is refused at once.
    const b = await call('1002', '2125550142', 'b.example');
    assert.equal(setVars(b).get('pbx_blocked_reason'), 'CONCURRENT_LIMIT');
  });

  void test('international and premium calls are blocked with a tone and a CDR-visible reason', async () => {
    for (const [to, reason] of [
      ['004930123456', 'INTERNATIONAL_BLOCKED'],
      ['19005550142', 'PREMIUM_BLOCKED'],
    ] as const) {
      const a = await call('1001', to);
      assert.equal(setVars(a).get('pbx_blocked_reason'), reason);
      assert.deepEqual(
        a.slice(-3).map((x) => [x.application, x.data]),
        [
          ['pre_answer', null],
          ['playback', SIT],
          ['hangup', 'OUTGOING_CALL_BARRED'],
        ],
      );
      assert.deepEqual(app(a, 'bridge'), []);
    }
    // A DID forwarded abroad is held to the same tenant rule.
    assert.equal(setVars(await did('+12125550125')).get('pbx_blocked_reason'), 'INTERNATIONAL_BLOCKED');
  });

  void test('unknown numbers, unknown DIDs and unknown contexts get a clean UNALLOCATED_NUMBER', async () => {
    for (const a of [await call('1001', '4242'), await did('+19995550000')]) {
      assert.deepEqual(app(a, 'hangup'), ['UNALLOCATED_NUMBER']);
      assert.equal(setVars(a).get('pbx_route_result'), 'UNALLOCATED');
    }
    const res = await c.client.dialplan(phoneCall('nowhere.example', '1001', '1002'));
    assert.deepEqual(app(actionsOf(res, 'nowhere.example'), 'hangup'), ['UNALLOCATED_NUMBER']);
  });

  void test('tenants are isolated: a caller of one tenant cannot use another tenant context', async () => {
    // b.example's 1002 is rung in b.example, never acme's.
    assert.deepEqual(app(await call('1002', '1002', 'b.example'), 'bridge'), [
      '{leg_timeout=25}[pbx_extension=1002]user/1002@b.example',
    ]);
    // A channel claiming acme's context but authenticated in b.example is not treated as acme's extension.
    const spoof = { ...phoneCall('acme.test', '1002', '*78'), domain: 'b.example' };
    const a = actionsOf(await c.client.dialplan(spoof), 'acme.test');
    assert.deepEqual(app(a, 'hangup'), ['UNALLOCATED_NUMBER']);
    assert.equal((await c.prisma.extension.findFirstOrThrow({ where: { id: ids.e1002 } })).dnd, false);
  });

  void test('feature codes: DND on/off and forwarding change the extension and take effect at once', async () => {
    const on = await call('1002', '*78');
    assert.deepEqual(on.map((x) => x.application).slice(-3), ['answer', 'playback', 'hangup']);
    assert.equal((await c.prisma.extension.findFirstOrThrow({ where: { id: ids.e1002 } })).dnd, true);
    assert.equal(
      userOf(await c.client.userCall('1002', 'acme.test')).params.get('dial-string'),
      'error/USER_BUSY',
    );
    assert.equal(setVars(await call('1001', '1002')).get('pbx_vm_box'), '1002');
    await call('1002', '*79');
    assert.equal((await c.prisma.extension.findFirstOrThrow({ where: { id: ids.e1002 } })).dnd, false);
    assert.deepEqual(app(await call('1001', '1002'), 'bridge'), [
      '{leg_timeout=25}[pbx_extension=1002]user/1002@acme.test',
    ]);

    await call('1002', '*722125550142');
    const fwd = await c.prisma.extension.findFirstOrThrow({ where: { id: ids.e1002 } });
    assert.deepEqual([fwd.forwardAlwaysType, fwd.forwardAlwaysValue], ['EXTERNAL', '+12125550142']);
    assert.deepEqual(app(await call('1001', '1002'), 'bridge'), ['sofia/gateway/trunk-acme/+12125550142']);
    await call('1002', '*73');
    assert.equal(
      (await c.prisma.extension.findFirstOrThrow({ where: { id: ids.e1002 } })).forwardAlwaysType,
      null,
    );
    assert.deepEqual(app(await call('1001', '1002'), 'bridge'), [
      '{leg_timeout=25}[pbx_extension=1002]user/1002@acme.test',
    ]);
  });

  void test('voicemail feature codes hand the call to the outbound socket', async () => {
    const own = setVars(await call('1001', '*97'));
    assert.deepEqual([own.get('pbx_vm_action'), own.get('pbx_vm_box')], ['check', '1001']);
    assert.equal(setVars(await call('1001', '*98')).get('pbx_vm_action'), 'check_any');
    const direct = setVars(await call('1001', '*1002'));
    assert.deepEqual([direct.get('pbx_vm_action'), direct.get('pbx_vm_box')], ['leave', '1002']);
    assert.equal(setVars(await call('1001', '5000')).get('pbx_app'), 'ivr');
  });

  void test('hostile destinations cannot inject XML or dialplan', async () => {
    for (const to of [
      '1002"/><action application="system" data="rm -rf /',
      '${system(id)}',
      '1002|user/1003@acme.test',
      '1002,sofia/gateway/x/1',
    ]) {
      const res = await c.client.dialplan(phoneCall('acme.test', '1001', to));
      const a = actionsOf(res, 'acme.test');
      assert.deepEqual(app(a, 'hangup'), ['UNALLOCATED_NUMBER'], to);
      assert.deepEqual(app(a, 'bridge'), [], to);
      assert.equal(app(a, 'system').length, 0);
      const doc = res.document;
      assert.equal(
        doc?.kind === 'dialplan' ? doc.contexts[0]?.extensions[0]?.conditions[0]?.expression : null,
        `^${to.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')}$`,
      );
    }
  });

  void test('POST /explain dry-runs the same engine', async () => {
    const res = await c.app.inject({
      method: 'POST',
      url: '/explain',
      remoteAddress: '127.0.0.1',
      headers: { authorization: XML_AUTH },
      payload: {
        domain: 'acme.test',
        from: '+13105550199',
        to: '+12125550123',
        context: 'public',
        at: '2026-03-09T13:30:00Z',
      },
    });
    assert.equal(res.statusCode, 200);
    const body = res.json<{ text: string[]; route: { steps: { kind: string }[] } }>();
    assert.ok(
      body.text.some((l) => l.includes('inside the open hours')),
      body.text.join('\n'),
    );
    assert.ok(body.text.includes('ring 1001 + 1002 for 30s'), body.text.join('\n'));
    assert.ok(body.text.includes('if no answer:'));
    const bad = await c.app.inject({
      method: 'POST',
      url: '/explain',
      remoteAddress: '127.0.0.1',
      headers: { authorization: XML_AUTH },
      payload: { domain: 'acme.test' },
    });
    assert.equal(bad.statusCode, 400);
  });
});
