import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { voicemailEmailJobId } from '@pbx/jobs';
import { TEST_REDIS_URL, waitFor } from '@pbx/testing';
import { voicemailMessage, voicemailTenant } from './support/fixtures.js';
import { harness } from './support/harness.js';
import { SmtpSink } from './support/smtp-sink.js';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

test('a worker SIGKILLed mid-send: the job is handed to the next worker, one e-mail arrives, the audio is deleted only after it', async (t) => {
  const h = await harness();
  // The first DATA is held unanswered until the worker that sent it is dead, then refused: the server never
  // accepted that copy. Every later one is accepted.
  let held: ((raw: Buffer) => void) | null = null;
  let refuse: ((error: Error) => void) | null = null;
  const firstData = new Promise<Buffer>((resolve) => (held = resolve));
  const sink = await SmtpSink.start({
    beforeAccept: (raw) => {
      if (!held) return Promise.resolve();
      held(raw);
      held = null;
      return new Promise<void>((_resolve, reject) => (refuse = reject));
    },
  });
  after(() => sink.close());

  const children: ChildProcess[] = [];
  after(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));
  const startChild = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: h.dbUrl,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: h.prefix,
        SMTP_URL: sink.url,
        RECORDINGS_DIR: h.mediaDir,
        // Short enough that the dead worker's job is handed over within seconds, long enough that a living
        // worker on a loaded machine renews its lock in time (3 s lapsed on CI at load 23: the job ran twice).
        JOB_LOCK_MS: '10000',
        WORKER_METRICS_PORT: '0',
        MAIL_FROM: 'voicemail@pbx.example.test',
      },
      stdio: 'ignore',
    });
    children.push(child);
    return child;
  };

  const owner = await voicemailTenant(h.prisma, {
    domain: 'killed.pbx.test',
    email: 'alice@example.test',
    deleteAfterEmail: true,
  });
  const msg = await voicemailMessage(h.prisma, h.mediaDir, owner, { seconds: 2, callUuid: 'call-killed' });
  await h.queues.enqueue(
    'voicemailEmail',
    { tenantId: msg.tenantId, messageId: msg.id },
    voicemailEmailJobId(msg.id),
  );

  const first = startChild();
  const raw = await firstData;
  assert.ok(raw.includes(`vm-${msg.id}-0@`), 'the first worker was sending this message');
  first.kill('SIGKILL');
  await once(first, 'exit');
  (refuse as ((error: Error) => void) | null)?.(new Error('sender gone'));

  const midway = await h.prisma.voicemailMessage.findUniqueOrThrow({ where: { id: msg.id } });
  assert.equal(midway.emailState, 'SENDING', 'the dead worker left its claim');
  assert.ok(existsSync(msg.filePath), 'nothing was deleted before the server accepted');
  assert.equal(sink.accepted, 0);

  startChild();
  await waitFor(
    'the message deleted after its e-mail was accepted',
    async () =>
      (await h.prisma.voicemailMessage.count({ where: { id: msg.id } })) === 0 && !existsSync(msg.filePath),
    t.signal,
    50,
  );
  assert.equal(sink.accepted, 1, 'exactly one e-mail accepted');
  assert.equal(sink.received[0]?.mail.messageId, `<vm-${msg.id}-0@pbx.example.test>`);
  assert.equal(sink.received[0]?.mail.attachments.length, 1);
  assert.equal(
    await h.prisma.auditLog.count({ where: { action: 'voicemail-message.email-sent', entityId: msg.id } }),
    1,
  );
  const job = await h.queues.queue('voicemailEmail').getJob(voicemailEmailJobId(msg.id));
  assert.equal(await job?.getState(), 'completed');
});
