// The outbound fraud policy's snapshot part (packages/domain/src/routing/fraud-policy.ts): destination classes,
// the per-country allow-list, and the maximum call length and fraud data on every external call.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  countryOf,
  DEFAULT_FRAUD_SETTINGS,
  refuseOutbound,
  routeCall,
  type ExtensionSnapshot,
  type RouteStep,
  type TenantSnapshot,
} from '../src/routing/index.js';

const T = '11111111-1111-4111-8111-111111111111';
const ext = (number: string, over: Partial<ExtensionSnapshot> = {}): ExtensionSnapshot => ({
  id: `00000000-0000-4000-8000-00000000${number}`,
  number,
  displayName: number,
  callerIdName: null,
  callerIdNumber: null,
  sipA1Hash: '0'.repeat(32),
  enabled: true,
  voicemailEnabled: false,
  voicemailBoxId: null,
  recordingPolicy: 'INHERIT',
  outboundPolicy: 'INTERNATIONAL',
  ringTimeoutSec: 20,
  dnd: false,
  forwardAlways: null,
  forwardBusy: null,
  forwardNoAnswer: null,
  ...over,
});

const snapshot = (
  tenant: Partial<TenantSnapshot['tenant']> = {},
  fraud?: TenantSnapshot['fraud'],
): TenantSnapshot => ({
  tenant: {
    id: T,
    name: 'Acme',
    domain: 'acme.test',
    timeZone: 'Europe/Berlin',
    country: 'DE',
    status: 'ACTIVE',
    maxConcurrentOutbound: 5,
    allowInternational: false,
    allowPremium: false,
    recordingPolicy: 'NEVER',
    defaultCallerIdNumber: '+493012345678',
    ...tenant,
  },
  gateway: { fsName: 'trunk', prefix: '', enabled: true, numberFormat: 'E164', callerIdFormat: 'E164' },
  extensions: [ext('1001'), ext('1002', { outboundPolicy: 'NATIONAL' })],
  voicemailBoxes: [],
  ivrMenus: [],
  ringGroups: [],
  inboundNumbers: [],
  timeConditions: [],
  ...(fraud !== undefined ? { fraud } : {}),
});

const steps = (s: TenantSnapshot, to: string, from = '1001'): RouteStep[] =>
  routeCall({
    snapshot: s,
    context: 'tenant',
    caller: { kind: 'extension', number: from },
    destination: to,
    now: new Date('2026-12-04T12:00:00Z'),
  }).steps;
const reason = (list: RouteStep[]) =>
  list.find((x): x is Extract<RouteStep, { kind: 'hangup' }> => x.kind === 'hangup')?.reason ?? null;
const outbound = (list: RouteStep[]) =>
  list.find((x): x is Extract<RouteStep, { kind: 'outbound' }> => x.kind === 'outbound');

