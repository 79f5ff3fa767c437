import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testRedisPrefix } from '@pbx/testing';
import { LiveCallStore, type LiveCallChange } from '../src/index.js';
import { capturedApiResponses, capturedPlainEvents, acmeWorld } from './support.js';

const A_LEG = 'd58f6fa4-d4f6-4d30-ab94-4a78be9cac38';
const B_LEG = 'dc6502b2-1552-473e-a015-b0812cd227f6';

const { redis, tenantId, tenants } = await acmeWorld();

async function collect(
  feed: AsyncIterator<LiveCallChange>,
  until: (seen: LiveCallChange[]) => boolean,
): Promise<LiveCallChange[]> {
  const seen: LiveCallChange[] = [];
  // No deadline of its own: the test runner's timeout bounds a stalled feed.
  while (!until(seen)) {
    const next = await feed.next();
    if (next.done) break;
    seen.push(next.value);
  }
  return seen;
}

describe('live calls', () => {
  test('the captured channel events drive the view, and the change feed streams every step', async () => {
    const store = new LiveCallStore({ redis, prefix: testRedisPrefix(), tenants });
    const feed = await store.changes(tenantId);
    const events = capturedPlainEvents();
    const bridgeAt = events.findIndex((e) => e['Event-Name'] === 'CHANNEL_BRIDGE');
    const createAt = events.findIndex((e) => e['Event-Name'] === 'CHANNEL_CREATE');

    for (const event of events.slice(0, createAt + 1)) await store.applyChannelEvent(event);
    const ringing = await store.list(tenantId);
    assert.equal(ringing.length, 1);
    assert.deepEqual(
      { ...ringing[0], createdAt: undefined, since: undefined },
      {
        uuid: A_LEG,
        nodeId: 'vm',
        tenantId,
        direction: 'INTERNAL',
        callerNumber: '1001',
        callerName: 'Ext 1001',
        callee: '1002',
        state: 'ringing',
        otherUuid: null,
        createdAt: undefined,
        since: undefined,
      },
    );
    assert.equal(ringing[0]?.createdAt, new Date(1795387793356).toISOString());

    for (const event of events.slice(createAt + 1, bridgeAt + 1)) await store.applyChannelEvent(event);
    const bridged = await store.list(tenantId);
    assert.deepEqual(bridged.map((c) => [c.uuid, c.state, c.otherUuid]).sort(), [
      [A_LEG, 'bridged', B_LEG],
      [B_LEG, 'bridged', A_LEG],
    ]);

    for (const event of events.slice(bridgeAt + 1)) await store.applyChannelEvent(event);
    assert.deepEqual(await store.list(tenantId), [], 'every captured call has ended');

    const legs = new Set(
      events.filter((e) => e['Event-Name'] === 'CHANNEL_CREATE').map((e) => e['Unique-ID']),
    );
    assert.equal(legs.size, 7);
    const changes = await collect(
      feed,
      (seen) => seen.filter((c) => c.type === 'remove').length >= legs.size,
    );
    feed.close();
    assert.deepEqual(
      new Set(changes.filter((c) => c.type === 'remove').map((c) => (c.type === 'remove' ? c.uuid : ''))),
      legs,
    );
    const aStates = changes.flatMap((c) =>
      c.type === 'upsert' && c.call.uuid === A_LEG ? [c.call.state] : [],
    );
    assert.deepEqual(aStates, ['ringing', 'answered', 'bridged']);
    assert.ok(changes.every((c) => c.tenantId === tenantId));
  });

  test('late events of a hung-up leg do not bring it back', async () => {
    const store = new LiveCallStore({ redis, prefix: testRedisPrefix(), tenants });
    const events = capturedPlainEvents().filter((e) => e['Unique-ID'] === A_LEG);
    const create = events.find((e) => e['Event-Name'] === 'CHANNEL_CREATE');
    const answer = events.find((e) => e['Event-Name'] === 'CHANNEL_ANSWER');
    const hangup = events.find((e) => e['Event-Name'] === 'CHANNEL_HANGUP');
    assert.ok(create && answer && hangup);
    await store.applyChannelEvent(create);
    await store.applyChannelEvent(hangup);
    assert.equal((await store.applyChannelEvent(answer)).action, 'ignored');
    assert.deepEqual(await store.list(tenantId), []);
  });

  test('rebuildFromShowChannels makes one node true again after a restart, leaving other nodes alone', async () => {
    const prefix = testRedisPrefix();
    const store = new LiveCallStore({ redis, prefix, tenants });
    const events = capturedPlainEvents();
    // A leg whose hang-up we "missed" on vm, and a live leg on another node.
    const create5000 = events.find(
      (e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Caller-Destination-Number'] === '5000',
    );
    const create9999 = events.find(
      (e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Caller-Destination-Number'] === '9999',
    );
    assert.ok(create5000 && create9999);
    await store.applyChannelEvent(create5000);
    await store.applyChannelEvent(create9999, 'fs2');

    const feed = await store.changes(tenantId);
    const [showChannels] = capturedApiResponses('esl-inbound-during-bridged-call.rx.raw');
    assert.ok(showChannels);
    assert.deepEqual(await store.rebuildFromShowChannels('vm', showChannels), { upserted: 2, removed: 1 });
    const vm = await store.listByNode('vm');
    assert.deepEqual(
      vm.map((c) => [c.uuid, c.tenantId, c.direction, c.callerNumber, c.callee, c.state, c.otherUuid]).sort(),
      [
        [A_LEG, tenantId, 'INTERNAL', '1001', '1002', 'bridged', B_LEG],
        [B_LEG, tenantId, 'INTERNAL', '1001', '1002', 'bridged', A_LEG],
      ],
    );
    assert.equal(vm[0]?.createdAt, new Date(1795387793000).toISOString());
    assert.equal((await store.list(tenantId)).length, 3, 'the fs2 leg is untouched');
    const changes = await collect(feed, (seen) => seen.length >= 3);
    feed.close();
    assert.deepEqual(changes.map((c) => c.type).sort(), ['remove', 'upsert', 'upsert']);

    // Same answer again: nothing changes. An empty node: its legs go.
    assert.deepEqual(await store.rebuildFromShowChannels('vm', showChannels), { upserted: 0, removed: 0 });
    assert.deepEqual(await store.rebuildFromShowChannels('vm', '{"row_count": 0}\n'), {
      upserted: 0,
      removed: 2,
    });
    assert.deepEqual(
      (await store.list(tenantId)).map((c) => c.nodeId),
      ['fs2'],
    );
  });
});
