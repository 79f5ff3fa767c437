// Issue #16: emergency numbers per tenant country are reserved and always routed — whatever the outbound and fraud
// policy, the concurrent limit or the tenant's suspension say — with the emergency callback number and location.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_FRAUD_SETTINGS,
  explainRoute,
  isEmergencyNumber,
  routeCall,
  type ExtensionSnapshot,
  type GatewaySnapshot,
  type RouteStep,
  type TenantSnapshot,
} from '../src/routing/index.js';

const ext = (number: string, over: Partial<ExtensionSnapshot> = {}): ExtensionSnapshot => ({
  id: `ext-${number}`,
  number,
  displayName: `Ext ${number}`,
  callerIdName: null,
  callerIdNumber: null,
  sipA1Hash: 'x',
  enabled: true,
  voicemailEnabled: false,
  voicemailBoxId: null,
  recordingPolicy: 'INHERIT',
  outboundPolicy: 'NONE',
  ringTimeoutSec: 20,
  dnd: false,
  forwardAlways: null,
  forwardBusy: null,
  forwardNoAnswer: null,
  ...over,
});
const trunk = (over: Partial<GatewaySnapshot> = {}): GatewaySnapshot => ({
  fsName: 'trunk-a',
  prefix: '',
  enabled: true,
  numberFormat: 'E164',
  callerIdFormat: 'E164',
  ...over,
});

function snapshot(
  tenant: Partial<TenantSnapshot['tenant']> = {},
  over: Partial<Omit<TenantSnapshot, 'tenant'>> = {},
): TenantSnapshot {
  return {
    tenant: {
      id: 't1',
      name: 'Acme',
      domain: 'acme.test',
      timeZone: 'Europe/London',
      country: 'GB',
      status: 'ACTIVE',
      maxConcurrentOutbound: 5,
      allowInternational: false,
      allowPremium: false,
      recordingPolicy: 'NEVER',
      defaultCallerIdNumber: '+442071838750',
      ...tenant,
    },
    gateway: trunk(),
    extensions: [ext('1001')],
    voicemailBoxes: [],
    ivrMenus: [],
    ringGroups: [],
    inboundNumbers: [
      { e164: '+442071838750', enabled: true, destination: { type: 'HANGUP', value: null } },
      { e164: '+442071838751', enabled: true, destination: { type: 'HANGUP', value: null } },
    ],
    timeConditions: [],
    ...over,
  };
}

const route = (s: TenantSnapshot, to: string, from = '1001'): RouteStep[] =>
  routeCall({
    snapshot: s,
    context: 'tenant',
    caller: { kind: 'extension', number: from },
    destination: to,
    now: new Date('2026-12-04T12:00:00Z'),
  }).steps;
type Outbound = Extract<RouteStep, { kind: 'outbound' }>;
const outbound = (steps: RouteStep[]) => steps.find((s): s is Outbound => s.kind === 'outbound');
const emergencyFlag = (steps: RouteStep[]) =>
  steps.some((s) => s.kind === 'set' && s.name === 'pbx_emergency' && s.value === 'true');

void describe('emergency numbers per country', () => {
  void test("each country's own numbers, from libphonenumber's short-number metadata", () => {
    const cases: [string, string[], string[]][] = [
      ['DE', ['112', '110'], ['911', '999', '000']],
      ['GB', ['999', '112'], ['911', '000', '110']],
      ['US', ['911', '112'], ['999', '000', '110']],
      ['AU', ['000', '112'], ['999', '110']],
      ['FR', ['15', '17', '18', '112'], ['999']],
    ];
    for (const [country, yes, no] of cases) {
      for (const n of yes) assert.equal(isEmergencyNumber(n, country), true, `${n} in ${country}`);
      for (const n of no) assert.equal(isEmergencyNumber(n, country), false, `${n} in ${country}`);
    }
    // No country known: the common short codes are all reserved (the safe mistake).
    for (const n of ['112', '911', '999', '000', '110', '15']) assert.equal(isEmergencyNumber(n, null), true);
    assert.equal(isEmergencyNumber('1001', null), false);
  });

  void test('dialed, they go to the trunk as dialed, marked emergency, with no limit and no fraud checks', () => {
    for (const [country, number] of [
      ['GB', '999'],
      ['DE', '110'],
      ['US', '911'],
      ['AU', '000'],
    ] as const) {
      const steps = route(snapshot({ country }), number);
      const out = outbound(steps);
      assert.equal(out?.dial, number, `${number} in ${country}`);
      assert.equal(out?.maxConcurrent, 0);
      assert.equal(out?.fraud, null);
      assert.ok(emergencyFlag(steps));
    }
    // Another country's number is not one here: 911 in GB is just an unknown short number.
    assert.equal(outbound(route(snapshot(), '911')), undefined);
  });

  void test('reserved: an extension numbered like an emergency number does not take the call', () => {
    const s = snapshot({}, { extensions: [ext('1001'), ext('999')] });
    const steps = route(s, '999');
    assert.equal(outbound(steps)?.dial, '999');
    assert.ok(!steps.some((x) => x.kind === 'ring'));
  });
});

