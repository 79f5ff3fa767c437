// The pure routing engine (packages/domain/src/routing): every routing decision without I/O.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  classifyNumber,
  homeOf,
  explainRoute,
  localTime,
  routeCall,
  type Caller,
  type ExtensionSnapshot,
  type RouteStep,
  type TenantSnapshot,
} from '../src/routing/index.js';

const T = '11111111-1111-4111-8111-111111111111';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function ext(number: string, over: Partial<ExtensionSnapshot> = {}): ExtensionSnapshot {
  return {
    id: id(Number(number)),
    number,
    displayName: `Ext ${number}`,
    callerIdName: null,
    callerIdNumber: null,
    sipA1Hash: '0'.repeat(32),
    enabled: true,
    voicemailEnabled: true,
    voicemailBoxId: id(90000 + Number(number)),
    recordingPolicy: 'INHERIT',
    outboundPolicy: 'NATIONAL',
    ringTimeoutSec: 20,
    dnd: false,
    forwardAlways: null,
    forwardBusy: null,
    forwardNoAnswer: null,
    ...over,
  };
}

function snapshot(
  over: { tenant?: Partial<TenantSnapshot['tenant']>; extensions?: ExtensionSnapshot[] } & Partial<
    Omit<TenantSnapshot, 'tenant' | 'extensions'>
  > = {},
): TenantSnapshot {
  const extensions = over.extensions ?? [ext('1001'), ext('1002'), ext('1003')];
  return {
    gateway: { fsName: 'trunk-a', prefix: '', enabled: true, numberFormat: 'E164', callerIdFormat: 'E164' },
    voicemailBoxes: extensions.map((e) => ({ id: e.voicemailBoxId ?? '', number: e.number, name: e.number })),
    ivrMenus: [{ id: id(500), name: 'Main menu', number: '500' }],
    ringGroups: [],
    inboundNumbers: [],
    timeConditions: [],
    ...over,
    extensions,
    tenant: {
      id: T,
      name: 'Acme',
      domain: 'acme.test',
      timeZone: 'America/New_York',
      country: null,
      status: 'ACTIVE',
      maxConcurrentOutbound: 5,
      allowInternational: false,
      allowPremium: false,
      recordingPolicy: 'NEVER',
      defaultCallerIdNumber: '+12125550100',
      ...over.tenant,
    },
  };
}

const NOW = new Date('2026-11-23T15:00:00Z');
const me: Caller = { kind: 'extension', number: '1001' };
const route = (
  s: TenantSnapshot,
  destination: string,
  o: { caller?: Caller; context?: 'tenant' | 'public'; now?: Date; internal?: boolean } = {},
) =>
  routeCall({
    snapshot: s,
    context: o.context ?? 'tenant',
    caller: o.caller ?? me,
    destination,
    now: o.now ?? NOW,
    // The controller sets this for the platform's own transfers (a signed channel variable); here the tests that
    // route a continuation stand for that transfer.
    internal: o.internal ?? destination.startsWith('pbx-'),
  }).steps.filter((x) => x.kind !== 'note');
const only = <K extends RouteStep['kind']>(steps: RouteStep[], kind: K) =>
  steps.filter((s): s is Extract<RouteStep, { kind: K }> => s.kind === kind);
const last = (steps: RouteStep[]) => steps[steps.length - 1];

