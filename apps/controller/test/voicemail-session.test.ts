// Voicemail over the outbound socket, end to end against the FreeSWITCH double over TCP: leaving messages
// (normal, too short, box full, hang-up mid-recording), checking them with right and wrong PINs, the lock and its
// expiry on an injected clock, and a box of another tenant refused.
// The job id the worker's outbox would use too (@pbx/jobs): one job per message, whoever enqueues it.
import { voicemailEmailJobId } from '@pbx/jobs';
import assert from 'node:assert/strict';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { before, describe, test } from 'node:test';
import type { VoicemailBox } from '@pbx/db';
import type { PlaceCallOptions } from '@pbx/freeswitch-double';
import { waitFor } from '@pbx/testing';
import { voicemailHarness } from './voicemail-harness.js';

const h = await voicemailHarness();

void describe('voicemail sessions', () => {
  let a: { id: string; domain: string };
  let b: { id: string; domain: string };
  let box: VoicemailBox;
  let foreign: VoicemailBox;
  const leave = (
    boxId: string,
    o: { tenantId?: string; vars?: Record<string, string>; says?: PlaceCallOptions['says'] } = {},
  ) =>
    h.place(
      { pbx_tenant_id: o.tenantId ?? a.id, pbx_vm_action: 'leave', pbx_vm_box_id: boxId, ...o.vars },
      { callerNumber: '+442071838750', ...(o.says ? { says: o.says } : {}) },
    );
  const messages = (boxId: string) => h.prisma.voicemailMessage.findMany({ where: { boxId } });

  before(async () => {
    a = await h.createTenant('vma');
    b = await h.createTenant('vmb');
    box = await h.createBox(a, '1002', { email: 'owner@example.com', maxMessages: 3 });
    foreign = await h.createBox(b, '2002');
  });

  test('a message is recorded after the default greeting, saved with its caller, e-mailed and announced', async (t) => {
    // The caller talks for 4 s and presses # (the double's recording time is virtual).
    const call = leave(box.id, { says: [{ ms: 4000, then: { press: '#' } }] });
    await call.ended;
    const [m] = await messages(box.id);
    assert.ok(m, 'no message saved');
    assert.equal(m.callerIdNumber, '+442071838750');
    assert.equal(m.callUuid, call.uuid);
    assert.equal(m.durationSec, 4);
    assert.equal(m.format, 'wav');
    assert.ok(m.sizeBytes > 44, `size ${m.sizeBytes}`);
    assert.equal((await stat(m.filePath)).size, m.sizeBytes);
    assert.equal(m.filePath, h.deps.media.voicemailMessage(a.id, box.id, m.id));
    const job = await h.queues.queue('voicemailEmail').getJob(voicemailEmailJobId(m.id));
    assert.deepEqual(job?.data, { tenantId: a.id, messageId: m.id, generation: 0 });
    await h.at(call, 'vm-message-saved', t.signal).catch(() => undefined);
    assert.deepEqual(h.changes.at(-1), { tenantId: a.id, boxId: box.id });
    assert.deepEqual(h.logs.error, []);
  });

  test('a message ended at once with # is too short: nothing saved, no file left', async () => {
    const before = (await messages(box.id)).length;
    const call = leave(box.id, { says: [{ ms: 100, then: { press: '#' } }] });
    await call.ended;
    assert.equal((await messages(box.id)).length, before);
    const files = await readdir(h.deps.media.voicemailDir(a.id, box.id));
    assert.equal(files.length, before);
  });

  test('a caller who hangs up mid-recording keeps what was recorded', async (t) => {
    const call = leave(box.id, { says: [{ ms: 2000, then: 'hangup' }] });
    await call.ended;
    await waitFor(
      'the message of the hung-up call',
      async () => (await messages(box.id)).some((m) => m.callUuid === call.uuid),
      t.signal,
    );
    const m = (await messages(box.id)).find((x) => x.callUuid === call.uuid);
    assert.ok(m && (await stat(m.filePath)).size === m.sizeBytes);
    assert.equal(m.durationSec, 2);
    assert.deepEqual(h.logs.error, []);
  });

  test('a full box tells the caller and records nothing', async (t) => {
    const held = (await messages(box.id)).length;
    await h.prisma.voicemailBox.update({ where: { id: box.id }, data: { maxMessages: held } });
    t.after(() => h.prisma.voicemailBox.update({ where: { id: box.id }, data: { maxMessages: 10 } }));
    const call = leave(box.id);
    await h.at(call, 'vm-box-full', t.signal);
    await call.ended;
    assert.equal((await messages(box.id)).length, held);
    assert.ok(!call.channel.vars.get('record_ms'), 'recorded although the box is full');
  });

  test("a full box with a fallback: the caller is told, then transferred (signed) to it through the tenant's dialplan", async (t) => {
    const held = (await messages(box.id)).length;
    const ext = await h.prisma.extension.create({
      data: { tenantId: a.id, number: '1009', displayName: 'Reception', sipA1Hash: '0'.repeat(32) },
    });
    await h.prisma.voicemailBox.update({
      where: { id: box.id },
      data: { maxMessages: held, fallbackDestType: 'EXTENSION', fallbackDestValue: ext.id },
    });
    t.after(() =>
      h.prisma.voicemailBox.update({
        where: { id: box.id },
        data: { maxMessages: 10, fallbackDestType: 'HANGUP', fallbackDestValue: null },
      }),
    );
    const call = leave(box.id);
    await h.at(call, 'vm-box-full', t.signal);
    const target = `pbx-go-EXTENSION-${ext.id}`;
    await h.at(call, `${target} XML ${a.domain}`, t.signal);
    await call.ended;
    assert.equal(call.channel.profile.destinationNumber, target);
    assert.equal(call.channel.vars.get('pbx_vm_fallback'), 'taken');
    const token = call.channel.vars.get('pbx_transfer_token');
    assert.ok(h.deps.transferTokens.verify(call.uuid, a.domain, target, token), 'the transfer is not signed');
    assert.equal((await messages(box.id)).length, held);
    assert.ok(!call.channel.vars.get('record_ms'), 'recorded although the box is full');

    // A caller already sent on from a full box is not sent on again (two boxes falling back to each other).
    const again = leave(box.id, { vars: { pbx_vm_fallback: 'taken' } });
    await h.at(again, 'goodbye', t.signal);
    await again.ended;
    assert.equal(again.channel.profile.destinationNumber, '*98');
    assert.deepEqual(h.logs.error, []);
  });

  test("another tenant's box with this tenant's variables is refused: no message anywhere", async () => {
    const call = leave(foreign.id);
    await h.at(call, 'error-try-later');
    await call.ended;
    assert.equal((await messages(foreign.id)).length, 0);
    assert.ok(h.logs.warn.some((w) => /not found/.test(w)));
  });

  test("the greeting by the dialplan's reason: an uploaded busy one plays instead of the default", async () => {
    const busy = h.deps.media.boxGreeting(a.id, box.id, 'busy');
    await mkdir(dirname(busy), { recursive: true });
    await writeFile(busy, 'RIFF');
    const call = leave(box.id, { vars: { pbx_vm_reason: 'busy' } });
    await h.at(call, busy);
    call.hangup();
    await call.ended;
    // After a ring that failed inline, the reason is the bridge's originate_disposition: refused is busy…
    for (const disposition of ['USER_BUSY', 'CALL_REJECTED']) {
      const refused = leave(box.id, { vars: { pbx_vm_reason: disposition } });
      await h.at(refused, busy);
      refused.hangup();
      await refused.ended;
    }
    // …anything else is the unavailable greeting (none uploaded: the default one).
    const unanswered = leave(box.id, { vars: { pbx_vm_reason: 'NO_ANSWER' } });
    await h.at(unanswered, 'vm-not-available');
    unanswered.hangup();
    await unanswered.ended;
    const unregistered = leave(box.id, { vars: { pbx_vm_reason: 'USER_NOT_REGISTERED' } });
    await h.at(unregistered, 'vm-not-available');
    unregistered.hangup();
    await unregistered.ended;
  });
});
