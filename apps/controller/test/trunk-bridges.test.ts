// renderTrunkBridges on its own: each trunk's caller ID (its callerIdFormat) is set before its bridge only where it
// differs from the one in force; an unsafe value is refused through the dialplan's check.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTrunkBridges } from '../src/trunk-failover.js';

const render = (
  trunks: Array<{ gateway: string; dial: string; callerIdNumber: string }>,
  callerId: string,
) => {
  const out: string[] = [];
  renderTrunkBridges(
    { add: (application, data) => out.push(`${application} ${data}`) },
    trunks,
    (re, value, what) => {
      if (!re.test(value)) throw new Error(`unsafe ${what}`);
      return value;
    },
    callerId,
  );
  return out.filter((l) => l.startsWith('bridge ') || l.startsWith('set effective_caller_id_number='));
};

void test('a trunk with another caller-ID format gets its own caller ID before its bridge, and the next one back', () => {
  assert.deepEqual(
    render(
      [
        { gateway: 'a', dial: '+441614960000', callerIdNumber: '+442071838750' },
        { gateway: 'b', dial: '01614960000', callerIdNumber: '02071838750' },
        { gateway: 'c', dial: '+441614960000', callerIdNumber: '+442071838750' },
      ],
      '+442071838750',
    ),
    [
      'bridge sofia/gateway/a/+441614960000',
      'set effective_caller_id_number=02071838750',
      'bridge sofia/gateway/b/01614960000',
      'set effective_caller_id_number=+442071838750',
      'bridge sofia/gateway/c/+441614960000',
    ],
  );
});

void test('the same format everywhere: no extra set', () => {
  assert.deepEqual(
    render(
      [
        { gateway: 'a', dial: '+12125550142', callerIdNumber: '+12125550100' },
        { gateway: 'b', dial: '+12125550142', callerIdNumber: '+12125550100' },
      ],
      '+12125550100',
    ),
    ['bridge sofia/gateway/a/+12125550142', 'bridge sofia/gateway/b/+12125550142'],
  );
});

void test('a caller ID that could break the action is refused', () => {
  assert.throws(
    () => render([{ gateway: 'a', dial: '+12125550142', callerIdNumber: '1,x=y' }], '+12125550100'),
    /unsafe caller id/,
  );
});