void describe('extension to extension', () => {
  void test('rings the phones with the extension ring time, continuation carries the outcome', () => {
    const steps = route(snapshot(), '1002');
    const [ring] = only(steps, 'ring');
    assert.deepEqual(
      ring?.targets.map((t) => t.number),
      ['1002'],
    );
    assert.equal(ring?.timeoutSec, 20);
    assert.equal(ring?.next, 'pbx-after-ext-1002-');
    // 1002 forwards nowhere: what its continuation does is run right after the bridge (RingStep.onFail).
    assert.deepEqual(ring?.onFail, { kind: 'voicemail', boxId: id(91002), boxNumber: '1002' });
  });

  void test('a ring runs its failure inline only when no forward needs a second decision', () => {
    const s = snapshot({
      extensions: [
        ext('1001'),
        ext('1002', { voicemailEnabled: false }),
        ext('1003', { forwardBusy: { type: 'EXTERNAL', value: '+12125550142' } }),
        ext('1004', { forwardNoAnswer: { type: 'EXTENSION', value: id(1001) } }),
      ],
    });
    const ringOf = (to: string) => only(route(s, to), 'ring')[0];
    assert.deepEqual(ringOf('1002')?.onFail, { kind: 'hangup' });
    assert.equal(ringOf('1003')?.onFail, undefined);
    assert.equal(ringOf('1004')?.onFail, undefined);
    assert.equal(ringOf('1003')?.next, 'pbx-after-ext-1003-');
  });

  void test('no answer → voicemail; busy → voicemail; no voicemail → hang up with the matching cause', () => {
    const s = snapshot();
    assert.deepEqual(last(route(s, 'pbx-after-ext-1002-NO_ANSWER')), {
      kind: 'voicemail',
      mode: 'leave',
      boxId: id(91002),
      boxNumber: '1002',
      reason: 'unavailable',
    });
    assert.equal(last(route(s, 'pbx-after-ext-1002-USER_BUSY'))?.kind, 'voicemail');
    const novm = snapshot({ extensions: [ext('1001'), ext('1002', { voicemailEnabled: false })] });
    assert.deepEqual(last(route(novm, 'pbx-after-ext-1002-NO_ANSWER')), {
      kind: 'hangup',
      cause: 'NO_ANSWER',
    });
    assert.deepEqual(last(route(novm, 'pbx-after-ext-1002-USER_BUSY')), {
      kind: 'hangup',
      cause: 'USER_BUSY',
    });
    assert.deepEqual(last(route(novm, 'pbx-after-ext-1002-USER_NOT_REGISTERED')), {
      kind: 'hangup',
      cause: 'NO_ANSWER',
    });
  });

  void test('forwarding always / busy / no answer', () => {
    const s = snapshot({
      extensions: [
        ext('1001'),
        ext('1002', { forwardAlways: { type: 'EXTENSION', value: id(1003) } }),
        ext('1003', {
          forwardBusy: { type: 'EXTERNAL', value: '+12125550142' },
          forwardNoAnswer: { type: 'EXTENSION', value: id(1001) },
        }),
      ],
    });
    assert.deepEqual(
      only(route(s, '1002'), 'ring')[0]?.targets.map((t) => t.number),
      ['1003'],
    );
    const busy = only(route(s, 'pbx-after-ext-1003-USER_BUSY'), 'outbound')[0];
    assert.equal(busy?.e164, '+12125550142');
    assert.equal(busy?.gateway, 'trunk-a');
    assert.deepEqual(
      only(route(s, 'pbx-after-ext-1003-NO_ANSWER'), 'ring')[0]?.targets.map((t) => t.number),
      ['1001'],
    );
  });

  void test('do-not-disturb skips ringing: busy forwarding, else voicemail', () => {
    const s = snapshot({
      extensions: [
        ext('1001'),
        ext('1002', { dnd: true }),
        ext('1003', { dnd: true, forwardBusy: { type: 'EXTENSION', value: id(1001) } }),
      ],
    });
    const dnd = route(s, '1002');
    assert.equal(only(dnd, 'ring').length, 0);
    assert.equal(last(dnd)?.kind, 'voicemail');
    assert.deepEqual(
      only(route(s, '1003'), 'ring')[0]?.targets.map((t) => t.number),
      ['1001'],
    );
  });

  void test('a forwarding loop ends with a clear reason', () => {
    const s = snapshot({
      extensions: [
        ext('1001'),
        ext('1002', { forwardAlways: { type: 'EXTENSION', value: id(1003) } }),
        ext('1003', { forwardAlways: { type: 'EXTENSION', value: id(1002) } }),
      ],
    });
    assert.deepEqual(last(route(s, '1002')), {
      kind: 'hangup',
      cause: 'CALL_REJECTED',
      reason: 'ROUTE_LOOP',
    });
  });

  void test('disabled extensions and unknown numbers are unallocated', () => {
    const s = snapshot({ extensions: [ext('1001'), ext('1002', { enabled: false })] });
    assert.deepEqual(last(route(s, '1002')), {
      kind: 'hangup',
      cause: 'UNALLOCATED_NUMBER',
      reason: 'UNALLOCATED',
    });
    assert.deepEqual(last(route(s, '4242')), {
      kind: 'hangup',
      cause: 'UNALLOCATED_NUMBER',
      reason: 'UNALLOCATED',
    });
    assert.deepEqual(last(route(s, 'hello')), {
      kind: 'hangup',
      cause: 'UNALLOCATED_NUMBER',
      reason: 'UNALLOCATED',
    });
  });

  void test('recording follows the extension, else the tenant policy', () => {
    const s = snapshot({
      extensions: [
        ext('1001', { recordingPolicy: 'ALWAYS' }),
        ext('1002'),
        ext('1003', { recordingPolicy: 'NEVER' }),
      ],
    });
    assert.equal(only(route(s, '1002'), 'record').length, 1);
    assert.equal(
      only(route(s, '1001', { caller: { kind: 'extension', number: '1002' } }), 'record').length,
      1,
    );
    assert.equal(
      only(route(s, '1003', { caller: { kind: 'extension', number: '1002' } }), 'record').length,
      0,
    );
    const all = snapshot({ tenant: { recordingPolicy: 'ALWAYS' } });
    assert.equal(only(route(all, '1002'), 'record').length, 1);
    // The continuation does not start a second recording of the same channel.
    assert.equal(only(route(s, 'pbx-after-ext-1002-NO_ANSWER'), 'record').length, 0);
  });

  void test('voicemail is never call-recorded: a recorded caller deposits or checks unrecorded', () => {
    const s = snapshot({
      extensions: [
        ext('1001', { recordingPolicy: 'ALWAYS' }),
        ext('1002'),
        ext('1003', { recordingPolicy: 'ALWAYS' }),
      ],
    });
    for (const dialed of ['*1002', '*97', '*98']) {
      const steps = route(s, dialed);
      assert.equal(only(steps, 'voicemail').length, 1, dialed);
      assert.deepEqual([only(steps, 'record').length, only(steps, 'stop_record').length], [0, 0], dialed);
    }
    // The ring was recorded (caller 1001): the continuation stops it before voicemail, with the reason.
    const na = route(s, 'pbx-after-ext-1002-NO_ANSWER');
    const kinds = na.map((x) => x.kind);
    assert.ok(
      kinds.indexOf('stop_record') !== -1 && kinds.indexOf('stop_record') < kinds.indexOf('voicemail'),
    );
    assert.equal(only(na, 'voicemail')[0]?.reason, 'unavailable');
    assert.equal(only(route(s, 'pbx-after-ext-1002-USER_BUSY'), 'voicemail')[0]?.reason, 'busy');
    // The callee records: the same. Nobody records: nothing to stop.
    const callee = route(s, 'pbx-after-ext-1003-NO_ANSWER', {
      caller: { kind: 'extension', number: '1002' },
    });
    assert.equal(only(callee, 'stop_record').length, 1);
    const plain = route(s, 'pbx-after-ext-1002-NO_ANSWER', { caller: { kind: 'extension', number: '1002' } });
    assert.equal(only(plain, 'stop_record').length, 0);
    // A DND extension that records goes to voicemail unrecorded.
    const dnd = snapshot({
      extensions: [ext('1001'), ext('1002', { recordingPolicy: 'ALWAYS', dnd: true })],
    });
    assert.equal(only(route(dnd, '1002'), 'record').length, 0);
    assert.equal(only(route(dnd, '1002'), 'voicemail')[0]?.reason, 'busy');
  });
});

