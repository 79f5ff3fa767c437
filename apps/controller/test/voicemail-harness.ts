// A voicemail session end to end: the FreeSWITCH double places calls whose dialplan sets the voicemail variables
// and hands them to an outbound socket served by runVoicemail, against this file's own database and Redis.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { voicemailChangedChannel, type VoicemailChanged } from '@pbx/contracts';
import { createDb } from '@pbx/db';
import { createTenant, createVoicemailBox, systemActor, type TenantContext } from '@pbx/domain';
import { EslOutboundServer } from '@pbx/esl';
import { startFreeswitchDouble, type DoubleCall, type PlaceCallOptions } from '@pbx/freeswitch-double';
import { createJobQueues, mediaRefillMessageJobId, redisNotificationPublisher } from '@pbx/jobs';
import { mediaLayout } from '@pbx/media';
import { TEST_REDIS_URL, createTestDatabase, testRedisPrefix, waitFor } from '@pbx/testing';
import { Redis } from 'ioredis';
import { readSessionVars } from '../src/outbound/session.js';
import { transferTokens } from '../src/xml-curl/transfer-token.js';
import type { VoicemailDeps } from '../src/voicemail/index.js';
import { runVoicemail, voicemailVars } from '../src/voicemail/index.js';
import { LocalStorage, type ObjectStorage } from '@pbx/storage';

/** `storage`: where greetings recorded by phone go (default: a local storage in a directory of its own). */
export async function voicemailHarness(o: { minMessageMs?: number; storage?: ObjectStorage } = {}) {
  const database = await createTestDatabase();
  const { prisma, close } = createDb({ databaseUrl: database.url, poolSize: 4 });
  const prefix = testRedisPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  const subscriber = new Redis(TEST_REDIS_URL);
  const changes: VoicemailChanged[] = [];
  subscriber.on('message', (_ch: string, raw: string) => changes.push(JSON.parse(raw) as VoicemailChanged));
  await subscriber.subscribe(voicemailChangedChannel(prefix));
  const jobsRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createJobQueues({ connection: jobsRedis, prefix });
  const logs = { warn: [] as string[], error: [] as string[] };
  const clock = { offsetMs: 0 };
  const mediaDir = await mkdtemp(join(tmpdir(), 'pbx-media-'));
  const notify = redisNotificationPublisher(redis, prefix, () => ({ error: (_o, m) => logs.error.push(m) }));
  const deps: VoicemailDeps = {
    prisma,
    notify,
    media: mediaLayout(mediaDir),
    storage: o.storage ?? new LocalStorage(await mkdtemp(join(tmpdir(), 'pbx-storage-'))),
    enqueueEmail: (payload, jobId) => queues.enqueue('voicemailEmail', payload, jobId),
    enqueueRefill: (message) =>
      queues.enqueue('mediaRefill', { message }, mediaRefillMessageJobId(message.messageId)),
    log: {
      info: () => undefined,
      warn: (_o, m) => logs.warn.push(m),
      error: (obj, m) => logs.error.push(`${m} ${JSON.stringify(obj)}`),
    },
    now: () => new Date(Date.now() + clock.offsetMs),
    minMessageMs: o.minMessageMs ?? 300,
    transferTokens: transferTokens('voicemail-harness-secret'),
  };
  // What the outbound session (src/outbound/server.ts) does before the runtime: the variables read once, the tenant
  // resolved once (there through the snapshot cache; here straight from the database).
  const server = new EslOutboundServer({
    port: 0,
    handler: async (call) => {
      const vars = readSessionVars(call);
      const tenant =
        vars &&
        (await prisma.tenant.findFirst({
          where: { id: vars.pbx_tenant_id, status: 'ACTIVE' },
          select: { id: true, domain: true, timeZone: true },
        }));
      if (!vars || !tenant) throw new Error('the harness places calls with valid variables only');
      // As server.ts: the socket is closed when the runtime returns (a transferred call goes on in the dialplan).
      await runVoicemail(call, deps, voicemailVars(vars, call.channel), tenant).finally(() => call.close());
    },
  });
  const { port } = await server.listen();
  const fs = await startFreeswitchDouble({ password: 'ClueCon', timing: { playbackMs: 40 } });
  after(async () => {
    await fs.close();
    await server.close();
    await queues.close();
    jobsRedis.disconnect();
    subscriber.disconnect();
    redis.disconnect();
    await close();
  });

  const platform = { db: prisma, notify, actor: systemActor };
  const tenantCtx = (t: { id: string; domain: string }): TenantContext => ({
    ...platform,
    actor: { ...systemActor, role: 'TENANT_ADMIN', tenantId: t.id },
    tenantId: t.id,
    domain: t.domain,
  });

  /** A caller whose dialplan set these voicemail variables and then ran `socket … async full`. */
  const place = (
    vars: Record<string, string>,
    o: { callerNumber?: string; says?: PlaceCallOptions['says'] } = {},
  ): DoubleCall =>
    fs.placeCall({
      from: o.callerNumber ?? '1001',
      to: '*98',
      domain: 'vm.test',
      answer: true,
      apps: Object.entries({ pbx_app: 'voicemail', ...vars }).map(([k, v]) => ['set', `${k}=${v}`] as const),
      socket: { host: '127.0.0.1', port },
      ...(o.says ? { says: o.says } : {}),
    });

  /** Resolves once the call runs an app whose argument mentions `text` (a prompt name, a path). */
  const at = (call: DoubleCall, text: string, signal?: AbortSignal) =>
    waitFor(
      `the call to reach ${text}`,
      () => call.channel.vars.get('current_application_data')?.includes(text) === true,
      signal,
    );

  return {
    prisma,
    databaseUrl: database.url,
    deps,
    logs,
    clock,
    changes,
    queues,
    place,
    at,
    fs,
    mediaDir,
    createTenant: (name: string) => createTenant(platform, { name, domain: `${name}.vm.test` }),
    createBox: (
      t: { id: string; domain: string },
      number: string,
      extra: { email?: string; maxMessages?: number } = {},
    ) => createVoicemailBox(tenantCtx(t), { number, name: `Box ${number}`, pin: '1234', ...extra }),
  };
}
