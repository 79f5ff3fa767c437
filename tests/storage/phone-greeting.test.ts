// Issue 13: a greeting recorded by phone takes the path of an uploaded one. Over a box that already has a greeting
// uploaded through the API, the owner records a new one by phone (the controller's mailbox menu, against the
// FreeSWITCH double); the API's download then serves the phone recording; the file is lost from MEDIA_DIR; the
// worker's media refill puts the phone recording back, not the older upload. Local backend and S3 (s3rver).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { buildApi, loadConfig as loadApiConfig } from '@pbx/api';
import { generateApiKey } from '@pbx/domain';
import { createJobsConnection } from '@pbx/jobs';
import { createStorage, digestFile } from '@pbx/storage';
import { startTestS3 } from '@pbx/storage/test-server';
import { TEST_REDIS_URL, testRedisPrefix, waitFor } from '@pbx/testing';
import { buildWorker, loadWorkerConfig } from '@pbx/worker';
import { Redis } from 'ioredis';
import { voicemailHarness } from '../../apps/controller/test/voicemail-harness.js';

async function scenario(t: TestContext, storageEnv: Record<string, string>) {
  const storageSettings = loadWorkerConfig({
    NODE_ENV: 'test',
    DATABASE_URL: 'postgresql://unused@127.0.0.1/unused',
    REDIS_URL: TEST_REDIS_URL,
    ...storageEnv,
  });
  const storage = createStorage(storageSettings);
  const h = await voicemailHarness({ storage, minMessageMs: 300 });
  const redis = new Redis(TEST_REDIS_URL);
  const connection = createJobsConnection(TEST_REDIS_URL);
  const teardown: Array<() => unknown> = [];
  t.after(async () => {
    for (const close of teardown.reverse()) await close();
    await connection.quit();
    redis.disconnect();
    storage.close();
  });
  const base = {
    NODE_ENV: 'test',
    DATABASE_URL: h.databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: testRedisPrefix(),
    MEDIA_DIR: h.mediaDir,
    ...storageEnv,
  };
  const tenant = await h.createTenant('phonegreet');
  const box = await h.createBox(tenant, '1002');
  const greeting = h.deps.media.boxGreeting(tenant.id, box.id, 'unavailable');

  const api = await buildApi({
    config: loadApiConfig({ ...base, LOG_LEVEL: 'silent' }),
    prisma: h.prisma,
    redis,
    logger: false,
  });
  teardown.push(() => api.close());
  const k = generateApiKey();
  await h.prisma.apiKey.create({
    data: {
      name: 'admin',
      prefix: k.prefix,
      keyHash: k.hash,
      role: 'TENANT_ADMIN',
      tenantId: tenant.id,
      scopes: ['READ', 'WRITE'],
    },
  });
  const url = `/v1/tenants/${tenant.id}/voicemail-boxes/${box.id}/greetings/unavailable`;
  const headers = { authorization: `Bearer ${k.key}` };
  const download = async (name: string) => {
    const res = await api.inject({ method: 'GET', url, headers });
    assert.equal(res.statusCode, 200, res.body);
    const saved = join(h.mediaDir, name);
    await writeFile(saved, res.rawPayload);
    return (await digestFile(saved)).sha256;
  };

  // The older greeting, typed through the API.
  const typed = await api.inject({
    method: 'PUT',
    url: `${url}/text`,
    headers,
    payload: { text: 'Please leave a message.' },
  });
  assert.equal(typed.statusCode, 200, typed.body);
  const uploaded = (await digestFile(greeting)).sha256;
  assert.equal(await download('before.wav'), uploaded);

  // Recorded by phone: mailbox, options, 1 (unavailable), three seconds, #.
  const call = h.place(
    { pbx_tenant_id: tenant.id, pbx_vm_action: 'check', pbx_vm_box_id: box.id, pbx_extension: '1002' },
    { says: [{ ms: 3000, then: { press: '#' } }] },
  );
  for (const [prompt, keys] of [
    ['vm-enter-pin', '1234#'],
    ['vm-main-menu', '0'],
    ['vm-options-menu', '1'],
  ] as const) {
    await h.at(call, prompt, t.signal);
    await call.press(keys, 0);
  }
  await h.at(call, 'vm-greeting-saved', t.signal);
  call.hangup();
  await call.ended;
  const recorded = (await digestFile(greeting)).sha256;
  assert.notEqual(recorded, uploaded, 'the phone recording replaced the typed greeting on the volume');
  assert.equal(await download('after.wav'), recorded, 'the API serves the phone recording');

  // The volume loses it; the worker's refill (its scheduler's first run starts at once) puts the recording back.
  await rm(greeting);
  const worker = await buildWorker({
    config: loadWorkerConfig({ ...base, MEDIA_REFILL_EVERY_MINUTES: '60', SWEEP_EVERY_MINUTES: '60' }),
    prisma: h.prisma,
    connection,
    log: () => undefined,
  });
  teardown.push(() => worker.close());
  await waitFor(
    'the greeting put back',
    () =>
      digestFile(greeting).then(
        () => true,
        () => false,
      ),
    t.signal,
  );
  assert.equal((await digestFile(greeting)).sha256, recorded, 'the phone recording is back, not the upload');
  assert.deepEqual(h.logs.error, []);
}

test('a greeting recorded by phone, local storage: served by the API, put back by the refill', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pbx-phonegreet-storage-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await scenario(t, { STORAGE_BACKEND: 'local', STORAGE_DIR: dir });
});

test('a greeting recorded by phone, S3 (s3rver): the same', async (t) => {
  const s3 = await startTestS3('pbx-phonegreet');
  t.after(() => s3.close());
  await scenario(t, s3.env);
});