void describe('inbound numbers', () => {
  const rg = (strategy: 'SIMULTANEOUS' | 'SEQUENTIAL') => ({
    id: id(700),
    name: 'Sales',
    number: '700',
    strategy,
    ringTimeoutSec: 30,
    fallback: { type: 'VOICEMAIL' as const, value: id(91001) },
    members: [
      { extensionId: id(1002), timeoutSec: 10 },
      { extensionId: id(1001), timeoutSec: null },
      { extensionId: id(1003), timeoutSec: 15 },
    ],
  });
  const did = (destination: TenantSnapshot['inboundNumbers'][number]['destination']) => [
    { e164: '+12125550123', enabled: true, destination },
  ];
  const outside: Caller = { kind: 'external', number: '+13105550199' };
  const call = (s: TenantSnapshot, to = '12125550123', now = NOW) =>
    route(s, to, { context: 'public', caller: outside, now });

  void test('DID → extension, matched in E.164 with or without +', () => {
    const s = snapshot({ inboundNumbers: did({ type: 'EXTENSION', value: id(1002) }) });
    for (const to of ['+12125550123', '12125550123'])
      assert.deepEqual(
        only(call(s, to), 'ring')[0]?.targets.map((t) => t.number),
        ['1002'],
      );
    const vars = new Map(only(call(s), 'set').map((x) => [x.name, x.value]));
    assert.deepEqual(
      [vars.get('pbx_did'), vars.get('pbx_direction'), vars.get('pbx_extension')],
      ['+12125550123', 'inbound', '1002'],
    );
    assert.deepEqual(last(call(s, '12125550999')), {
      kind: 'hangup',
      cause: 'UNALLOCATED_NUMBER',
      reason: 'UNALLOCATED',
    });
  });

  void test('ring group, simultaneous: everyone at once, DND and disabled members skipped', () => {
    const s = snapshot({
      extensions: [ext('1001'), ext('1002'), ext('1003', { dnd: true })],
      ringGroups: [rg('SIMULTANEOUS')],
      inboundNumbers: did({ type: 'RING_GROUP', value: id(700) }),
    });
    const [ring] = only(call(s), 'ring');
    assert.equal(ring?.strategy, 'SIMULTANEOUS');
    assert.deepEqual(
      ring?.targets.map((t) => t.number),
      ['1002', '1001'],
    );
    assert.equal(ring?.timeoutSec, 30);
    assert.equal(ring?.next, `pbx-after-rg-${id(700)}-`);
    assert.deepEqual(last(route(s, `pbx-after-rg-${id(700)}-NO_ANSWER`, { caller: outside })), {
      kind: 'voicemail',
      mode: 'leave',
      boxId: id(91001),
      boxNumber: '1001',
    });
  });

  void test('ring group, sequential: in position order with per-member times', () => {
    const s = snapshot({
      ringGroups: [rg('SEQUENTIAL')],
      inboundNumbers: did({ type: 'RING_GROUP', value: id(700) }),
    });
    const [ring] = only(call(s), 'ring');
    assert.equal(ring?.strategy, 'SEQUENTIAL');
    assert.deepEqual(
      ring?.targets.map((t) => [t.number, t.timeoutSec]),
      [
        ['1002', 10],
        ['1001', 30],
        ['1003', 15],
      ],
    );
  });

  void test('ring group with nobody available goes straight to its fallback', () => {
    const s = snapshot({
      extensions: [ext('1001', { dnd: true }), ext('1002', { enabled: false }), ext('1003', { dnd: true })],
      ringGroups: [rg('SIMULTANEOUS')],
      inboundNumbers: did({ type: 'RING_GROUP', value: id(700) }),
    });
    assert.equal(last(call(s))?.kind, 'voicemail');
  });

  void test('DID → IVR menu, voicemail box, external number, hang-up', () => {
    assert.deepEqual(last(call(snapshot({ inboundNumbers: did({ type: 'IVR_MENU', value: id(500) }) }))), {
      kind: 'ivr',
      menuId: id(500),
      menuName: 'Main menu',
    });
    assert.equal(
      last(call(snapshot({ inboundNumbers: did({ type: 'VOICEMAIL', value: id(91002) }) })))?.kind,
      'voicemail',
    );
    const ext1 = last(call(snapshot({ inboundNumbers: did({ type: 'EXTERNAL', value: '+12125550142' }) })));
    assert.equal(ext1?.kind === 'outbound' ? ext1.callerIdNumber : null, '+12125550100');
    assert.deepEqual(last(call(snapshot({ inboundNumbers: did({ type: 'HANGUP', value: null }) }))), {
      kind: 'hangup',
      cause: 'NORMAL_CLEARING',
    });
    assert.deepEqual(
      last(
        call(
          snapshot({
            inboundNumbers: [
              { e164: '+12125550123', enabled: false, destination: { type: 'HANGUP', value: null } },
            ],
          }),
        ),
      ),
      {
        kind: 'hangup',
        cause: 'UNALLOCATED_NUMBER',
        reason: 'UNALLOCATED',
      },
    );
  });

  void describe('time conditions in the tenant time zone', () => {
    const tc = {
      id: id(800),
      name: 'Office hours',
      match: { type: 'EXTENSION' as const, value: id(1002) },
      noMatch: { type: 'VOICEMAIL' as const, value: id(91001) },
      // Monday to Friday, 09:00-17:00 local.
      ranges: [1, 2, 3, 4, 5].map((d) => ({ dayOfWeek: d, startMinute: 540, endMinute: 1020 })),
      holidays: ['2026-07-03', '2026-12-25'],
    };
    const s = snapshot({
      timeConditions: [tc],
      inboundNumbers: did({ type: 'TIME_CONDITION', value: id(800) }),
    });
    const open = (iso: string) => only(call(s, '12125550123', new Date(iso)), 'ring').length === 1;

    void test('13:30 UTC is 08:30 EST before the March change and 09:30 EDT after it', () => {
      assert.equal(open('2026-03-06T13:30:00Z'), false); // Friday, EST (UTC-5): 08:30
      assert.equal(open('2026-03-09T13:30:00Z'), true); // Monday, EDT (UTC-4): 09:30
      assert.deepEqual(localTime(new Date('2026-03-08T06:59:00Z'), 'America/New_York'), {
        date: '2026-03-08',
        dayOfWeek: 0,
        minute: 119,
      });
      assert.deepEqual(localTime(new Date('2026-03-08T07:00:00Z'), 'America/New_York'), {
        date: '2026-03-08',
        dayOfWeek: 0,
        minute: 180,
      });
    });

    void test('21:30 UTC is 17:30 EDT before the November change and 16:30 EST after it', () => {
      assert.equal(open('2026-10-30T21:30:00Z'), false); // Friday, EDT: 17:30, closed
      assert.equal(open('2026-11-02T21:30:00Z'), true); // Monday, EST: 16:30, open
    });

    void test('holidays win over open hours, by local date', () => {
      assert.equal(open('2026-07-02T14:00:00Z'), true); // Thursday 10:00 EDT
      assert.equal(open('2026-07-03T14:00:00Z'), false); // Friday 10:00 EDT, holiday
      assert.equal(open('2026-12-25T15:00:00Z'), false);
      assert.equal(open('2026-12-24T15:00:00Z'), true);
      assert.equal(last(call(s, '12125550123', new Date('2026-12-25T15:00:00Z')))?.kind, 'voicemail');
    });
  });
});

