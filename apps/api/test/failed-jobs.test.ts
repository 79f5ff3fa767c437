// Failed background jobs for the platform admin: read from Redis without BullMQ (@pbx/jobs/failed), checked here
// against jobs a real BullMQ worker failed; every tenant role is refused.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createJobsConnection, jobs } from '@pbx/jobs';
import { TEST_REDIS_URL, waitFor } from '@pbx/testing';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import {
  createTenant,
  expectProblem,
  expectStatus,
  json,
  loginAs,
  startApi,
  type Harness,
  type Tenant,
} from './helpers.js';

const h: Harness = await startApi();
let t: Tenant;
const tenantId = '3f1b2c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d';

before(async () => {
  t = await createTenant(h, 'JobsA');
  // Real BullMQ jobs under the API's prefix: a recording that fails twice, an e-mail that fails permanently.
  const connection = createJobsConnection(TEST_REDIS_URL);
  const prefix = `${h.prefix}:bull`;
  const recordings = new Queue(jobs.recordingProcess.queue, { connection, prefix });
  const email = new Queue(jobs.voicemailEmail.queue, { connection, prefix });
  await recordings.add(
    'process',
    { tenantId, callUuid: 'call-1', filePath: '/r/x.wav' },
    { jobId: 'rec-1', attempts: 2 },
  );
  await email.add('send', { tenantId, messageId: tenantId, generation: 0 }, { jobId: 'vm-1', attempts: 3 });
  const workerConnections = [connection.duplicate(), connection.duplicate()] as const;
  const workers = [
    new Worker(recordings.name, () => Promise.reject(new Error('encoder crashed')), {
      connection: workerConnections[0],
      prefix,
    }),
    new Worker(email.name, () => Promise.reject(new UnrecoverableError('550 no such user')), {
      connection: workerConnections[1],
      prefix,
    }),
  ];
  await waitFor('both jobs failed', async () => {
    const [a, b] = await Promise.all([recordings.getJobState('rec-1'), email.getJobState('vm-1')]);
    return a === 'failed' && b === 'failed';
  });
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all([recordings.close(), email.close()]);
  // Connections handed to BullMQ stay open after close(): ours to end.
  for (const c of [connection, ...workerConnections]) c.disconnect();
});

void describe('GET /v1/jobs/failed', () => {
  test('the platform admin lists failed jobs with their reason, attempts and payload, newest first', async () => {
    const res = await h.client.as(h.platformKey)('GET', '/v1/jobs/failed');
    expectStatus(res, 200);
    const items = json(res).items as {
      queue: string;
      id: string;
      failedReason: string;
      attemptsMade: number;
      data: unknown;
      failedAt: string;
    }[];
    const byId = new Map(items.map((i) => [i.id, i]));
    assert.equal(byId.get('rec-1')?.queue, 'recordings');
    assert.equal(byId.get('rec-1')?.failedReason, 'encoder crashed');
    assert.equal(byId.get('rec-1')?.attemptsMade, 2);
    assert.deepEqual(byId.get('rec-1')?.data, { tenantId, callUuid: 'call-1', filePath: '/r/x.wav' });
    assert.equal(byId.get('vm-1')?.queue, 'voicemail-email');
    assert.equal(byId.get('vm-1')?.failedReason, '550 no such user');
    assert.equal(byId.get('vm-1')?.attemptsMade, 1);
    assert.ok(items.every((x, i) => i === 0 || (items[i - 1]?.failedAt ?? '') >= x.failedAt));

    const one = await h.client.as(h.platformKey)('GET', '/v1/jobs/failed', {
      query: { queue: 'recordings' },
    });
    assert.deepEqual(
      json(one).items.map((i: { id: string }) => i.id),
      ['rec-1'],
    );
    expectProblem(
      await h.client.as(h.platformKey)('GET', '/v1/jobs/failed', { query: { queue: 'nope' } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  test('tenant admins and tenant users get 403, strangers 401', async () => {
    expectStatus(await t.api('GET', '/v1/jobs/failed'), 403);
    const ext = json(
      await t.api('POST', `${t.base}/extensions`, { body: { number: '101', displayName: 'Owner' } }),
    );
    expectStatus(
      await t.api('POST', `${t.base}/users`, {
        body: {
          email: 'jobs-user@example.com',
          password: 'a long enough password',
          role: 'TENANT_USER',
          extensionId: ext.id,
        },
      }),
      201,
    );
    const user = h.client.as(await loginAs(h, 'jobs-user@example.com', 'a long enough password'));
    expectStatus(await user('GET', '/v1/jobs/failed'), 403);
    expectStatus(await h.client.anon('GET', '/v1/jobs/failed'), 401);
  });
});