void describe('emergency calls are routed under every blocking condition', () => {
  const blockedEverything = {
    ...DEFAULT_FRAUD_SETTINGS,
    allowedCountries: ['FR'],
    maxConcurrentPerExtension: 1,
    velocityMaxCalls: 1,
  };
  const conditions: [string, TenantSnapshot][] = [
    ['outbound policy NONE, no international, no premium', snapshot()],
    ['fraud policy with an allow-list of another country', snapshot({}, { fraud: blockedEverything })],
    ['tenant concurrent limit 0', snapshot({ maxConcurrentOutbound: 0 })],
    ['tenant suspended', snapshot({ status: 'SUSPENDED' })],
    ['no caller ID at all', snapshot({ defaultCallerIdNumber: null }, { inboundNumbers: [] })],
  ];
  for (const [name, s] of conditions)
    void test(name, () => {
      const out = outbound(route(s, '999'));
      assert.equal(out?.gateway, 'trunk-a', name);
      assert.equal(out?.fraud, null);
      assert.equal(out?.maxConcurrent, 0);
    });

  void test('the same conditions refuse an ordinary call (the test would notice a policy that does nothing)', () => {
    for (const [name, s] of conditions.slice(0, 4)) {
      const last = route(s, '01614960000').at(-1);
      assert.equal(last?.kind, 'hangup', name);
    }
  });

  void test('a suspended tenant still refuses everything else', () => {
    const s = snapshot({ status: 'SUSPENDED' });
    assert.deepEqual(route(s, '1001').at(-1), {
      kind: 'hangup',
      cause: 'CALL_REJECTED',
      reason: 'TENANT_SUSPENDED',
    });
  });
});

void describe('trunk, caller ID and location of an emergency call', () => {
  void test("the tenant's trunk; else the platform's emergency trunk; else an audible failure, still flagged", () => {
    const platform = trunk({ fsName: 'platform-911', numberFormat: 'NATIONAL' });
    const viaPlatform = outbound(
      route(snapshot({}, { gateway: trunk({ enabled: false }), emergencyGateway: platform }), '999'),
    );
    assert.equal(viaPlatform?.gateway, 'platform-911');
    const none = route(snapshot({}, { gateway: null, emergencyGateway: null }), '999');
    assert.equal(outbound(none), undefined);
    assert.ok(emergencyFlag(none), 'the failed call is still an emergency call (alert, CDR)');
    assert.deepEqual(none.at(-1), { kind: 'hangup', cause: 'NETWORK_OUT_OF_ORDER', reason: 'NO_GATEWAY' });
  });

  void test("extension's emergency callback number, else the tenant's, else its normal caller ID", () => {
    const cid = (s: TenantSnapshot) => outbound(route(s, '999'))?.callerIdNumber;
    const withExt = snapshot(
      { emergencyCallerIdNumber: '+442071838750' },
      { extensions: [ext('1001', { emergencyCallerIdNumber: '+442071838751' })] },
    );
    assert.equal(cid(withExt), '+442071838751');
    assert.equal(cid(snapshot({ emergencyCallerIdNumber: '+442071838751' })), '+442071838751');
    assert.equal(cid(snapshot()), '+442071838750');
    // A callback number that is no longer the tenant's (released) is not presented.
    const released = snapshot(
      {},
      { extensions: [ext('1001', { emergencyCallerIdNumber: '+442079999999' })] },
    );
    assert.equal(cid(released), '+442071838750');
    // Without any number of its own the extension number goes, rather than no call.
    assert.equal(cid(snapshot({ defaultCallerIdNumber: null }, { inboundNumbers: [] })), '1001');
    // In the trunk's caller-ID format.
    assert.equal(cid(snapshot({}, { gateway: trunk({ callerIdFormat: 'NATIONAL' }) })), '02071838750');
  });

  void test('the location identifier: extension, else tenant; in the trunk header when it takes one', () => {
    const s = snapshot(
      { emergencyLocation: 'SITE-HQ' },
      {
        gateway: trunk({ locationHeader: 'X-Emergency-Location' }),
        extensions: [ext('1001', { emergencyLocation: 'SITE-HQ-FLOOR-3' }), ext('1002')],
      },
    );
    const one = route(s, '112', '1001');
    assert.deepEqual(outbound(one)?.emergency, {
      location: 'SITE-HQ-FLOOR-3',
      locationHeader: 'X-Emergency-Location',
    });
    assert.ok(one.some((x) => x.kind === 'set' && x.name === 'pbx_emergency_location'));
    assert.equal(outbound(route(s, '112', '1002'))?.emergency?.location, 'SITE-HQ');
    assert.equal(outbound(route(snapshot(), '112'))?.emergency?.location, null);
  });
});