void describe('feature codes', () => {
  const s = snapshot();
  void test('*97 own voicemail, *98 any box, *<ext> straight to voicemail', () => {
    assert.deepEqual(last(route(s, '*97')), {
      kind: 'voicemail',
      mode: 'check',
      boxId: id(91001),
      boxNumber: '1001',
    });
    assert.deepEqual(last(route(s, '*98')), {
      kind: 'voicemail',
      mode: 'check_any',
      boxId: null,
      boxNumber: null,
    });
    assert.deepEqual(last(route(s, '*1002')), {
      kind: 'voicemail',
      mode: 'leave',
      boxId: id(91002),
      boxNumber: '1002',
    });
    assert.equal(only(route(s, '*1002'), 'ring').length, 0);
    assert.deepEqual(last(route(s, '*4242')), {
      kind: 'hangup',
      cause: 'UNALLOCATED_NUMBER',
      reason: 'UNALLOCATED',
    });
  });

  void test('*78 / *79 set and clear do-not-disturb for the caller only', () => {
    assert.deepEqual(last(route(s, '*78')), {
      kind: 'feature',
      feature: { type: 'set_dnd', extensionId: id(1001), value: true },
      confirm: 'on',
    });
    assert.deepEqual(last(route(s, '*79', { caller: { kind: 'extension', number: '1002' } })), {
      kind: 'feature',
      feature: { type: 'set_dnd', extensionId: id(1002), value: false },
      confirm: 'off',
    });
    assert.deepEqual(last(route(s, '*78', { caller: { kind: 'external', number: '+13105550199' } })), {
      kind: 'hangup',
      cause: 'UNALLOCATED_NUMBER',
      reason: 'UNALLOCATED',
    });
  });

  void test('*72<number> forwards to an extension or an allowed external number; *73 clears', () => {
    assert.deepEqual(last(route(s, '*721002')), {
      kind: 'feature',
      feature: {
        type: 'set_forward_always',
        extensionId: id(1001),
        destination: { type: 'EXTENSION', value: id(1002) },
      },
      confirm: 'on',
    });
    assert.deepEqual(last(route(s, '*722125550142')), {
      kind: 'feature',
      feature: {
        type: 'set_forward_always',
        extensionId: id(1001),
        destination: { type: 'EXTERNAL', value: '+12125550142' },
      },
      confirm: 'on',
    });
    assert.deepEqual(last(route(s, '*72004930123456')), {
      kind: 'hangup',
      cause: 'OUTGOING_CALL_BARRED',
      reason: 'INTERNATIONAL_BLOCKED',
    });
    assert.deepEqual(last(route(s, '*73')), {
      kind: 'feature',
      feature: { type: 'set_forward_always', extensionId: id(1001), destination: null },
      confirm: 'off',
    });
  });
});