void describe('outbound fraud policy in routing', () => {
  void test('every destination class: local and national go, international and premium are off by default', () => {
    const s = snapshot();
    assert.equal(reason(steps(s, '03098765432')), null); // local (same area)
    assert.equal(reason(steps(s, '08912345678')), null); // national
    assert.equal(reason(steps(s, '00442079460000')), 'INTERNATIONAL_BLOCKED');
    assert.equal(reason(steps(s, '09001234567')), 'PREMIUM_BLOCKED'); // German 0900: premium at home too
    assert.equal(reason(steps(s, '+43900123456')), 'INTERNATIONAL_BLOCKED');
    assert.equal(reason(steps(snapshot({ allowInternational: true }), '+43900123456')), 'PREMIUM_BLOCKED');
    assert.equal(reason(steps(s, '00442079460000', '1002')), 'INTERNATIONAL_BLOCKED');
    assert.equal(
      reason(steps(snapshot({ allowInternational: true }), '00442079460000', '1002')),
      'POLICY_BLOCKED',
    );
    // Emergency calls go out whatever the policy, with no fraud part the controller could refuse.
    const emergency = outbound(
      steps(snapshot({}, { ...DEFAULT_FRAUD_SETTINGS, allowedCountries: ['FR'] }), '112'),
    );
    assert.equal(emergency?.fraud, null);
  });

  void test('an extension override lets that extension (only) call a country the tenant list leaves out', () => {
    const s = {
      ...snapshot({ allowInternational: true }, { ...DEFAULT_FRAUD_SETTINGS, allowedCountries: ['GB'] }),
      extensions: [ext('1001', { extraCountries: ['FR'] }), ext('1003')],
    };
    assert.equal(reason(steps(s, '+33142685300', '1001')), null);
    assert.equal(outbound(steps(s, '+33142685300', '1001'))?.kind, 'outbound');
    assert.equal(reason(steps(s, '+33142685300', '1003')), 'COUNTRY_BLOCKED');
    // The override adds to the list, never past it: Jamaica stays refused for 1001 too.
    assert.equal(reason(steps(s, '+18765550142', '1001')), 'COUNTRY_BLOCKED');
    assert.equal(reason(steps(s, '00442079460000', '1003')), null);
    // It does not lift the tenant's class switch: with international off, 1001 cannot call France either.
    const closed = { ...s, tenant: { ...s.tenant, allowInternational: false } };
    assert.notEqual(reason(steps(closed, '+33142685300', '1001')), null);
  });

  void test('the country allow-list limits international calls to the countries listed', () => {
    const s = snapshot(
      { allowInternational: true },
      { ...DEFAULT_FRAUD_SETTINGS, allowedCountries: ['GB', 'US'] },
    );
    assert.equal(reason(steps(s, '00442079460000')), null);
    assert.equal(reason(steps(s, '+12125550142')), null);
    // +1 876 is Jamaica, not the US: the classic toll-fraud destination inside zone 1.
    assert.equal(countryOf('+18765550142'), 'JM');
    assert.equal(reason(steps(s, '+18765550142')), 'COUNTRY_BLOCKED');
    assert.equal(reason(steps(s, '+33142685300')), 'COUNTRY_BLOCKED');
    // Numbers of no country (satellite) are refused once a list is set.
    assert.equal(
      reason(steps(snapshot({ allowInternational: true, allowPremium: true }, s.fraud), '+881612345678')),
      'COUNTRY_BLOCKED',
    );
    // The home country is not international: the list does not apply to it.
    assert.equal(reason(steps(s, '08912345678')), null);
    // An empty list (the default) lets every country through once international calls are allowed.
    assert.equal(reason(steps(snapshot({ allowInternational: true }), '+33142685300')), null);
    const blocked = steps(s, '+33142685300');
    assert.ok(
      blocked.some(
        (x) => x.kind === 'set' && x.name === 'pbx_blocked_reason' && x.value === 'COUNTRY_BLOCKED',
      ),
    );
  });

  void test('an external call carries its extension and maximum length for the controller', () => {
    const s = snapshot({}, { ...DEFAULT_FRAUD_SETTINGS, maxCallDurationSec: 900 });
    assert.deepEqual(outbound(steps(s, '08912345678'))?.fraud, { extension: '1001', maxDurationSec: 900 });
    assert.deepEqual(outbound(steps(snapshot(), '08912345678'))?.fraud, {
      extension: '1001',
      maxDurationSec: DEFAULT_FRAUD_SETTINGS.maxCallDurationSec,
    });
  });

  void test('refuseOutbound keeps what came before the external call and ends in the refusal', () => {
    const list = steps(snapshot(), '08912345678');
    const refused = refuseOutbound(list, 'VELOCITY_BLOCKED', 'too many');
    assert.equal(outbound(refused), undefined);
    assert.deepEqual(refused.slice(-2), [
      { kind: 'set', name: 'pbx_blocked_reason', value: 'VELOCITY_BLOCKED' },
      { kind: 'hangup', cause: 'OUTGOING_CALL_BARRED', reason: 'VELOCITY_BLOCKED' },
    ]);
    assert.ok(refused.some((x) => x.kind === 'set' && x.name === 'pbx_direction' && x.value === 'outbound'));
    assert.equal(
      reason(refuseOutbound(list, 'EXTENSION_CONCURRENT_LIMIT', 'busy')),
      'EXTENSION_CONCURRENT_LIMIT',
    );
  });
});