void describe('outbound caller ID of ordinary calls', () => {
  void test("the extension's own caller ID, else its DID, else the tenant's main number", () => {
    const withDid = snapshot(
      { allowInternational: true },
      {
        extensions: [
          ext('1001', { outboundPolicy: 'NATIONAL' }),
          ext('1002', { outboundPolicy: 'NATIONAL' }),
        ],
        inboundNumbers: [
          { e164: '+442071838750', enabled: true, destination: { type: 'HANGUP', value: null } },
          { e164: '+442071838752', enabled: true, destination: { type: 'EXTENSION', value: 'ext-1001' } },
        ],
      },
    );
    assert.equal(outbound(route(withDid, '01614960000', '1001'))?.callerIdNumber, '+442071838752');
    assert.equal(outbound(route(withDid, '01614960000', '1002'))?.callerIdNumber, '+442071838750');
    // A disabled DID is not presented.
    const disabled = snapshot(
      {},
      {
        extensions: [ext('1001', { outboundPolicy: 'NATIONAL' })],
        inboundNumbers: [
          { e164: '+442071838750', enabled: true, destination: { type: 'HANGUP', value: null } },
          { e164: '+442071838752', enabled: false, destination: { type: 'EXTENSION', value: 'ext-1001' } },
        ],
      },
    );
    assert.equal(outbound(route(disabled, '01614960000'))?.callerIdNumber, '+442071838750');
    // Its own (the tenant's) caller ID wins over the DID.
    const own = snapshot(
      {},
      {
        extensions: [ext('1001', { outboundPolicy: 'NATIONAL', callerIdNumber: '+442071838750' })],
        inboundNumbers: [
          { e164: '+442071838750', enabled: true, destination: { type: 'HANGUP', value: null } },
          { e164: '+442071838752', enabled: true, destination: { type: 'EXTENSION', value: 'ext-1001' } },
        ],
      },
    );
    assert.equal(outbound(route(own, '01614960000'))?.callerIdNumber, '+442071838750');
  });
});

void describe('the explainer', () => {
  void test('shows the number format, the caller ID and that a number is an emergency number', () => {
    const s = snapshot(
      { emergencyLocation: 'SITE-HQ' },
      {
        gateway: trunk({ numberFormat: 'NATIONAL', locationHeader: 'X-Emergency-Location' }),
        extensions: [ext('1001', { outboundPolicy: 'NATIONAL' })],
      },
    );
    const text = (to: string) =>
      explainRoute(s, { domain: 'acme.test', from: '1001', to, context: 'tenant' }).text;
    const normal = text('+441614960000');
    assert.ok(
      normal.includes(
        'dial +441614960000 via gateway trunk-a: sent as 01614960000 (NATIONAL), caller ID +442071838750',
      ),
      normal.join('\n'),
    );
    const emergency = text('999');
    assert.ok(
      emergency.some((l) => l.startsWith('emergency number 999 in GB')),
      emergency.join('\n'),
    );
    assert.ok(
      emergency.includes(
        'EMERGENCY call 999 via gateway trunk-a: sent as 999, caller ID +442071838750, location SITE-HQ in X-Emergency-Location',
      ),
      emergency.join('\n'),
    );
  });
});
