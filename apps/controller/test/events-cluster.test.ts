import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDb } from '@pbx/db';
import { startFreeswitchDouble, type FreeswitchDouble } from '@pbx/freeswitch-double';
import { createTestDatabase, testRedisPrefix } from '@pbx/testing';
import {
  jsonCdrOf,
  plannedCall,
  postCdrWithRetry,
  seedTenant,
  startEventController,
  until,
  type EventController,
} from './events-harness.js';

const N = 200;
const dbReady = createTestDatabase();
let fs: FreeswitchDouble;
let a: EventController;
let b: EventController;
let tenantId: string;

before(async () => {
  const { url } = await dbReady;
  fs = await startFreeswitchDouble({ hostname: 'fs-shared', timing: { recordMs: 10 } });
  const seed = createDb({ databaseUrl: url, poolSize: 1 });
  ({ tenantId } = await seedTenant(seed.prisma, 'acme.test'));
  await seed.close();
  // Two controller processes of one deployment: same database, same Redis prefix, both on every node.
  const prefix = testRedisPrefix();
  a = await startEventController({
    databaseUrl: url,
    prefix,
    doubles: [{ name: 'fs-shared', port: fs.port }],
  });
  b = await startEventController({ databaseUrl: url, prefix, doubles: [{ name: 'node-1', port: fs.port }] });
  await a.esl?.node('fs-shared').waitReady();
  await b.esl?.node('node-1').waitReady();
});
after(async () => {
  await a.close();
  await b.close();
  await fs.close();
});

void test(`two controllers on one node: ${N} calls give ${N} CDRs, one recording row and one job per recording`, async () => {
  const uuids: string[] = [];
  let recorded = 0;
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const i = next++;
      const p = plannedCall(i);
      const record = i % 4 === 0 && p.answered;
      if (record) recorded++;
      const call = fs.placeCall({
        from: p.from,
        to: p.to,
        domain: 'acme.test',
        context: 'acme.test',
        apps: [
          ['set', `pbx_tenant_id=${tenantId}`],
          ['set', `pbx_direction=${p.to.startsWith('+') ? 'outbound' : 'internal'}`],
          ['set', `pbx_extension=${p.from}`],
          ...(p.answered ? ([['answer', '']] as const) : []),
          ...(record
            ? ([['record_session', `/var/lib/pbx/recordings/${tenantId}/call-${i}.wav`]] as const)
            : []),
          ['hangup', p.cause],
        ],
      });
      await call.ended;
      uuids.push(call.uuid);
      // mod_json_cdr posts to one controller (here alternately), and the events reach both.
      await postCdrWithRetry(() => (i % 2 ? a.port : b.port), call.uuid, jsonCdrOf(fs, call.channel));
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  assert.ok(recorded > 10);
  await until('every event handled by both', () => {
    const handled = (c: EventController) =>
      c.esl?.stats()[c === a ? 'fs-shared' : 'node-1']?.eventsReceived['CHANNEL_HANGUP_COMPLETE'] ?? 0;
    return handled(a) === N && handled(b) === N;
  });
  await a.events?.idle();
  await b.events?.idle();
  assert.equal(await a.prisma.cdr.count(), N);
  assert.equal(
    new Set((await a.prisma.cdr.findMany({ select: { callUuid: true } })).map((r) => r.callUuid)).size,
    N,
  );
  assert.equal(await a.prisma.callRecording.count(), recorded);
  assert.equal(await a.prisma.callRecording.count({ where: { state: 'PROCESSING' } }), recorded);
  // Every recording is linked from its call's CDR, whichever of the two arrived first.
  assert.equal(await a.prisma.cdr.count({ where: { recordingId: { not: null } } }), recorded);
  const counts = await a.queues
    .queue('recordingProcess')
    .getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  assert.equal(
    Object.values(counts).reduce((x, y) => x + y, 0),
    recorded,
  );
  const metrics = await a.metrics.registry.render();
  assert.match(metrics, new RegExp(`pbx_recordings_queue_depth\\{state="waiting"\\} ${recorded}\\b`));
  // Both controllers keep the same live-call view: nothing left once every call ended.
  assert.deepEqual(await a.events?.liveCalls.list(tenantId), []);
});
