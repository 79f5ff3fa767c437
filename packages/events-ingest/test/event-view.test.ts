// channelVariables() over the adapter's header block is a lazy view: it must read, test and enumerate
// exactly like the decoded map, and refuse writes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventHeaders } from '@pbx/esl';
import { channelVariable, channelVariables, header } from '../src/index.js';

const block = [
  'Event-Name: CHANNEL_HANGUP_COMPLETE',
  'Unique-ID: 0f0e',
  'variable_pbx_tenant_id: 7c1a',
  'variable_caller_id_name: Tom%20%26%20%22Jerry%22',
  'variable_user_name: ',
  'variable_bad: Jos%E9',
  'Hangup-Cause: NORMAL_CLEARING',
].join('\n');

void test('the variables view reads, tests and enumerates like the decoded map', () => {
  const event = EventHeaders.parse(block);
  const view = channelVariables(event);
  const full = { pbx_tenant_id: '7c1a', caller_id_name: 'Tom & "Jerry"', user_name: '', bad: 'Jos\uFFFD' };
  assert.equal(view.pbx_tenant_id, '7c1a');
  assert.equal(view.caller_id_name, 'Tom & "Jerry"');
  assert.equal(view.user_name, ''); // empty is kept (header() treats it as missing)
  assert.equal(view.nope, undefined);
  assert.equal('user_name' in view, true);
  assert.equal('nope' in view, false);
  assert.deepEqual({ ...view }, full);
  assert.deepEqual(Object.keys(view).sort(), Object.keys(full).sort());
  assert.throws(() => {
    (view as Record<string, string>).pbx_tenant_id = 'other';
  }, TypeError);
  assert.equal(view.pbx_tenant_id, '7c1a');
  assert.equal(channelVariable(event, 'user_name'), '');
  assert.equal(header(event, 'variable_user_name'), undefined);
  assert.equal(header(event, 'Hangup-Cause'), 'NORMAL_CLEARING');
  // A plain record gives the same answers.
  const record = Object.fromEntries(
    block.split('\n').map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
  );
  assert.equal(channelVariables(record).pbx_tenant_id, '7c1a');
});

void test('the live view classifies a leg from the same variables as the CDR path (an empty one counts)', async () => {
  const { legTenantQuery } = await import('../src/live-calls/leg.js');
  const { classifyDirection } = await import('../src/index.js');
  // Long caller and callee numbers: only the (empty) user_name says the leg came from a phone.
  const event = EventHeaders.parse(
    [
      'Event-Name: CHANNEL_CREATE',
      'Unique-ID: 1',
      'Caller-Caller-ID-Number: 442071838750',
      'Caller-Destination-Number: 4930123456',
      'variable_user_name: ',
    ].join('\n'),
  );
  const query = legTenantQuery(event);
  assert.equal(query.direction, 'OUTBOUND');
  assert.equal(query.direction, classifyDirection(event.variables(), '442071838750', '4930123456'));
});