void describe('outbound calls', () => {
  void test('national numbers go out through the tenant gateway with the caller ID', () => {
    const s = snapshot({
      extensions: [ext('1001', { callerIdNumber: '+12125550111', callerIdName: 'Alice' })],
      verifiedCallerIds: ['+12125550111'],
    });
    for (const dialed of ['2125550142', '12125550142', '+12125550142', '0012125550142']) {
      const [o] = only(route(s, dialed), 'outbound');
      assert.deepEqual(
        o && [o.gateway, o.dial, o.callerIdNumber, o.callerIdName, o.maxConcurrent],
        ['trunk-a', '+12125550142', '+12125550111', 'Alice', 5],
        dialed,
      );
    }
    const [tenantCid] = only(route(snapshot(), '3125550142'), 'outbound');
    assert.equal(tenantCid?.callerIdNumber, '+12125550100');
  });

  void test("an extension's caller ID goes out only if it is the tenant's own or verified for it", () => {
    const cid = (over: Parameters<typeof snapshot>[0]) =>
      only(route(snapshot(over), '2125550142'), 'outbound')[0]?.callerIdNumber;
    const spoofing = [ext('1001', { callerIdNumber: '+12125559999' })];
    // Anybody's number (another tenant's DID, a bank's): the tenant's main number instead.
    assert.equal(cid({ extensions: spoofing }), '+12125550100');
    assert.equal(cid({ extensions: spoofing, verifiedCallerIds: ['+12125558888'] }), '+12125550100');
    // One of its own DIDs, or one a platform admin verified.
    const did = {
      e164: '+12125559999',
      enabled: true,
      destination: { type: 'HANGUP' as const, value: null },
    };
    assert.equal(cid({ extensions: spoofing, inboundNumbers: [did] }), '+12125559999');
    assert.equal(cid({ extensions: spoofing, verifiedCallerIds: ['+12125559999'] }), '+12125559999');
  });

  void test('international and premium numbers need the tenant flag; extension policy applies', () => {
    const blocked = (s: TenantSnapshot, to: string) => {
      const l = last(route(s, to));
      return l?.kind === 'hangup' ? l.reason : 'allowed';
    };
    const s = snapshot();
    assert.equal(blocked(s, '004930123456'), 'INTERNATIONAL_BLOCKED');
    assert.equal(blocked(s, '+4930123456'), 'INTERNATIONAL_BLOCKED');
    assert.equal(blocked(s, '19005550142'), 'PREMIUM_BLOCKED');
    const intl = snapshot({
      tenant: { allowInternational: true },
      extensions: [ext('1001', { outboundPolicy: 'INTERNATIONAL' })],
    });
    assert.equal(blocked(intl, '004930123456'), 'allowed');
    assert.equal(blocked(intl, '+979123456789'), 'PREMIUM_BLOCKED');
    const national = snapshot({ tenant: { allowInternational: true } });
    assert.equal(blocked(national, '004930123456'), 'POLICY_BLOCKED');
    const local = snapshot({ extensions: [ext('1001', { outboundPolicy: 'LOCAL' })] });
    assert.equal(blocked(local, '2125550142'), 'allowed');
    assert.equal(blocked(local, '3125550142'), 'POLICY_BLOCKED');
    const none = snapshot({ extensions: [ext('1001', { outboundPolicy: 'NONE' })] });
    assert.equal(blocked(none, '2125550142'), 'POLICY_BLOCKED');
    assert.equal(blocked(none, '911'), 'allowed');
    assert.equal(blocked(snapshot({ gateway: null }), '2125550142'), 'NO_GATEWAY');
    const noCid = snapshot({
      tenant: { defaultCallerIdNumber: null, allowInternational: true },
      extensions: [ext('1001', { outboundPolicy: 'INTERNATIONAL' })],
    });
    assert.equal(blocked(noCid, '+12125550142'), 'NO_CALLER_ID');
    assert.equal(blocked(noCid, '911'), 'allowed');
    assert.equal(
      blocked(snapshot({ tenant: { maxConcurrentOutbound: 0 } }), '2125550142'),
      'CONCURRENT_LIMIT',
    );
    assert.deepEqual(
      route(s, '004930123456').find((x) => x.kind === 'set' && x.name === 'pbx_blocked_reason'),
      {
        kind: 'set',
        name: 'pbx_blocked_reason',
        value: 'INTERNATIONAL_BLOCKED',
      },
    );
  });

  void test("premium numbers of the tenant's own country are premium (issue #14: +43 900, +41 900)", () => {
    for (const [dialed, home] of [
      ['0900123456', '+4312345678'],
      ['+43900123456', '+4312345678'],
      ['0939123456', '+4312345678'],
      ['0900123456', '+41441234567'],
      ['0906123456', '+41441234567'],
    ] as const) {
      const n = classifyNumber(dialed, homeOf({ defaultCallerIdNumber: home }));
      assert.equal(n?.class, 'NATIONAL', dialed);
      assert.equal(n?.premium, true, `${dialed} from ${home}`);
    }
    assert.equal(
      classifyNumber('0800123456', homeOf({ defaultCallerIdNumber: '+41441234567' }))?.premium,
      false,
    );
  });

  void test('number classification', () => {
    assert.deepEqual(classifyNumber('2125550142', homeOf({ defaultCallerIdNumber: '+12125550100' })), {
      e164: '+12125550142',
      class: 'LOCAL',
      premium: false,
    });
    assert.deepEqual(classifyNumber('0301234567', homeOf({ defaultCallerIdNumber: '+493012345' })), {
      e164: '+49301234567',
      class: 'LOCAL',
      premium: false,
    });
    assert.deepEqual(classifyNumber('08912345678', homeOf({ defaultCallerIdNumber: '+493012345' })), {
      e164: '+498912345678',
      class: 'NATIONAL',
      premium: false,
    });
    assert.equal(classifyNumber('0301234567', homeOf({ defaultCallerIdNumber: null })), null);
    assert.equal(
      classifyNumber('+4930123456', homeOf({ defaultCallerIdNumber: null }))?.class,
      'INTERNATIONAL',
    );
  });

  void test('the concurrent-outbound limit is the one of the tenant', () => {
    assert.equal(
      only(route(snapshot({ tenant: { maxConcurrentOutbound: 2 } }), '2125550142'), 'outbound')[0]
        ?.maxConcurrent,
      2,
    );
    assert.deepEqual(last(route(snapshot(), 'pbx-blocked-CONCURRENT_LIMIT')), {
      kind: 'hangup',
      cause: 'NORMAL_CIRCUIT_CONGESTION',
      reason: 'CONCURRENT_LIMIT',
    });
  });
});

