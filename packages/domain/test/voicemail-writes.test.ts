// Voicemail box and message writes: owner rules in the domain, VoicemailChanged from the notify port.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { VoicemailBox } from '@pbx/db';
import { AppError } from '../src/errors.js';
import { createExtension } from '../src/extensions/create-extension.js';
import { createVoicemailBox } from '../src/voicemail/create-voicemail-box.js';
import { deleteVoicemailMessage } from '../src/voicemail/delete-voicemail-message.js';
import { markVoicemailMessage } from '../src/voicemail/mark-voicemail-message.js';
import { updateVoicemailBox } from '../src/voicemail/update-voicemail-box.js';
import { domainHarness } from './harness.js';

const h = await domainHarness();

async function refusedWith(fn: () => Promise<unknown>, code: string, field?: string): Promise<void> {
  const error = await fn().then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AppError, String(error));
  assert.equal(error.code, code, error.message);
  if (field !== undefined) assert.equal(error.field, field);
}

void describe('voicemail writes', () => {
  let tenant: { id: string; domain: string };
  let own: VoicemailBox;
  let other: VoicemailBox;
  let extensionId: string;
  const admin = () => h.tenantCtx(tenant);
  const owner = () => h.tenantCtx(tenant, { role: 'TENANT_USER', extensionId });

  before(async () => {
    tenant = await h.createTenant(h.platform, { name: 'Vm', domain: 'vm.domain.test' });
    own = await createVoicemailBox(admin(), { number: '801', name: 'Own', pin: '1234' });
    other = await createVoicemailBox(admin(), { number: '802', name: 'Other', pin: '1234' });
    extensionId = (
      await createExtension(admin(), { number: '801', displayName: 'Own', voicemailBoxId: own.id })
    ).extension.id;
  });

  test('the owner changes PIN and e-mail of their box; other fields FORBIDDEN, other boxes NOT_FOUND', async () => {
    await updateVoicemailBox(owner(), own.id, { pin: '2468', email: 'me@example.com' });
    await refusedWith(
      () => updateVoicemailBox(owner(), own.id, { maxMessages: 5 }),
      'FORBIDDEN',
      'maxMessages',
    );
    await refusedWith(() => updateVoicemailBox(owner(), own.id, { name: 'Mine' }), 'FORBIDDEN', 'name');
    await refusedWith(() => updateVoicemailBox(owner(), other.id, { pin: '1111' }), 'NOT_FOUND');
    const stored = await h.prisma.voicemailBox.findUniqueOrThrow({ where: { id: own.id } });
    assert.deepEqual([stored.email, stored.maxMessages, stored.name], ['me@example.com', 100, 'Own']);
  });

  test('marking and deleting a message publish VoicemailChanged through ctx.notify, not ConfigChanged', async () => {
    const message = await h.prisma.voicemailMessage.create({
      data: {
        tenantId: tenant.id,
        boxId: own.id,
        callUuid: 'vm-1',
        durationSec: 3,
        filePath: '/nonexistent/x.wav',
      },
    });
    h.notifications.length = 0;
    await markVoicemailMessage(owner(), own.id, message.id, true);
    await deleteVoicemailMessage(owner(), own.id, message.id);
    assert.deepEqual(h.notifications, [
      { kind: 'voicemail', change: { tenantId: tenant.id, boxId: own.id } },
      { kind: 'voicemail', change: { tenantId: tenant.id, boxId: own.id } },
    ]);
    // Someone else's box: refused before anything is written or announced.
    const foreign = await h.prisma.voicemailMessage.create({
      data: {
        tenantId: tenant.id,
        boxId: other.id,
        callUuid: 'vm-2',
        durationSec: 3,
        filePath: '/nonexistent/y.wav',
      },
    });
    await refusedWith(() => markVoicemailMessage(owner(), other.id, foreign.id, true), 'NOT_FOUND');
    assert.equal(h.notifications.length, 2);
  });
});
