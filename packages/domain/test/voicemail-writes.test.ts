// Voicemail box and message writes: owner rules in the domain, VoicemailChanged from the notify port.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { VoicemailBox } from '@pbx/db';
import { createExtension } from '../src/extensions/create-extension.js';
import { createVoicemailBox } from '../src/voicemail/create-voicemail-box.js';
import { deleteVoicemailMessage } from '../src/voicemail/delete-voicemail-message.js';
import { markVoicemailMessage } from '../src/voicemail/mark-voicemail-message.js';
import { updateVoicemailBox } from '../src/voicemail/update-voicemail-box.js';
import { domainHarness, refused } from './harness.js';

const h = await domainHarness();

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
    await refused(() => updateVoicemailBox(owner(), own.id, { maxMessages: 5 }), 'FORBIDDEN', 'maxMessages');
    await refused(() => updateVoicemailBox(owner(), own.id, { name: 'Mine' }), 'FORBIDDEN', 'name');
    await refused(() => updateVoicemailBox(owner(), other.id, { pin: '1111' }), 'NOT_FOUND');
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
    await deleteVoicemailMessage(owner(), h.storage, own.id, message.id);
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
    await refused(() => markVoicemailMessage(owner(), other.id, foreign.id, true), 'NOT_FOUND');
    assert.equal(h.notifications.length, 2);
  });
});
