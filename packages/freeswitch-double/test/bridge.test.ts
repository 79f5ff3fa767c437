// `bridge` with a dial string (applications/bridge.ts): failover groups in order, the first leg that can connect
// answers with the leg's variables on the B leg, and a bridge whose legs all fail reports the cause
// switch_ivr_originate.c would (the first leg that had a channel, else the last leg's).
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { DoubleCall, FreeswitchDouble } from '@pbx/freeswitch-double';
import { double, exec, parkedCall } from './helpers.js';

const D = 'acme.test';

/** Resolves with the B leg's uuid at the call's CHANNEL_BRIDGE; rejects if the bridge application completes first. */
function bridged(fs: FreeswitchDouble, call: DoubleCall): Promise<string> {
  const rt = fs.runtime(call.uuid);
  return new Promise((resolve, reject) => {
    rt?.taps.add((ev) => {
      if (ev.name === 'CHANNEL_BRIDGE') resolve(ev.get('Bridge-B-Unique-ID') ?? '');
      if (ev.name === 'CHANNEL_EXECUTE_COMPLETE' && ev.get('Application') === 'bridge')
        reject(new Error(`bridge failed: ${call.channel.vars.get('originate_disposition')}`));
    });
  });
}

/** Bridges `dial` on a parked call; resolves with the B leg's variables once it answered. */
async function connects(t: TestContext, fs: FreeswitchDouble, dial: string) {
  const { call } = parkedCall(fs);
  const b = bridged(fs, call);
  void exec(fs, call, 'bridge', dial);
  const bUuid = await b;
  t.after(() => call.hangup());
  assert.equal(call.channel.vars.get('originate_disposition'), 'call accepted');
  assert.equal(call.channel.vars.get('bridge_uuid'), bUuid);
  const vars = fs.runtime(bUuid)?.ch.vars;
  return (name: string) => vars?.get(name);
}

/** Bridges `dial` with continue_on_fail; resolves with the originate_disposition it left. */
async function fails(fs: FreeswitchDouble, dial: string): Promise<string | undefined> {
  const { call } = parkedCall(fs);
  await exec(fs, call, 'set', 'continue_on_fail=true');
  await exec(fs, call, 'bridge', dial);
  assert.equal(call.channel.vars.get('bridge_uuid'), undefined);
  const cause = call.channel.vars.get('originate_disposition');
  call.hangup();
  await call.ended;
  return cause;
}

void test('sequential groups: an unregistered first member fails over to the registered second', async (t) => {
  const fs = await double(t);
  fs.registerPhone({ user: '1001', domain: D });
  const b = await connects(
    t,
    fs,
    `[leg_timeout=10,pbx_extension=1002]user/1002@${D}|[leg_timeout=20,pbx_extension=1001]user/1001@${D}`,
  );
  assert.equal(b('dialed_user'), '1001');
  assert.equal(b('pbx_extension'), '1001');
  assert.equal(b('leg_timeout'), '20');
});

void test('simultaneous legs: the registered one answers, with the {} and its own [] variables', async (t) => {
  const fs = await double(t);
  fs.registerPhone({ user: '1003', domain: D });
  const b = await connects(
    t,
    fs,
    `{leg_timeout=20}[pbx_extension=1002]user/1002@${D},[pbx_extension=1003]user/1003@${D}`,
  );
  assert.equal(b('dialed_user'), '1003');
  assert.equal(b('pbx_extension'), '1003');
  assert.equal(b('leg_timeout'), '20');
});

void test('error/<CAUSE> fails with that cause; a name FreeSWITCH does not know is DESTINATION_OUT_OF_ORDER', async (t) => {
  const fs = await double(t);
  assert.equal(await fails(fs, 'error/user_busy'), 'USER_BUSY');
  assert.equal(await fails(fs, 'error/NOT_A_CAUSE'), 'DESTINATION_OUT_OF_ORDER');
});

void test('no leg got a channel: the last leg’s cause; of several groups, the last group’s', async (t) => {
  const fs = await double(t);
  assert.equal(await fails(fs, `user/1002@${D},error/USER_BUSY`), 'USER_BUSY');
  assert.equal(await fails(fs, `error/USER_BUSY,user/1002@${D}`), 'USER_NOT_REGISTERED');
  assert.equal(await fails(fs, 'error/USER_BUSY|error/CALL_REJECTED'), 'CALL_REJECTED');
});

void test('a leg that had a channel (the carrier answered with a cause) gives the cause wherever it stands', async (t) => {
  const fs = await double(t);
  fs.trunks.gateways.set('gw', {
    profile: 'external',
    name: 'gw',
    state: 'NOREG',
    status: 'UP',
    params: {},
    variables: {},
  });
  fs.trunks.failCalls('gw', 'NORMAL_TEMPORARY_FAILURE', 2);
  assert.equal(await fails(fs, `sofia/gateway/gw/123,user/1002@${D}`), 'NORMAL_TEMPORARY_FAILURE');
  assert.equal(await fails(fs, `user/1002@${D},sofia/gateway/gw/123`), 'NORMAL_TEMPORARY_FAILURE');
});
