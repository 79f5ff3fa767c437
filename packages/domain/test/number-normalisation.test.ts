// Issue #16: numbers dialed by a tenant's phones are read with libphonenumber-js for the tenant's country, and sent
// to the trunk in the format it requires.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  classifyNumber,
  formatForTrunk,
  homeOf,
  routeCall,
  toE164,
  type NumberFormat,
  type RouteStep,
  type TenantSnapshot,
} from '../src/routing/index.js';

const home = (country: string | null, callerId: string | null = null) =>
  homeOf({ country, defaultCallerIdNumber: callerId });

void describe('national and international dialling per country', () => {
  void test('DE: 030 national, 00 and + international', () => {
    assert.equal(toE164('0301234567', 'DE'), '+49301234567');
    assert.equal(toE164('0049301234567', 'DE'), '+49301234567');
    assert.equal(toE164('+49301234567', 'DE'), '+49301234567');
    assert.equal(toE164('00442071838750', 'DE'), '+442071838750');
    // Without the trunk prefix a German number is not complete (no area code is assumed).
    assert.equal(toE164('1234567', 'DE'), null);
  });

  void test('GB: 020 national, 00 international', () => {
    assert.equal(toE164('02071838750', 'GB'), '+442071838750');
    assert.equal(toE164('00442071838750', 'GB'), '+442071838750');
    assert.equal(toE164('0049301234567', 'GB'), '+49301234567');
  });

  void test('US: 10 digits, 1 + 10 digits, 011 international', () => {
    assert.equal(toE164('2133734253', 'US'), '+12133734253');
    assert.equal(toE164('12133734253', 'US'), '+12133734253');
    assert.equal(toE164('011442071838750', 'US'), '+442071838750');
    assert.equal(toE164('0301234567', 'US'), null);
  });

  void test('AU: 02 national, 0011 international (00 too, as it is no national number there)', () => {
    assert.equal(toE164('0298765432', 'AU'), '+61298765432');
    assert.equal(toE164('0011442071838750', 'AU'), '+442071838750');
    assert.equal(toE164('00442071838750', 'AU'), '+442071838750');
  });

  void test('a tenant without a country dials from its main number’s country, else only + and 00', () => {
    assert.deepEqual(home(null, '+442071838750'), { country: 'GB', callerId: '+442071838750' });
    assert.equal(home('XX').country, null, 'an unsupported stored country is no country');
    assert.equal(toE164('02071838750', null), null);
    assert.equal(toE164('+442071838750', null), '+442071838750');
    assert.equal(toE164('00442071838750', null), '+442071838750');
  });

  void test('classes follow the tenant country: local, national, international, premium', () => {
    const gb = home('GB', '+442071838750');
    assert.equal(classifyNumber('02079460000', gb)?.class, 'LOCAL');
    assert.equal(classifyNumber('01614960000', gb)?.class, 'NATIONAL');
    assert.equal(classifyNumber('0049301234567', gb)?.class, 'INTERNATIONAL');
    assert.equal(classifyNumber('09098790000', gb)?.premium, true);
    const us = home('US', '+12133734253');
    // +1 876 is Jamaica: the same calling code, another country.
    assert.equal(classifyNumber('18769401234', us)?.class, 'INTERNATIONAL');
    assert.equal(classifyNumber('2133734000', us)?.class, 'LOCAL');
    assert.equal(classifyNumber('9005550142', us)?.premium, true);
  });
});

void describe("the trunk's required format", () => {
  const cases: [string, NumberFormat, string | null, string][] = [
    ['+49301234567', 'E164', 'DE', '+49301234567'],
    ['+49301234567', 'E164_NO_PLUS', 'DE', '49301234567'],
    ['+49301234567', 'NATIONAL', 'DE', '0301234567'],
    ['+442071838750', 'NATIONAL', 'GB', '02071838750'],
    ['+442071838750', 'NATIONAL', 'US', '011442071838750'],
    ['+442071838750', 'NATIONAL', 'AU', '0011442071838750'],
    ['+12133734253', 'NATIONAL', 'US', '2133734253'],
    ['+61298765432', 'NATIONAL', 'AU', '0298765432'],
    ['+61298765432', 'NATIONAL', null, '61298765432'],
    ['112', 'E164', 'DE', '112'],
  ];
  for (const [e164, format, country, want] of cases)
    void test(`${e164} as ${format} from ${country ?? 'no country'} is ${want}`, () => {
      assert.equal(formatForTrunk(e164, format, country), want);
    });

  void test('the engine sends the number and the caller ID in the trunk’s formats, after its prefix', () => {
    const snapshot: TenantSnapshot = {
      tenant: {
        id: 't',
        name: 'Acme',
        domain: 'acme.test',
        timeZone: 'Europe/London',
        country: 'GB',
        status: 'ACTIVE',
        maxConcurrentOutbound: 5,
        allowInternational: true,
        allowPremium: false,
        recordingPolicy: 'NEVER',
        defaultCallerIdNumber: '+442071838750',
      },
      gateway: {
        fsName: 'trunk',
        prefix: '9#',
        enabled: true,
        numberFormat: 'NATIONAL',
        callerIdFormat: 'E164_NO_PLUS',
      },
      extensions: [
        {
          id: 'e',
          number: '1001',
          displayName: 'Alice',
          callerIdName: null,
          callerIdNumber: null,
          sipA1Hash: 'x',
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
        },
      ],
      voicemailBoxes: [],
      ivrMenus: [],
      ringGroups: [],
      inboundNumbers: [],
      timeConditions: [],
    };
    const out = (to: string) =>
      routeCall({
        snapshot,
        context: 'tenant',
        caller: { kind: 'extension', number: '1001' },
        destination: to,
        now: new Date('2026-12-04T12:00:00Z'),
      }).steps.find((s): s is Extract<RouteStep, { kind: 'outbound' }> => s.kind === 'outbound');
    const national = out('01614960000');
    assert.equal(national?.dial, '9#01614960000');
    assert.equal(national?.e164, '+441614960000');
    assert.equal(national?.numberFormat, 'NATIONAL');
    assert.equal(national?.callerIdNumber, '442071838750');
    assert.equal(out('0049301234567')?.dial, '9#0049301234567');

    // Failover to a trunk with other formats: each trunk gets the number and the caller ID in its own.
    assert.ok(snapshot.gateway);
    snapshot.gateways = [
      snapshot.gateway,
      { fsName: 'backup', prefix: '', enabled: true, numberFormat: 'E164', callerIdFormat: 'NATIONAL' },
    ];
    assert.deepEqual(out('01614960000')?.trunks, [
      { gateway: 'trunk', dial: '9#01614960000', callerIdNumber: '442071838750' },
      { gateway: 'backup', dial: '+441614960000', callerIdNumber: '02071838750' },
    ]);
  });
});