void describe('internal destinations', () => {
  void test('a continuation or refusal dialed rather than reached by the platform transfer is unallocated', () => {
    const s = snapshot({
      extensions: [ext('1001'), ext('1002', { forwardBusy: { type: 'EXTERNAL', value: '+12125550142' } })],
    });
    for (const dest of [
      'pbx-after-ext-1002-USER_BUSY',
      `pbx-after-rg-${id(700)}-NO_ANSWER`,
      'pbx-blocked-CONCURRENT_LIMIT',
      'pbx-anything-else',
    ]) {
      for (const context of ['tenant', 'public'] as const) {
        const steps = route(s, dest, { internal: false, context });
        assert.deepEqual(
          last(steps),
          { kind: 'hangup', cause: 'UNALLOCATED_NUMBER', reason: 'UNALLOCATED' },
          dest,
        );
        assert.equal(only(steps, 'outbound').length + only(steps, 'ring').length, 0, dest);
      }
    }
    // The same continuation from the transfer that created it reaches 1002's forward.
    assert.equal(only(route(s, 'pbx-after-ext-1002-USER_BUSY', { internal: true }), 'outbound').length, 1);
  });
});

void describe('tenant state and explainer', () => {
  void test('a suspended tenant routes nothing', () => {
    assert.deepEqual(last(route(snapshot({ tenant: { status: 'SUSPENDED' } }), '1002')), {
      kind: 'hangup',
      cause: 'CALL_REJECTED',
      reason: 'TENANT_SUSPENDED',
    });
  });

  void test('explainRoute follows the busy and no-answer continuations with the same engine', () => {
    const s = snapshot({
      extensions: [
        ext('1001'),
        ext('1002', { forwardNoAnswer: { type: 'EXTERNAL', value: '+12125550142' } }),
      ],
    });
    const e = explainRoute(s, {
      domain: 'acme.test',
      from: '1001',
      to: '1002',
      context: 'tenant',
      at: '2026-11-23T15:00:00Z',
    });
    assert.deepEqual(
      e.route.steps,
      routeCall({ snapshot: s, context: 'tenant', caller: me, destination: '1002', now: NOW }).steps,
    );
    assert.equal(last(e.route.ifBusy?.steps ?? [])?.kind, 'voicemail');
    assert.equal(last(e.route.ifNoAnswer?.steps ?? [])?.kind, 'outbound');
    assert.ok(e.text.some((l) => l.startsWith('ring 1002')));
    assert.ok(e.text.includes('if no answer:'));
  });
});

