// Issue #14 item 6: internal destinations (continuations after a failed bridge, the concurrent-limit refusal) are
// reached only through the transfer the platform rendered; a phone dialing one gets nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase } from '@pbx/testing';
import {
  actionsOf,
  app,
  createExtension,
  createGateway,
  createTenant,
  phoneCall,
  setVars,
  startController,
  type Running,
} from './helpers.js';

const db = await createTestDatabase();

void describe('internal destinations', () => {
  let c: Running;

  before(async () => {
    c = await startController(db.url);
    const p = c.prisma;
    const acme = await createTenant(p, 'acme.test', { maxConcurrentOutbound: 3 });
    const other = await createTenant(p, 'b.example', { maxConcurrentOutbound: 3 });
    await createGateway(p, acme.id, 'trunk-acme');
    await createGateway(p, other.id, 'trunk-b');
    await createExtension(p, acme, '1001', { recordingPolicy: 'ALWAYS' });
    const e1002 = await createExtension(p, acme, '1002');
    await createExtension(p, acme, '1003');
    await createExtension(p, other, '1002');
    await p.extension.update({
      where: { id: e1002.id },
      data: { forwardBusyType: 'EXTERNAL', forwardBusyValue: '+12125550142' },
    });
  });
  after(async () => {
    await c.close();
    await db.drop();
  });

  type Call = ReturnType<typeof phoneCall>;
  const lookup = async (call: Call, vars: Array<readonly [string, string]> = []) =>
    actionsOf(await c.client.dialplan({ ...call, channelVariables: vars }), call.domain);
  /** What FreeSWITCH asks after the transfer of `before`: the same channel with the variables it set. */
  const continued = (call: Call, before: Awaited<ReturnType<typeof lookup>>, to: string) =>
    lookup({ ...call, destination: to }, [
      ['pbx_transfer_token', setVars(before).get('pbx_transfer_token') ?? ''],
    ]);
  const refused = (a: Awaited<ReturnType<typeof lookup>>) => {
    assert.deepEqual(app(a, 'hangup'), ['UNALLOCATED_NUMBER']);
    assert.deepEqual([...app(a, 'bridge'), ...app(a, 'transfer')], []);
  };

  void test('the continuation rendered for a ring works from that transfer', async () => {
    const call = phoneCall('acme.test', '1001', '1002');
    const ring = await lookup(call);
    assert.ok(setVars(ring).get('pbx_transfer_token')?.startsWith('pbx-after-ext-1002-.'));
    const busy = await continued(call, ring, 'pbx-after-ext-1002-USER_BUSY');
    assert.deepEqual(app(busy, 'bridge'), ['sofia/gateway/trunk-acme/+12125550142']);
  });

  void test('dialed by a phone, with no token, a continuation is unallocated', async () => {
    refused(await lookup(phoneCall('acme.test', '1003', 'pbx-after-ext-1002-USER_BUSY')));
    refused(await lookup(phoneCall('acme.test', '1003', 'pbx-blocked-CONCURRENT_LIMIT')));
  });

  void test('a token in a SIP header (sofia files it under sip_h_) opens nothing', async () => {
    const call = phoneCall('acme.test', '1001', '1002');
    const token = setVars(await lookup(call)).get('pbx_transfer_token') ?? '';
    // Even on the very channel the token was made for: only the variable the dialplan set counts.
    refused(
      await lookup({ ...call, destination: 'pbx-after-ext-1002-USER_BUSY' }, [
        ['sip_h_X-Pbx-Transfer-Token', token],
      ]),
    );
  });

  void test('a token is bound to its channel, its continuation and its tenant', async () => {
    const call = phoneCall('acme.test', '1001', '1002');
    const ring = await lookup(call);
    const token = setVars(ring).get('pbx_transfer_token') ?? '';
    // Another channel (a phone replaying a token it learnt).
    const replay = phoneCall('acme.test', '1003', 'pbx-after-ext-1002-USER_BUSY');
    refused(await lookup(replay, [['pbx_transfer_token', token]]));
    // Another continuation on the same channel (a REFER of the peer elsewhere).
    refused(await continued(call, ring, 'pbx-after-ext-1003-USER_BUSY'));
    // Anything appended beyond a disposition.
    refused(await continued(call, ring, 'pbx-after-ext-1002-USER_BUSY1'));
    // Tenant B's context with tenant A's token, same uuid and continuation.
    const inB = { ...phoneCall('b.example', '1002', 'pbx-after-ext-1002-USER_BUSY'), uuid: call.uuid };
    refused(await lookup(inB, [['pbx_transfer_token', token]]));
    // A forged signature.
    refused(
      await lookup({ ...call, destination: 'pbx-after-ext-1002-USER_BUSY' }, [
        ['pbx_transfer_token', `pbx-after-ext-1002-.${'A'.repeat(43)}`],
      ]),
    );
  });

  void test('the concurrent-limit refusal is reachable from the limit it was rendered with', async () => {
    const call = phoneCall('acme.test', '1001', '2125550142');
    const out = await lookup(call);
    const over = await continued(call, out, 'pbx-blocked-CONCURRENT_LIMIT');
    assert.equal(setVars(over).get('pbx_blocked_reason'), 'CONCURRENT_LIMIT');
  });
});
