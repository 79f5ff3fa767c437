// The worker's two throughputs, each with the worker's own concurrency and against a baseline measured in the same
// run on the same input:
// - voicemail e-mails per second to a local SMTP sink (smtp-server, in a process of its own), 30-second WAV
//   attachments; baseline: the same messages sent with nodemailer alone (same pool size), no database, no claim;
// - recording audio processed per wall-clock second (check, MP3, verify, READY, raw deleted); baseline: the bare
//   ffmpeg encode of the same files at the same concurrency.
// Targets (issue #13): 100 e-mails/s; one hour of audio in under 10 s on the 2-core machine.
//   node --import tsx apps/worker/bench/worker.bench.ts [emails] [recordings of 5 min] [SMTP_POOL_SIZE]
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb } from '@pbx/db';
import { createJobQueues, createJobsConnection, jobs, voicemailEmailJobId } from '@pbx/jobs';
import { mediaLayout } from '@pbx/media';
import { TEST_REDIS_URL, testRedisPrefix, waitFor } from '@pbx/testing';
import { createTransport } from 'nodemailer';
import { buildWorker } from '../src/app.js';
import { loadWorkerConfig, smtpPoolSize } from '../src/config.js';
import { encodeMp3 } from '../src/recordings/audio-tools.js';
import { makeWav } from '../test/support/audio.js';
import { createBenchDatabase } from '@pbx/testing/bench-database';
import { startSinkProcess } from './smtp-sink-process.js';

const EMAILS = Number(process.argv[2] ?? 300);
const RECORDINGS = Number(process.argv[3] ?? 12);
const RECORDING_SEC = 300;
// Optional: an SMTP_POOL_SIZE other than the default, for both the worker and the baseline.
const POOL = process.argv[4];

