// Voicemail by phone: deposits (idempotent, box full, e-mail job, MWI), PIN checks with a lock that expires on the
// caller's clock, and the mailbox operations that need a verified PIN.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { VoicemailBox } from '@pbx/db';
import { storageKeys } from '@pbx/storage';
import { createVoicemailBox } from '../src/voicemail/create-voicemail-box.js';
import {
  PIN_LOCK_MS,
  PIN_MAX_FAILURES,
  changePinByPhone,
  deleteMessageByPhone,
  depositVoicemailMessage,
  listMailboxForPhone,
  markHeardByPhone,
  verifyVoicemailPin,
  voicemailPhoneActor,
  type MailboxAccess,
} from '../src/voicemail/phone/index.js';
import { domainHarness } from './harness.js';

const h = await domainHarness();
const dir = await mkdtemp(join(tmpdir(), 'vm-phone-'));

void describe('voicemail by phone', () => {
  let tenant: { id: string; domain: string };
  let other: { id: string; domain: string };
  let box: VoicemailBox;
  const jobs: { payload: { tenantId: string; messageId: string }; jobId: string }[] = [];
  const enqueue = (payload: { tenantId: string; messageId: string }, jobId: string) => {
    jobs.push({ payload, jobId });
    return Promise.resolve();
  };
  const phone = (t = tenant) =>
    h.tenantCtx(t, voicemailPhoneActor(t.id, { number: '+441234567890' }, 'voicemail deposit'));
  const deposit = async (callUuid: string, t = tenant, boxId = box.id) => {
    const messageId = randomUUID();
    const filePath = join(dir, `${messageId}.wav`);
    await writeFile(filePath, 'audio');
    return depositVoicemailMessage(
      phone(t),
      {
        boxId,
        messageId,
        callUuid,
        callerIdName: 'Alice',
        callerIdNumber: '+441234567890',
        durationSec: 4,
        filePath,
        sizeBytes: 5,
        format: 'wav',
        receivedAt: new Date(),
      },
      enqueue,
    );
  };

  before(async () => {
    tenant = await h.createTenant(h.platform, { name: 'Vp', domain: 'vp.domain.test' });
    other = await h.createTenant(h.platform, { name: 'Vo', domain: 'vo.domain.test' });
    box = await createVoicemailBox(h.tenantCtx(tenant), {
      number: '801',
      name: 'Box',
      pin: '1234',
      email: 'box@example.com',
      maxMessages: 2,
    });
  });

  test('a deposit is saved once per call, enqueues its e-mail under one job id and announces the box', async () => {
    h.notifications.length = 0;
    const first = await deposit('call-1');
    assert.equal(first.kind, 'saved');
    const again = await deposit('call-1');
    assert.equal(again.kind, 'duplicate');
    assert.ok(first.kind === 'saved' && again.kind === 'duplicate');
    assert.equal(again.message.id, first.message.id);
    assert.equal(first.message.emailState, 'PENDING');
    assert.deepEqual(
      jobs.map((j) => j.jobId),
      [`vm_${first.message.id}_g0`, `vm_${first.message.id}_g0`],
    );
    assert.deepEqual(h.notifications, [
      { kind: 'voicemail', change: { tenantId: tenant.id, boxId: box.id } },
    ]);
  });

  test('a full box refuses the deposit; another tenant cannot deposit into this box', async () => {
    assert.equal((await deposit('call-2')).kind, 'saved');
    assert.equal((await deposit('call-3')).kind, 'full');
    await assert.rejects(deposit('call-4', other), /voicemail box not found/);
    assert.equal(await h.prisma.voicemailMessage.count({ where: { boxId: box.id } }), 2);
  });

  test('wrong PINs lock the box after the limit; the lock expires on the given clock', async () => {
    const t0 = new Date('2026-12-04T10:00:00Z');
    for (let i = 1; i < PIN_MAX_FAILURES; i++)
      assert.deepEqual(await verifyVoicemailPin(phone(), { id: box.id }, '9999', t0), {
        ok: false,
        reason: 'invalid',
      });
    const locked = await verifyVoicemailPin(phone(), { number: '801' }, '9999', t0);
    assert.equal(locked.ok === false && locked.reason, 'locked');
    // Even the right PIN is refused while locked.
    const during = await verifyVoicemailPin(
      phone(),
      { id: box.id },
      '1234',
      new Date(t0.getTime() + PIN_LOCK_MS - 1),
    );
    assert.equal(during.ok === false && during.reason, 'locked');
    const afterLock = await verifyVoicemailPin(
      phone(),
      { id: box.id },
      '1234',
      new Date(t0.getTime() + PIN_LOCK_MS),
    );
    assert.equal(afterLock.ok, true);
    const row = await h.prisma.voicemailBox.findUniqueOrThrow({ where: { id: box.id } });
    assert.deepEqual([row.pinFailedAttempts, row.pinLockedUntil], [0, null]);
    // The box of another tenant is unknown here: answered like a wrong PIN.
    assert.deepEqual(await verifyVoicemailPin(phone(other), { id: box.id }, '1234', t0), {
      ok: false,
      reason: 'invalid',
    });
  });

  test('mailbox operations need a verified PIN of the same tenant', async () => {
    const forged = Object.freeze({ tenantId: tenant.id, boxId: box.id, boxNumber: '801' }) as MailboxAccess;
    await assert.rejects(listMailboxForPhone(phone(), forged), /not granted/);
    const check = await verifyVoicemailPin(phone(), { id: box.id }, '1234', new Date());
    assert.ok(check.ok);
    await assert.rejects(listMailboxForPhone(phone(other), check.access), /not granted/);
    const { newMessages } = await listMailboxForPhone(phone(), check.access);
    assert.equal(newMessages.length, 2);
    const [a, b] = newMessages;
    assert.ok(a && b);
    await markHeardByPhone(phone(), check.access, a.id, new Date());
    const after = await listMailboxForPhone(phone(), check.access);
    assert.deepEqual(
      [after.newMessages.map((m) => m.id), after.savedMessages.map((m) => m.id)],
      [[b.id], [a.id]],
    );
    // Both stored: a delete by phone removes the stored copy as well.
    const keyOf = (m: { id: string }) => storageKeys.voicemailMessage(tenant.id, box.id, m.id);
    for (const m of [a, b]) await h.storage.putFile(keyOf(m), m.filePath, 'audio/wav');
    // The e-mail of `a` is still pending: its row and stored copy go, its audio stays for the job.
    assert.equal(
      await (
        await deleteMessageByPhone(phone(), check.access, a.id, h.storage)
      ).audioRemoved,
      false,
    );
    assert.ok(await stat(a.filePath));
    assert.equal(await h.storage.head(keyOf(a)), null);
    await h.prisma.voicemailMessage.update({ where: { id: b.id }, data: { emailState: 'SENT' } });
    assert.equal(
      await (
        await deleteMessageByPhone(phone(), check.access, b.id, h.storage)
      ).audioRemoved,
      true,
    );
    await assert.rejects(stat(b.filePath), { code: 'ENOENT' });
    assert.equal(await h.storage.head(keyOf(b)), null);
    await changePinByPhone(phone(), check.access, '24680');
    assert.equal((await verifyVoicemailPin(phone(), { id: box.id }, '24680', new Date())).ok, true);
  });
});
