// Checking voicemail by phone over the outbound socket against the double: the right PIN with the message menu
// (envelope in the tenant's time zone, delete, keep), greetings and PIN changed by phone, wrong PINs locking the box
// across calls until the (injected) clock passes the lock, and boxes of another tenant refused.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { access, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { before, describe, test } from 'node:test';
import type { VoicemailBox } from '@pbx/db';
import { PIN_LOCK_MS, verifyVoicemailPin, voicemailPhoneActor } from '@pbx/domain';
import type { DoubleCall, PlaceCallOptions } from '@pbx/freeswitch-double';
import { mediaRefillMessageJobId } from '@pbx/jobs';
import { digestFile, storageKeys, type ObjectStorage } from '@pbx/storage';
import { waitFor } from '@pbx/testing';
import { voicemailHarness } from './voicemail-harness.js';

const h = await voicemailHarness();

void describe('checking voicemail by phone', () => {
  let a: { id: string; domain: string };
  let b: { id: string; domain: string };
  let box: VoicemailBox;
  let foreign: VoicemailBox;
  const check = (boxId: string | undefined, tenantId = a.id, says?: PlaceCallOptions['says']) =>
    h.place(
      {
        pbx_tenant_id: tenantId,
        pbx_vm_action: boxId ? 'check' : 'check_any',
        ...(boxId ? { pbx_vm_box_id: boxId } : {}),
        pbx_extension: '1002',
      },
      says ? { says } : {},
    );
  const say = async (call: DoubleCall, prompt: string, keys: string, signal?: AbortSignal) => {
    await h.at(call, prompt, signal);
    await call.press(keys, 0);
  };
  const message = async (createdAt: Date, callerIdNumber: string) => {
    const id = randomUUID();
    const filePath = h.deps.media.voicemailMessage(a.id, box.id, id);
    await mkdir(dirname(filePath), { recursive: true });
    await writeFile(filePath, 'RIFF');
    return h.prisma.voicemailMessage.create({
      data: {
        id,
        tenantId: a.id,
        boxId: box.id,
        callUuid: id,
        callerIdNumber,
        durationSec: 3,
        filePath,
        createdAt,
      },
    });
  };

  before(async () => {
    a = await h.createTenant('vmc');
    b = await h.createTenant('vmd');
    await h.prisma.tenant.update({ where: { id: a.id }, data: { timeZone: 'America/New_York' } });
    box = await h.createBox(a, '1002');
    foreign = await h.createBox(b, '2002');
  });

  test('right PIN: counts, each message with its envelope, delete and keep', async (t) => {
    const first = await message(new Date('2026-12-01T15:05:00Z'), '+15551234');
    const second = await message(new Date('2026-12-02T15:05:00Z'), '');
    // The first is stored too: deleting it by phone removes that copy as well.
    const firstKey = storageKeys.voicemailMessage(a.id, box.id, first.id);
    await h.deps.storage.putFile(firstKey, first.filePath, 'audio/wav');
    const call = check(box.id);
    await say(call, 'vm-enter-pin', '1234#', t.signal);
    await h.at(call, 'vm-you-have', t.signal);
    assert.match(
      call.channel.vars.get('current_application_data') ?? '',
      /num-2\.wav![^!]*vm-new-messages\.wav/,
    );
    await say(call, 'vm-main-menu', '1', t.signal);
    await h.at(call, first.filePath, t.signal);
    // Tuesday December 1, 10:05 AM in New York, from 5551234.
    const p = (n: string) => h.deps.media.prompt(n as 'goodbye');
    const envelope = [
      'vm-message-from',
      'num-1',
      'num-5',
      'num-5',
      'num-5',
      'num-1',
      'num-2',
      'num-3',
      'num-4',
    ]
      .concat([
        'vm-received',
        'weekday-2',
        'month-12',
        'num-1',
        'time-at',
        'num-10',
        'num-0',
        'num-5',
        'time-am',
      ])
      .map(p)
      .join('!');
    assert.ok(call.channel.vars.get('current_application_data')?.includes(`${envelope}!${first.filePath}`));
    await call.press('7', 0);
    await say(call, second.filePath, '2', t.signal);
    assert.ok(call.channel.vars.get('current_application_data')?.includes(p('vm-unknown-caller')));
    await h.at(call, 'vm-no-more-messages', t.signal);
    await say(call, 'vm-main-menu', '*', t.signal);
    await call.ended;
    assert.equal(await h.prisma.voicemailMessage.count({ where: { id: first.id } }), 0);
    await assert.rejects(access(first.filePath));
    assert.equal(await h.deps.storage.head(firstKey), null);
    const kept = await h.prisma.voicemailMessage.findUniqueOrThrow({ where: { id: second.id } });
    assert.ok(kept.readAt);
    assert.deepEqual(
      h.changes.filter((c) => c.boxId === box.id).length >= 2,
      true,
      'a VoicemailChanged per change for MWI',
    );
    assert.deepEqual(h.logs.error, []);
  });

  test('a message whose file is gone from the volume: the worker is asked to put it back, for this tenant', async (t) => {
    const present = await message(new Date('2026-12-03T15:05:00Z'), '+15550001');
    const lost = await message(new Date('2026-12-03T16:05:00Z'), '+15550002');
    await rm(lost.filePath);
    const call = check(box.id);
    await say(call, 'vm-enter-pin', '1234#', t.signal);
    await say(call, 'vm-main-menu', '1', t.signal);
    await say(call, present.filePath, '7', t.signal);
    await say(call, lost.filePath, '7', t.signal);
    await h.at(call, 'vm-no-more-messages', t.signal);
    await say(call, 'vm-main-menu', '*', t.signal);
    await call.ended;
    const refills = h.queues.queue('mediaRefill');
    await waitFor(
      'the refill job',
      async () => (await refills.getJob(mediaRefillMessageJobId(lost.id))) !== undefined,
      t.signal,
    );
    assert.deepEqual((await refills.getJob(mediaRefillMessageJobId(lost.id)))?.data, {
      message: { tenantId: a.id, messageId: lost.id },
    });
    assert.equal(
      await refills.getJob(mediaRefillMessageJobId(present.id)),
      undefined,
      'a file that is there asks nothing',
    );
    assert.deepEqual(h.logs.warn, []);
  });

  test('greetings and PIN changed by phone', async (t) => {
    const call = check(box.id, a.id, [{ ms: 3000, then: { press: '#' } }]);
    await say(call, 'vm-enter-pin', '1234#', t.signal);
    await say(call, 'vm-main-menu', '0', t.signal);
    await say(call, 'vm-options-menu', '1', t.signal);
    await h.at(call, 'vm-greeting-saved', t.signal);
    await say(call, 'vm-options-menu', '4', t.signal);
    await say(call, 'vm-enter-new-pin', '5678#', t.signal);
    await h.at(call, 'vm-pin-changed', t.signal);
    await say(call, 'vm-options-menu', '*', t.signal);
    await say(call, 'vm-main-menu', '*', t.signal);
    await call.ended;
    // Stored as an uploaded greeting is: the verified copy in the storage, the greeting time, an audited write.
    const greeting = h.deps.media.boxGreeting(a.id, box.id, 'unavailable');
    assert.ok((await stat(greeting)).size > 0);
    const copy = await h.deps.storage.head(storageKeys.greeting(a.id, `vm-${box.id}-unavailable.wav`));
    assert.equal(copy?.sha256, (await digestFile(greeting)).sha256, 'the stored copy is the recording');
    const row = await h.prisma.voicemailBox.findUniqueOrThrow({ where: { id: box.id } });
    assert.ok(row.greetingUnavailableAt, 'the greeting time is set');
    const audit = await h.prisma.auditLog.findFirstOrThrow({
      where: { tenantId: a.id, entityId: box.id, action: 'voicemail-box.greeting.store' },
    });
    assert.deepEqual(audit.after, {
      greeting: 'unavailable',
      updatedAt: row.greetingUnavailableAt.toISOString(),
      source: 'phone',
      durationSec: 3,
    });
    assert.deepEqual(await readdir(dirname(greeting)), [`vm-${box.id}-unavailable.wav`], 'no recording left');
    const ctx = { db: h.prisma, notify: h.deps.notify, tenantId: a.id, domain: a.domain };
    const actor = voicemailPhoneActor(a.id, { number: '1002' }, 'voicemail menu');
    assert.equal((await verifyVoicemailPin({ ...ctx, actor }, { id: box.id }, '5678', new Date())).ok, true);
    await h.prisma.voicemailBox.update({
      where: { id: box.id },
      data: {
        pinHash: (await h.prisma.voicemailBox.findUniqueOrThrow({ where: { id: foreign.id } })).pinHash,
      },
    });
    assert.deepEqual(h.logs.error, []);
  });

  test('a greeting recorded while the storage is down is not saved: the caller is told, nothing changes', async (t) => {
    const up = h.deps.storage;
    const down: ObjectStorage = {
      description: 'a storage that is down',
      putFile: () => Promise.reject(new Error('connect ECONNREFUSED')),
      head: (k) => up.head(k),
      get: (k) => up.get(k),
      delete: (k) => up.delete(k),
      list: (p) => up.list(p),
      deletePrefix: (p) => up.deletePrefix(p),
      close: () => undefined,
    };
    h.deps.storage = down;
    t.after(() => {
      h.deps.storage = up;
    });
    const errors = h.logs.error.length;
    const before = await h.prisma.voicemailBox.findUniqueOrThrow({ where: { id: box.id } });
    const call = check(box.id, a.id, [{ ms: 2000, then: { press: '#' } }]);
    await say(call, 'vm-enter-pin', '1234#', t.signal);
    await say(call, 'vm-main-menu', '0', t.signal);
    await say(call, 'vm-options-menu', '2', t.signal);
    await h.at(call, 'ivr-invalid', t.signal);
    await say(call, 'vm-options-menu', '*', t.signal);
    await say(call, 'vm-main-menu', '*', t.signal);
    await call.ended;
    const busy = h.deps.media.boxGreeting(a.id, box.id, 'busy');
    await assert.rejects(stat(busy), { code: 'ENOENT' });
    assert.equal(await up.head(storageKeys.greeting(a.id, `vm-${box.id}-busy.wav`)), null);
    const after = await h.prisma.voicemailBox.findUniqueOrThrow({ where: { id: box.id } });
    assert.equal(after.greetingBusyAt, before.greetingBusyAt);
    assert.ok(!(await readdir(dirname(busy))).some((f) => f.includes('busy')), 'the recording is removed');
    // Taken out of the log: the later tests check that nothing else was logged as an error.
    assert.deepEqual(
      h.logs.error.splice(errors).map((l) => l.split(' {')[0]),
      ['voicemail: the greeting recorded by phone was not stored'],
    );
  });

  test('wrong PINs lock the box across calls; the lock ends when the clock passes it', async (t) => {
    const wrong = async (call: DoubleCall, times: number) => {
      for (let i = 0; i < times; i++) {
        await say(call, 'vm-enter-pin', '9999#', t.signal);
        if (i < times - 1) await h.at(call, 'vm-login-incorrect', t.signal);
      }
    };
    const first = check(box.id);
    await wrong(first, 3);
    await h.at(first, 'goodbye', t.signal);
    await first.ended;
    const second = check(box.id);
    await wrong(second, 2);
    await h.at(second, 'vm-locked', t.signal);
    await second.ended;
    const locked = check(box.id);
    await say(locked, 'vm-enter-pin', '1234#', t.signal);
    await h.at(locked, 'vm-locked', t.signal);
    await locked.ended;
    h.clock.offsetMs = PIN_LOCK_MS;
    t.after(() => (h.clock.offsetMs = 0));
    const later = check(box.id);
    await say(later, 'vm-enter-pin', '1234#', t.signal);
    await h.at(later, 'vm-you-have', t.signal);
    later.hangup();
    await later.ended;
    assert.deepEqual(h.logs.error, [], 'a caller hanging up is not an error');
  });

  test('a box of another tenant is refused whatever the PIN, by id or by number', async (t) => {
    const byId = check(foreign.id);
    await say(byId, 'vm-enter-pin', '1234#', t.signal);
    await h.at(byId, 'vm-login-incorrect', t.signal);
    byId.hangup();
    await byId.ended;
    const byNumber = check(undefined);
    await say(byNumber, 'vm-enter-box', '2002#', t.signal);
    await say(byNumber, 'vm-enter-pin', '1234#', t.signal);
    await h.at(byNumber, 'vm-login-incorrect', t.signal);
    // The same call then reaches its own tenant's box by number.
    await say(byNumber, 'vm-enter-box', '1002#', t.signal);
    await say(byNumber, 'vm-enter-pin', '1234#', t.signal);
    await h.at(byNumber, 'vm-you-have', t.signal);
    byNumber.hangup();
    await byNumber.ended;
    const row = await h.prisma.voicemailBox.findUniqueOrThrow({ where: { id: foreign.id } });
    assert.deepEqual([row.pinFailedAttempts, row.pinLockedUntil], [0, null]);
  });
});
