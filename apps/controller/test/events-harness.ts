import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDb, type Db } from '@pbx/db';
import { fsUrlEncode, type Channel, type FreeswitchDouble } from '@pbx/freeswitch-double';
import { createJobQueues, createJobsConnection, type JobQueues } from '@pbx/jobs';
import { TEST_REDIS_URL, waitFor } from '@pbx/testing';
import { Redis } from 'ioredis';
import { buildController, type Controller } from '../src/app.js';
import type { ControllerSettings } from '../src/controller-types.js';
import { TEST_SETTINGS, XML_AUTH, scratchStorage } from './helpers.js';

export const ESL_PASSWORD = 'ClueCon';

export type EventController = Controller & {
  port: number;
  prisma: Db;
  queues: JobQueues;
  publisher: Redis;
  close: () => Promise<void>;
};

/** A controller with its event-socket side, connected to the given doubles, listening on an ephemeral port. */
export async function startEventController(o: {
  databaseUrl: string;
  prefix: string;
  doubles: ReadonlyArray<{ name: string; port: number }>;
  /** Overrides of the test settings (e.g. gatewayKey). */
  settings?: Partial<ControllerSettings>;
  /** The outbound socket too (IVR, voicemail), on an ephemeral port, with this MEDIA_DIR. */
  outbound?: { mediaDir: string };
}): Promise<EventController> {
  const db = createDb({ databaseUrl: o.databaseUrl, poolSize: 6 });
  const subscriber = new Redis(TEST_REDIS_URL);
  const publisher = new Redis(TEST_REDIS_URL);
  const redis = new Redis(TEST_REDIS_URL);
  const jobsConnection = createJobsConnection(TEST_REDIS_URL);
  const queues = createJobQueues({ connection: jobsConnection, prefix: o.prefix });
  const controller = await buildController({
    settings: { ...TEST_SETTINGS, ...o.settings, redisPrefix: o.prefix },
    prisma: db.prisma,
    subscriber,
    publisher,
    esl: {
      nodes: o.doubles.map((d) => ({ name: d.name, host: '127.0.0.1', port: d.port })),
      password: ESL_PASSWORD,
      redis,
      queues,
      options: { backoff: { initialMs: 20, maxMs: 200, jitter: 0.2 }, commandTimeoutMs: 5_000 },
    },
    ...(o.outbound
      ? {
          outbound: {
            mediaDir: o.outbound.mediaDir,
            listen: { host: '127.0.0.1', port: 0 },
            drainMs: 1_000,
            queues,
            storage: scratchStorage(),
          },
        }
      : {}),
  });
  await controller.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (controller.app.server.address() as AddressInfo).port;
  let closed = false;
  return {
    ...controller,
    port,
    prisma: db.prisma,
    queues,
    publisher,
    close: async () => {
      if (closed) return;
      closed = true;
      await controller.app.close();
      await queues.close();
      subscriber.disconnect();
      publisher.disconnect();
      redis.disconnect();
      jobsConnection.disconnect();
      await db.close();
    },
  };
}

/** The tenant the simulated calls belong to. */
export async function seedTenant(prisma: Db, domain: string): Promise<{ tenantId: string }> {
  const tenant = await prisma.tenant.create({ data: { name: domain, domain, recordingPolicy: 'ALWAYS' } });
  for (const number of ['1001', '1002', '1003']) {
    await prisma.extension.create({
      data: { tenantId: tenant.id, number, displayName: `Extension ${number}`, sipA1Hash: '0'.repeat(32) },
    });
  }
  return { tenantId: tenant.id };
}

/**
 * What mod_json_cdr (encode-values=true) would POST for a finished channel of the double:
 * its variables URL-encoded, and the caller profile and times of its last callflow.
 */
export function jsonCdrOf(fs: FreeswitchDouble, ch: Channel): string {
  const variables = Object.fromEntries(ch.vars.entries().map(([k, v]) => [k, fsUrlEncode(v)]));
  return JSON.stringify({
    'core-uuid': fs.identity.coreUuid,
    switchname: fs.hostname,
    channel_data: { state: 'CS_REPORTING', direction: ch.profile.direction },
    variables,
    callflow: [
      {
        dialplan: 'XML',
        profile_index: '1',
        caller_profile: {
          username: ch.profile.username,
          caller_id_name: ch.profile.callerIdName,
          caller_id_number: ch.profile.callerIdNumber,
          destination_number: ch.profile.destinationNumber,
          uuid: ch.uuid,
          context: ch.profile.context,
          chan_name: ch.profile.channelName,
        },
        times: {
          created_time: String(ch.times.created),
          answered_time: String(ch.times.answered),
          hangup_time: String(ch.times.hangup),
        },
      },
    ],
  });
}

/** One HTTP request over a real TCP connection, the way mod_json_cdr sends it (basic auth, Content-Length). */
export function postCdr(
  port: number,
  uuid: string,
  body: string | Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = typeof body === 'string' ? Buffer.from(body) : body;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/freeswitch/cdr?uuid=${uuid}`,
        agent: false,
        headers: {
          authorization: XML_AUTH,
          'content-type': 'application/json',
          'content-length': payload.length,
          'user-agent': 'freeswitch-json/1.0',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * mod_json_cdr's behaviour: retry until a 2xx (connection refused and 5xx included). Returns the
 * number of attempts. No attempt limit: a busy machine may take long to bring a controller back,
 * and the test runner's timeout bounds the test.
 */
export async function postCdrWithRetry(
  getPort: () => number,
  uuid: string,
  body: string,
  onFailedAttempt: () => void = () => {},
): Promise<number> {
  for (let i = 1; ; i++) {
    try {
      const r = await postCdr(getPort(), uuid, body);
      if (r.status >= 200 && r.status < 300) return i;
      if (r.status < 500) throw new Error(`CDR ${uuid} rejected: ${r.status} ${r.text}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('CDR ')) throw error;
    }
    onFailedAttempt();
    await sleep(50);
  }
}

/** Waits until `check` holds; the test runner's timeout bounds the wait (see @pbx/testing waitFor). */
export function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  return waitFor(what, check);
}

export type PlannedCall = { from: string; to: string; answered: boolean; cause: string };

/** A deterministic mix: answered and unanswered, internal and outbound, from three extensions. */
export function plannedCall(i: number): PlannedCall {
  const from = ['1001', '1002', '1003'][i % 3] ?? '1001';
  const outbound = i % 4 === 1;
  const answered = i % 5 !== 3;
  return {
    from,
    to: outbound ? `+4930${String(2_000_000 + i)}` : from === '1001' ? '1002' : '1001',
    answered,
    cause: answered ? 'NORMAL_CLEARING' : 'NO_ANSWER',
  };
}

/** Places one planned call on the double with the variables our dialplan sets; resolves when it has ended. */
export async function runCall(fs: FreeswitchDouble, domain: string, tenantId: string, p: PlannedCall) {
  const call = fs.placeCall({
    from: p.from,
    to: p.to,
    domain,
    context: domain,
    apps: [
      ['set', `pbx_tenant_id=${tenantId}`],
      ['set', `pbx_direction=${p.to.startsWith('+') ? 'outbound' : 'internal'}`],
      ['set', `pbx_extension=${p.from}`],
      ...(p.answered ? ([['answer', '']] as const) : []),
      ['hangup', p.cause],
    ],
  });
  await call.ended;
  return call;
}
