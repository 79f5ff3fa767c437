// claimVoicemailEmail, one statement: every verdict, and two jobs racing for one message (only one may send).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { VoicemailBox } from '@pbx/db';
import { createVoicemailBox } from '../src/voicemail/create-voicemail-box.js';
import { claimVoicemailEmail, type ClaimInput } from '../src/voicemail-email/claim-voicemail-email.js';
import { domainHarness } from './harness.js';

const h = await domainHarness();
const LEASE = 60_000;

void describe('claiming a voicemail e-mail', () => {
  let tenant: { id: string; domain: string };
  let other: { id: string; domain: string };
  let box: VoicemailBox;
  let noAddress: VoicemailBox;
  let n = 0;

  before(async () => {
    tenant = await h.createTenant(h.platform, { name: 'Claim', domain: 'claim.domain.test' });
    other = await h.createTenant(h.platform, { name: 'Other', domain: 'claim-other.domain.test' });
    box = await createVoicemailBox(h.tenantCtx(tenant), {
      number: '811',
      name: 'Mailed',
      pin: '1234',
      email: 'owner@example.com',
    });
    noAddress = await createVoicemailBox(h.tenantCtx(tenant), { number: '812', name: 'Quiet', pin: '1234' });
  });

  const message = (boxId = box.id, data: { emailGeneration?: number } = {}) =>
    h.prisma.voicemailMessage.create({
      data: {
        tenantId: tenant.id,
        boxId,
        callUuid: `claim-${++n}`,
        callerIdName: 'Bob',
        callerIdNumber: '+442071838750',
        durationSec: 7,
        filePath: `/media/claim-${n}.wav`,
        emailState: 'PENDING',
        ...data,
      },
    });
  const claim = (m: { id: string }, jobId: string, over: Partial<ClaimInput> = {}) =>
    claimVoicemailEmail(h.platform, {
      tenantId: tenant.id,
      messageId: m.id,
      jobId,
      generation: 0,
      leaseMs: LEASE,
      now: new Date(),
      ...over,
    });
  const row = (m: { id: string }) => h.prisma.voicemailMessage.findUniqueOrThrow({ where: { id: m.id } });

  test('a PENDING message is claimed: SENDING under the job, one attempt, with what the e-mail needs', async () => {
    const m = await message();
    const now = new Date();
    const got = await claim(m, 'job-a', { now });
    assert.equal(got.kind, 'send');
    if (got.kind !== 'send') return;
    assert.equal(got.reclaimed, false);
    assert.deepEqual(
      [got.message.id, got.message.callerIdName, got.message.durationSec, got.message.filePath],
      [m.id, 'Bob', 7, m.filePath],
    );
    assert.equal(got.message.createdAt.getTime(), m.createdAt.getTime());
    assert.equal(got.message.emailAttempts, 1);
    assert.deepEqual(got.box, {
      id: box.id,
      number: '811',
      name: 'Mailed',
      email: 'owner@example.com',
      attachAudio: true,
    });
    assert.deepEqual(got.tenant, {
      id: tenant.id,
      name: 'Claim',
      domain: 'claim.domain.test',
      timeZone: 'UTC',
      emailFrom: null,
    });
    const stored = await row(m);
    assert.deepEqual(
      [stored.emailState, stored.emailJobId, stored.emailAttempts, stored.emailedAt?.getTime()],
      ['SENDING', 'job-a', 1, now.getTime()],
    );
  });

  test('another job backs off while the claim is young, takes over after the lease; the same job resumes', async () => {
    const m = await message();
    const t0 = new Date();
    assert.equal((await claim(m, 'job-a', { now: t0 })).kind, 'send');
    assert.deepEqual(await claim(m, 'job-b', { now: new Date(t0.getTime() + LEASE - 1) }), {
      kind: 'busy',
      heldBy: 'job-a',
    });
    const again = await claim(m, 'job-a', { now: new Date(t0.getTime() + 1) });
    assert.ok(again.kind === 'send' && again.reclaimed && again.message.emailAttempts === 2);
    const taken = await claim(m, 'job-b', { now: new Date(t0.getTime() + 1 + LEASE + 1) });
    assert.ok(taken.kind === 'send' && !taken.reclaimed);
    assert.equal((await row(m)).emailJobId, 'job-b');
  });

  test('SENT, FAILED, an older generation, another tenant and a missing row are skipped, unchanged', async () => {
    const sent = await message();
    await h.prisma.voicemailMessage.update({ where: { id: sent.id }, data: { emailState: 'SENT' } });
    assert.deepEqual(await claim(sent, 'j'), { kind: 'skip', reason: 'sent' });
    const failed = await message();
    await h.prisma.voicemailMessage.update({ where: { id: failed.id }, data: { emailState: 'FAILED' } });
    assert.deepEqual(await claim(failed, 'j'), { kind: 'skip', reason: 'failed' });
    const resent = await message(box.id, { emailGeneration: 2 });
    assert.deepEqual(await claim(resent, 'j', { generation: 1 }), {
      kind: 'skip',
      reason: 'stale-generation',
    });
    assert.deepEqual(await claim(resent, 'j', { tenantId: other.id }), { kind: 'skip', reason: 'gone' });
    assert.deepEqual(await claim({ id: crypto.randomUUID() }, 'j'), { kind: 'skip', reason: 'gone' });
    for (const m of [sent, failed, resent]) {
      const stored = await row(m);
      assert.deepEqual([stored.emailJobId, stored.emailAttempts], [null, 0]);
    }
  });

  test('a box without an address: NOT_REQUIRED, nothing to send', async () => {
    const m = await message(noAddress.id);
    assert.deepEqual(await claim(m, 'j'), { kind: 'skip', reason: 'no-address' });
    const stored = await row(m);
    assert.deepEqual([stored.emailState, stored.emailJobId, stored.emailAttempts], ['NOT_REQUIRED', null, 0]);
  });

  test('jobs racing for one message: exactly one sends, the others back off', async () => {
    for (let round = 0; round < 5; round++) {
      const m = await message();
      const results = await Promise.all(['r1', 'r2', 'r3'].map((job) => claim(m, job)));
      const senders = results.filter((r) => r.kind === 'send');
      assert.equal(senders.length, 1, JSON.stringify(results));
      assert.equal(results.filter((r) => r.kind === 'busy').length, 2);
      assert.equal((await row(m)).emailAttempts, 1);
    }
  });
});