void describe('internal IVR destinations (pbx-go-…)', () => {
  const box = id(91002);
  const go = `pbx-go-VOICEMAIL-${box}`;
  void test('a transfer the platform made (internal) reaches the destination', () => {
    const steps = routeCall({
      snapshot: snapshot(),
      context: 'tenant',
      caller: { kind: 'external', number: '+442071838750' },
      destination: go,
      now: NOW,
      internal: true,
    }).steps;
    assert.deepEqual(last(steps), { kind: 'voicemail', mode: 'leave', boxId: box, boxNumber: '1002' });
  });
  void test('dialed by a phone (no verified transfer token) it is unallocated', () => {
    for (const internal of [undefined, false]) {
      const steps: RouteStep[] = routeCall({
        snapshot: snapshot(),
        context: 'tenant',
        caller: me,
        destination: go,
        now: NOW,
        ...(internal === undefined ? {} : { internal }),
      }).steps;
      assert.deepEqual(last(steps), { kind: 'hangup', cause: 'UNALLOCATED_NUMBER', reason: 'UNALLOCATED' });
      assert.equal(only(steps, 'voicemail').length, 0);
    }
  });
  void test('every destination type resolves exactly as a DID pointing at it would', () => {
    const s = snapshot({
      inboundNumbers: [
        { e164: '+12125550199', enabled: true, destination: { type: 'EXTENSION', value: id(1003) } },
      ],
    });
    const viaDid = route(s, '+12125550199', { context: 'public', caller: { kind: 'external', number: '1' } });
    const target = `pbx-go-EXTENSION-${id(1003)}`;
    const viaGo = routeCall({
      snapshot: s,
      context: 'tenant',
      caller: { kind: 'external', number: '1' },
      destination: target,
      now: NOW,
      internal: true,
    }).steps.filter((x) => x.kind !== 'note');
    assert.deepEqual(only(viaGo, 'ring'), only(viaDid, 'ring'));
    const hang = 'pbx-go-HANGUP-';
    assert.deepEqual(
      last(
        routeCall({
          snapshot: s,
          context: 'tenant',
          caller: me,
          destination: hang,
          now: NOW,
          internal: true,
        }).steps,
      ),
      { kind: 'hangup', cause: 'NORMAL_CLEARING' },
    );
  });
});
