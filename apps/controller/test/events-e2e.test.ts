import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFreeswitchDouble, type FreeswitchDouble } from '@pbx/freeswitch-double';
import { createTestDatabase, testRedisPrefix } from '@pbx/testing';
import {
  jsonCdrOf,
  plannedCall,
  postCdrWithRetry,
  runCall,
  seedTenant,
  startEventController,
  until,
  type EventController,
} from './events-harness.js';
import { createDb } from '@pbx/db';

const N = 300;
const CONCURRENCY = 25;

/** Runs `count` planned calls (offset `from`) with bounded concurrency; `each` runs after a call ended. */
async function runCalls(
  fs: FreeswitchDouble,
  tenant: { domain: string; tenantId: string },
  from: number,
  count: number,
  each: (i: number, uuid: string, body: string) => Promise<void> = async () => {},
): Promise<string[]> {
  const uuids: string[] = new Array<string>(count);
  let next = from;
  const worker = async () => {
    while (next < from + count) {
      const i = next++;
      const call = await runCall(fs, tenant.domain, tenant.tenantId, plannedCall(i));
      uuids[i - from] = call.uuid;
      await each(i, call.uuid, jsonCdrOf(fs, call.channel));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return uuids;
}

void describe('call records end to end: double → controller (ESL and json_cdr over TCP) → PostgreSQL', () => {
  const dbReady = createTestDatabase();
  let url: string;
  let fs: FreeswitchDouble;
  let tenant: { domain: string; tenantId: string };
  const open: EventController[] = [];
  const start = async (prefix = testRedisPrefix()) => {
    const c = await startEventController({
      databaseUrl: url,
      prefix,
      doubles: [{ name: 'fs-a', port: fs.port }],
    });
    open.push(c);
    await c.esl?.node('fs-a').waitReady(10_000);
    return c;
  };

  before(async () => {
    url = (await dbReady).url;
    fs = await startFreeswitchDouble({ hostname: 'fs-a' });
    const seed = createDb({ databaseUrl: url, poolSize: 1 });
    tenant = { domain: 'acme.test', ...(await seedTenant(seed.prisma, 'acme.test')) };
    await seed.close();
  });
  after(async () => {
    for (const c of open) await c.close();
    await fs.close();
  });

  async function checkRows(c: EventController, uuids: readonly string[], offset: number): Promise<void> {
    const rows = await c.prisma.cdr.findMany({ where: { callUuid: { in: [...uuids] } } });
    assert.equal(rows.length, uuids.length);
    const byUuid = new Map(rows.map((r) => [r.callUuid, r]));
    uuids.forEach((uuid, k) => {
      const p = plannedCall(offset + k);
      const r = byUuid.get(uuid);
      assert.ok(r, uuid);
      assert.equal(r.tenantId, tenant.tenantId);
      assert.equal(r.direction, p.to.startsWith('+') ? 'OUTBOUND' : 'INTERNAL', uuid);
      assert.equal(r.fromNumber, p.from);
      assert.equal(r.toNumber, p.to);
      assert.equal(r.extensionNumber, p.from);
      assert.equal(r.hangupCause, p.cause);
      assert.equal(r.answeredAt !== null, p.answered, uuid);
      assert.ok(r.endedAt >= r.startedAt);
    });
  }

  test(`${N} calls: exactly ${N} rows from the events, the same ${N} from json_cdr alone, re-posts change nothing`, async () => {
    const c = await start();
    const uuids = await runCalls(fs, tenant, 0, N);
    await until(
      `${N} rows from events`,
      async () => (await c.prisma.cdr.count({ where: { callUuid: { in: uuids } } })) === N,
    );
    await c.events?.idle();
    await checkRows(c, uuids, 0);
    const metrics = await c.metrics.registry.render();
    assert.match(
      metrics,
      new RegExp(`pbx_esl_events_total\\{node="fs-a",type="CHANNEL_HANGUP_COMPLETE"\\} ${N}\\b`),
    );
    assert.match(metrics, /pbx_esl_connected\{node="fs-a"\} 1/);

    // The json_cdr path alone builds the same rows: drop them, post every leg (twice, as a retrying FreeSWITCH may).
    const bodies = await c.prisma.cdr.deleteMany({ where: { callUuid: { in: uuids } } });
    assert.equal(bodies.count, N);
    c.esl?.close(); // no events now: only the posts write
    const second = await start();
    second.esl?.close();
    const replay = await runCalls(fs, tenant, 0, N, async (_i, uuid, body) => {
      await postCdrWithRetry(() => second.port, uuid, body);
      await postCdrWithRetry(() => second.port, uuid, body);
    });
    await checkRows(second, replay, 0);
    assert.equal(await second.prisma.cdr.count({ where: { callUuid: { in: replay } } }), N);
  });

  test('controller stopped and rebuilt mid-run: FreeSWITCH keeps re-posting, no loss, no duplicates', async () => {
    const prefix = testRedisPrefix();
    let current = await start(prefix);
    let port = current.port;
    let down = false;
    let done = 0;
    let retried = 0;
    let refusedWhileDown = 0;
    let wentDown: () => void = () => {};
    const downNow = new Promise<void>((resolve) => (wentDown = resolve));
    const restart = (async () => {
      await downNow;
      await current.close();
      // Stay down until posts have met the stopped controller, however slow the machine is.
      await until('a post refused while the controller is down', () => refusedWhileDown > 0);
      current = await start(prefix);
      port = current.port;
      down = false;
    })();
    const before = await current.prisma.cdr.count();
    const uuids = await runCalls(fs, tenant, 2 * N, N, async (_i, uuid, body) => {
      const attempts = await postCdrWithRetry(
        () => port,
        uuid,
        body,
        () => (down ? refusedWhileDown++ : undefined),
      );
      if (attempts > 1) retried++;
      // After a third of the calls the controller goes away (refused while none runs), so the
      // remaining two thirds are certain to meet it stopped.
      if (++done === Math.ceil(N / 3)) {
        down = true;
        port = 1;
        wentDown();
      }
    });
    await restart;
    assert.equal(down, false);
    assert.ok(retried > 0, 'some posts met the stopped controller and were retried');
    await current.events?.idle();
    await checkRows(current, uuids, 2 * N);
    assert.equal((await current.prisma.cdr.count()) - before, N);
  });
});
