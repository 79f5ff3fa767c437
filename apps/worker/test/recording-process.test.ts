import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { waitFor } from '@pbx/testing';
import { makeWav } from './support/audio.js';
import { harness } from './support/harness.js';

const run = promisify(execFile);
const h = await harness();

test('recordings: a real WAV becomes a verified MP3, READY and linked to its CDR, raw deleted after; bad files FAILED with a reason', async (t) => {
  const app = await h.startWorker({});
  t.after(() => app.close());
  const tenant = await h.prisma.tenant.create({ data: { name: 'Rec', domain: 'rec.pbx.test' } });
  const dir = join(h.mediaDir, tenant.id);
  await mkdir(dir, { recursive: true });

  const raw = async (name: string, make: (path: string) => Promise<void>) => {
    const filePath = join(dir, `${name}.wav`);
    await make(filePath);
    const row = await h.prisma.callRecording.create({
      data: { tenantId: tenant.id, callUuid: `call-${name}`, filePath, state: 'PROCESSING' },
    });
    await h.queues.enqueue(
      'recordingProcess',
      { tenantId: tenant.id, callUuid: row.callUuid, filePath },
      `rec-${name}`,
    );
    return row;
  };
  const now = new Date();
  await h.prisma.cdr.create({
    data: {
      tenantId: tenant.id,
      callUuid: 'call-good',
      direction: 'INTERNAL',
      fromNumber: '1001',
      toNumber: '1002',
      startedAt: now,
      endedAt: now,
      durationSec: 5,
      billsec: 5,
      hangupCause: 'NORMAL_CLEARING',
    },
  });

  const good = await raw('good', (p) => makeWav(p, 5));
  const truncated = await raw('truncated', async (p) => {
    await makeWav(p, 10);
    await run('truncate', ['-s', '40000', p]);
  });
  const empty = await raw('empty', (p) => writeFile(p, ''));
  const headerOnly = await raw('header', async (p) => {
    await makeWav(p, 1);
    await run('truncate', ['-s', '44', p]);
  });
  const garbage = await raw('garbage', (p) => writeFile(p, 'this is not audio at all'.repeat(100)));
  const outside = await h.prisma.callRecording.create({
    data: { tenantId: tenant.id, callUuid: 'call-outside', filePath: '/etc/passwd', state: 'PROCESSING' },
  });
  await h.queues.enqueue(
    'recordingProcess',
    { tenantId: tenant.id, callUuid: 'call-outside', filePath: '/etc/passwd' },
    'rec-outside',
  );

  const ids = [good, truncated, empty, headerOnly, garbage, outside].map((r) => r.id);
  await waitFor(
    'every recording processed',
    async () =>
      (await h.prisma.callRecording.count({
        where: { id: { in: ids }, state: { in: ['READY', 'FAILED'] } },
      })) === ids.length,
    t.signal,
    50,
  );

  const ready = await h.prisma.callRecording.findUniqueOrThrow({ where: { id: good.id } });
  assert.equal(ready.state, 'READY');
  assert.equal(ready.format, 'mp3');
  assert.equal(ready.durationSec, 5);
  // The copy is in the storage (the local backend here), under the tenant's key; the row names the key.
  assert.equal(ready.filePath, `tenants/${tenant.id}/recordings/${good.id}.mp3`);
  assert.equal(ready.sourcePath, good.filePath);
  const stored = join(h.storageDir, ready.filePath);
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'format=duration:stream=codec_name',
    '-of',
    'json',
    stored,
  ]);
  const probed = JSON.parse(stdout) as { format: { duration: string }; streams: { codec_name: string }[] };
  assert.equal(probed.streams[0]?.codec_name, 'mp3');
  assert.ok(Math.abs(Number(probed.format.duration) - 5) < 0.2, `decodes to 5 s (${probed.format.duration})`);
  assert.equal(ready.sizeBytes, (await import('node:fs')).statSync(stored).size);
  assert.ok(!existsSync(good.filePath), 'the raw file is deleted once the copy is READY');
  const cdr = await h.prisma.cdr.findUniqueOrThrow({ where: { callUuid: 'call-good' } });
  assert.equal(cdr.recordingId, good.id, 'linked to its CDR');
  assert.equal(await h.prisma.auditLog.count({ where: { action: 'recording.ready', entityId: good.id } }), 1);

  const reasons = Object.fromEntries(
    (
      await h.prisma.callRecording.findMany({
        where: { id: { in: ids.slice(1) } },
        select: { callUuid: true, state: true, error: true },
      })
    ).map((r) => [r.callUuid, `${r.state}: ${r.error ?? ''}`]),
  );
  assert.match(
    reasons['call-truncated'] ?? '',
    /^FAILED: the recording is truncated: the header announces 10\.0 s/,
  );
  assert.equal(reasons['call-empty'], 'FAILED: the recording file is empty');
  assert.equal(reasons['call-header'], 'FAILED: the recording holds no audio');
  assert.match(reasons['call-garbage'] ?? '', /^FAILED: not a readable WAV/);
  assert.equal(reasons['call-outside'], 'FAILED: the file is outside the tenant recordings directory');
  assert.ok(existsSync(truncated.filePath), 'a failed raw file is kept for inspection');
  assert.ok(existsSync('/etc/passwd'));

  // The worker survived all of it, and the same job again changes nothing.
  await h.queues.enqueue(
    'recordingProcess',
    { tenantId: tenant.id, callUuid: 'call-good', filePath: good.filePath },
    'rec-good-again',
  );
  const again = () => h.queues.queue('recordingProcess').getJob('rec-good-again');
  await waitFor('the repeat to finish', async () => (await again())?.finishedOn !== undefined, t.signal);
  assert.deepEqual((await again())?.returnvalue, { outcome: 'skipped', reason: 'already ready' });
});
