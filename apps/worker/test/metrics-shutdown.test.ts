import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { jobs } from '@pbx/jobs';
import { waitFor } from '@pbx/testing';
import { metricsServer } from '../src/metrics-server.js';
import { makeWav } from './support/audio.js';
import { harness } from './support/harness.js';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

const h = await harness();

test('/metrics: jobs by queue and outcome, durations, queue depth and the oldest waiting job', async (t) => {
  const app = await h.startWorker({});
  const server = metricsServer(app.metrics);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const recordings = h.queues.queue('recordingProcess');
  const tenantId = '0d8c5a4e-7b1f-4c2d-9e3a-5f6b7c8d9e0f';

  // Completes (no such recording: skipped), fails for good (a payload that is not one), retried then failed.
  await h.queues.enqueue('recordingProcess', { tenantId, callUuid: 'none', filePath: '/x.wav' }, 'm-ok');
  await recordings.add(jobs.recordingProcess.name, { bad: true }, { jobId: 'm-bad', attempts: 1 });
  await recordings.add(jobs.recordingProcess.name, { bad: 2 }, { jobId: 'm-twice', attempts: 2 });
  await waitFor(
    'all three settled',
    async () => {
      const states = await Promise.all(['m-ok', 'm-bad', 'm-twice'].map((id) => recordings.getJobState(id)));
      return states.join() === 'completed,failed,failed';
    },
    t.signal,
  );
  // A job waiting in a queue nobody works on yet, enqueued an hour ago.
  await app.close();
  await recordings.add(
    jobs.recordingProcess.name,
    { bad: 3 },
    { jobId: 'm-old', timestamp: Date.now() - 3_600_000 },
  );

  const res = await fetch(`${url}/metrics`);
  assert.equal(res.status, 200);
  const text = await res.text();
  const value = (series: string) =>
    Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
  assert.equal(value('pbx_jobs_total{queue="recordings",name="process",outcome="completed"}'), 1);
  assert.equal(value('pbx_jobs_total{queue="recordings",name="process",outcome="failed"}'), 2);
  assert.equal(value('pbx_jobs_total{queue="recordings",name="process",outcome="retried"}'), 1);
  // Every attempt is timed once: one per outcome, plus one per attempt cut short by a stall (none expected).
  const stalled = value('pbx_jobs_total{queue="recordings",name="",outcome="stalled"}') || 0;
  assert.equal(value('pbx_job_duration_seconds_count{queue="recordings",name="process"}'), 4 + stalled);
  assert.equal(value('pbx_queue_jobs{queue="recordings",state="failed"}'), 2);
  assert.equal(value('pbx_queue_jobs{queue="recordings",state="waiting"}'), 1);
  assert.ok(value('pbx_queue_oldest_waiting_seconds{queue="recordings"}') >= 3600);
  // The exposition parses as Prometheus text, with the five families and their types.
  assert.deepEqual(
    parsePrometheusTextFormat(text).map((f) => [f.name, f.type]),
    [
      ['pbx_jobs_total', 'COUNTER'],
      ['pbx_job_duration_seconds', 'HISTOGRAM'],
      ['pbx_queue_jobs', 'GAUGE'],
      ['pbx_queue_oldest_waiting_seconds', 'GAUGE'],
      ['pbx_media_refill_files_total', 'COUNTER'],
    ],
  );
  assert.equal((await fetch(`${url}/healthz`)).status, 200);
  assert.equal((await fetch(`${url}/other`)).status, 404);
  await recordings.remove('m-old');
});

test('shutdown: a recording in flight is finished before close() resolves, not left to stall', async (t) => {
  const app = await h.startWorker({});
  const tenant = await h.prisma.tenant.create({ data: { name: 'Stop', domain: 'stop.pbx.test' } });
  const dir = join(h.mediaDir, tenant.id);
  await mkdir(dir, { recursive: true });
  const filePath = join(dir, 'long.wav');
  await makeWav(filePath, 120);
  const row = await h.prisma.callRecording.create({
    data: { tenantId: tenant.id, callUuid: 'call-stop', filePath, state: 'PROCESSING' },
  });
  await h.queues.enqueue(
    'recordingProcess',
    { tenantId: tenant.id, callUuid: 'call-stop', filePath },
    'stop-1',
  );
  const recordings = h.queues.queue('recordingProcess');
  await waitFor(
    'the job running',
    async () => (await recordings.getJobState('stop-1')) === 'active',
    t.signal,
  );
  await app.close(600_000);
  assert.equal(await recordings.getJobState('stop-1'), 'completed');
  assert.equal((await h.prisma.callRecording.findUniqueOrThrow({ where: { id: row.id } })).state, 'READY');
});