async function main(): Promise<void> {
  const database = await createBenchDatabase('workerbench');
  const db = createDb({ databaseUrl: database.url, poolSize: 20 });
  const connection = createJobsConnection(TEST_REDIS_URL);
  const prefix = testRedisPrefix();
  const queues = createJobQueues({ connection, prefix });
  const dir = await mkdtemp(join(tmpdir(), 'pbx-worker-bench-'));
  // The sink runs in a process of its own (the mail server is another machine): only the sender is measured.
  const sink = await startSinkProcess();
  try {
    const config = loadWorkerConfig({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      RECORDINGS_DIR: dir,
      MEDIA_DIR: dir,
      // Not the default /var/lib/pbx/storage: every run would leave its 300 copies there.
      STORAGE_DIR: join(dir, 'storage'),
      SMTP_URL: sink.url,
      MAIL_FROM: 'voicemail@bench.example',
      ...(POOL ? { SMTP_POOL_SIZE: POOL } : {}),
    });
    const prisma = db.prisma;

    // --- e-mails
    const tenant = await prisma.tenant.create({ data: { name: 'Bench', domain: 'bench.example' } });
    const box = await prisma.voicemailBox.create({
      data: {
        tenantId: tenant.id,
        number: '1001',
        name: 'Alice',
        pinHash: 'x',
        email: 'alice@bench.example',
      },
    });
    const audio = join(dir, 'vm.wav');
    await makeWav(audio, 30);
    const ids: string[] = [];
    for (let i = 0; i < EMAILS; i++) {
      const id = crypto.randomUUID();
      const path = mediaLayout(dir).voicemailMessage(tenant.id, box.id, id);
      await mkdir(join(path, '..'), { recursive: true });
      await copyFile(audio, path);
      ids.push(id);
      await prisma.voicemailMessage.create({
        data: {
          id,
          tenantId: tenant.id,
          boxId: box.id,
          callUuid: `bench-${i}`,
          callerIdNumber: '+442071838750',
          durationSec: 30,
          filePath: path,
          sizeBytes: 480_044,
          emailState: 'PENDING',
        },
      });
    }
    const attachment = await readFile(audio);
    const transport = createTransport({
      url: sink.url,
      pool: true,
      maxConnections: smtpPoolSize(config),
    });
    // CPU time of this process (the sink's is its own): per e-mail, less sensitive to other load than the rate.
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    let cpu0 = process.cpuUsage();
    let t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: config.EMAIL_CONCURRENCY }, async () => {
        for (let i = next++; i < EMAILS; i = next++)
          await transport.sendMail({
            from: 'voicemail@bench.example',
            to: 'alice@bench.example',
            subject: `Voicemail ${i}`,
            text: 'A new voicemail.',
            html: '<p>A new voicemail.</p>',
            attachments: [{ filename: 'voicemail.wav', content: attachment }],
          });
      }),
    );
    const rawRate = EMAILS / ((performance.now() - t0) / 1000);
    const rawCpu = cpuMs(cpu0) / EMAILS;
    transport.close();

    const app = await buildWorker({ config, prisma, connection });
    // Done when the worker has completed a send job per message (it records SENT before the job completes), told
    // by the worker's own events: polling the database meanwhile would add its queries to the measured CPU time.
    let sent = 0;
    const allSent = new Promise<void>((resolve) => {
      for (const w of app.workers)
        w.on('completed', (job) => {
          if (job.name === jobs.voicemailEmail.name && ++sent === EMAILS) resolve();
        });
    });
    cpu0 = process.cpuUsage();
    t0 = performance.now();
    for (const id of ids)
      await queues.enqueue('voicemailEmail', { tenantId: tenant.id, messageId: id }, voicemailEmailJobId(id));
    await allSent;
    // The store jobs the outbox offered are part of the work (they usually finish first: enqueued first).
    await waitFor(
      'every message stored',
      async () => (await prisma.voicemailMessage.count({ where: { storedAt: { not: null } } })) === EMAILS,
      undefined,
      20,
    );
    const rate = EMAILS / ((performance.now() - t0) / 1000);
    const cpu = cpuMs(cpu0) / EMAILS;
    const sentRows = await prisma.voicemailMessage.count({ where: { emailState: 'SENT' } });
    if (sentRows !== EMAILS)
      throw new Error(`${sentRows} of ${EMAILS} messages SENT after every send job completed`);
    console.log(
      `voicemail e-mails (${EMAILS}, 30 s WAV attached, EMAIL_CONCURRENCY ${config.EMAIL_CONCURRENCY}, ` +
        `SMTP_POOL_SIZE ${smtpPoolSize(config)}): ` +
        `${rate.toFixed(1)}/s; nodemailer alone ${rawRate.toFixed(1)}/s; ratio ${(rate / rawRate).toFixed(2)}; ` +
        `target 100/s ${rate >= 100 ? 'met' : 'NOT met'}; CPU per e-mail ${cpu.toFixed(1)} ms ` +
        `(nodemailer alone ${rawCpu.toFixed(1)} ms)`,
    );

    // --- recordings
    const recDir = join(dir, tenant.id);
    await mkdir(recDir, { recursive: true });
    const source = join(dir, 'rec.wav');
    await makeWav(source, RECORDING_SEC);
    const raws: string[] = [];
    for (let i = 0; i < RECORDINGS; i++) {
      const path = join(recDir, `call-${i}.wav`);
      await copyFile(source, path);
      raws.push(path);
    }
    const audioSec = RECORDINGS * RECORDING_SEC;
    t0 = performance.now();
    next = 0;
    await Promise.all(
      Array.from({ length: config.RECORDING_CONCURRENCY }, async () => {
        for (let i = next++; i < RECORDINGS; i = next++)
          await encodeMp3(raws[i] ?? '', join(dir, `base-${i}.mp3`));
      }),
    );
    const rawAudioRate = audioSec / ((performance.now() - t0) / 1000);
    t0 = performance.now();
    for (let i = 0; i < RECORDINGS; i++) {
      const callUuid = `call-${i}`;
      const filePath = raws[i] ?? '';
      await prisma.callRecording.create({
        data: { tenantId: tenant.id, callUuid, filePath, state: 'PROCESSING' },
      });
      await queues.enqueue('recordingProcess', { tenantId: tenant.id, callUuid, filePath }, `bench-rec-${i}`);
    }
    await waitFor(
      'every recording READY',
      async () => (await prisma.callRecording.count({ where: { state: 'READY' } })) === RECORDINGS,
      undefined,
      20,
    );
    const seconds = (performance.now() - t0) / 1000;
    const audioRate = audioSec / seconds;
    console.log(
      `recordings (${RECORDINGS} × ${RECORDING_SEC / 60} min, RECORDING_CONCURRENCY ${config.RECORDING_CONCURRENCY}): ` +
        `${audioRate.toFixed(0)} s of audio per second (one hour in ${(3600 / audioRate).toFixed(1)} s); ` +
        `bare ffmpeg ${rawAudioRate.toFixed(0)} s/s; ratio ${(audioRate / rawAudioRate).toFixed(2)}; ` +
        `target one hour < 10 s ${3600 / audioRate < 10 ? 'met' : 'NOT met'}`,
    );
    await app.close();
  } finally {
    await sink.close();
    await queues.close();
    connection.disconnect();
    await db.close();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
