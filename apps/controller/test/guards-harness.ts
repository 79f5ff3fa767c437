import type { AddressInfo } from 'node:net';
import { createDb, type Db } from '@pbx/db';
import { SipPhones, startFreeswitchDouble, type FreeswitchDouble } from '@pbx/freeswitch-double';
import { XmlCurlClient } from '@pbx/freeswitch-double/xml-curl';
import { createJobQueues, createJobsConnection } from '@pbx/jobs';
import { TEST_REDIS_URL, testRedisPrefix } from '@pbx/testing';
import { Redis } from 'ioredis';
import { buildController, type Controller } from '../src/app.js';
import { ESL_PASSWORD } from './events-harness.js';
import { TEST_SETTINGS, XML_PASSWORD, XML_USER } from './helpers.js';

export type GuardRig = Controller & {
  guard: NonNullable<Controller['guard']>;
  fs: FreeswitchDouble;
  phones: SipPhones;
  prisma: Db;
  prefix: string;
  clock: { now: Date };
  /** Every statement the controller sent to PostgreSQL (model operations and raw queries alike). */
  queries: () => number;
  close: () => Promise<void>;
};

/**
 * A controller with its event socket connected to a FreeSWITCH double, the abuse guards on, an injected clock,
 * and a database client that counts what it is asked. Phones of the double (SipPhones) send REGISTER/INVITE.
 */
export async function startGuardRig(databaseUrl: string): Promise<GuardRig> {
  const db = createDb({ databaseUrl, poolSize: 4 });
  let queries = 0;
  // Counted at the client: the snapshot loader's one raw statement and every model operation pass through here.
  const counting = db.prisma.$extends({
    query: {
      async $allOperations({ args, query }) {
        queries++;
        return query(args);
      },
    },
  }) as unknown as Db;
  const prefix = testRedisPrefix();
  const subscriber = new Redis(TEST_REDIS_URL);
  const publisher = new Redis(TEST_REDIS_URL);
  const redis = new Redis(TEST_REDIS_URL);
  const jobsConnection = createJobsConnection(TEST_REDIS_URL);
  const queues = createJobQueues({ connection: jobsConnection, prefix });
  const fs = await startFreeswitchDouble();
  const clock = { now: new Date('2026-11-23T15:00:00Z') };
  const controller = await buildController({
    settings: {
      ...TEST_SETTINGS,
      redisPrefix: prefix,
      directoryCacheMs: 60_000,
    },
    prisma: counting,
    subscriber,
    publisher,
    now: () => clock.now,
    esl: {
      nodes: [{ name: 'fs-a', host: '127.0.0.1', port: fs.port }],
      password: ESL_PASSWORD,
      redis,
      queues,
      options: { backoff: { initialMs: 20, maxMs: 200, jitter: 0.2 }, commandTimeoutMs: 5_000 },
    },
    guards: { redis, unknownDomainLoadsPerMinute: 1_000_000 },
  });
  if (!controller.guard) throw new Error('guards not built');
  await controller.app.listen({ host: '127.0.0.1', port: 0 });
  await controller.esl?.node('fs-a').waitReady(10_000);
  const port = (controller.app.server.address() as AddressInfo).port;
  const client = new XmlCurlClient({
    baseUrl: `http://127.0.0.1:${port}/freeswitch`,
    user: XML_USER,
    password: XML_PASSWORD,
  });
  return {
    ...controller,
    guard: controller.guard,
    fs,
    phones: new SipPhones(fs, client),
    prisma: db.prisma,
    prefix,
    clock,
    queries: () => queries,
    close: async () => {
      await controller.app.close();
      await fs.close();
      await queues.close();
      subscriber.disconnect();
      publisher.disconnect();
      redis.disconnect();
      jobsConnection.disconnect();
      await db.close();
    },
  };
}
