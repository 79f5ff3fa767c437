// Every change of an extension goes through one domain path: owner rules, forward checks, audit, notifications.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Extension } from '@pbx/db';
import { featureCodeActor } from '../src/context.js';
import { createExtension } from '../src/extensions/create-extension.js';
import { setExtensionDnd } from '../src/extensions/set-extension-dnd.js';
import { setExtensionForward } from '../src/extensions/set-extension-forward.js';
import { updateExtension } from '../src/extensions/update-extension.js';
import { domainHarness, refused } from './harness.js';

const h = await domainHarness();

void describe('extension writes', () => {
  let tenant: { id: string; domain: string };
  let e1001: Extension;
  let e1002: Extension;
  const admin = () => h.tenantCtx(tenant);
  const phone = (ext: Extension) => ({ ...admin(), actor: featureCodeActor(tenant.id, ext) });

  before(async () => {
    // Home country +1, area 212: +1212… is LOCAL, +1415… NATIONAL, +44… INTERNATIONAL.
    tenant = await h.createTenant(h.platform, {
      name: 'Acme',
      domain: 'acme.domain.test',
      defaultCallerIdNumber: '+12125550100',
    });
    e1001 = (await createExtension(admin(), { number: '1001', displayName: 'A', outboundPolicy: 'LOCAL' }))
      .extension;
    e1002 = (await createExtension(admin(), { number: '1002', displayName: 'B' })).extension;
  });

  test('a feature code sets DND as the phone: audit row "extension 1001 via feature code", one ConfigChanged', async () => {
    h.notifications.length = 0;
    const after = await setExtensionDnd(phone(e1001), e1001.id, true);
    assert.equal(after.dnd, true);
    const audit = await h.prisma.auditLog.findFirstOrThrow({
      where: { entityId: e1001.id, action: 'extension.dnd-on' },
    });
    assert.equal(audit.actorLabel, 'extension 1001 via feature code');
    assert.equal(audit.actorExtensionId, e1001.id);
    assert.equal(audit.actorUserId, null);
    assert.equal(audit.tenantId, tenant.id);
    assert.deepEqual(
      h.notifications.map((n) => [
        n.kind,
        n.kind === 'config' ? n.change.domain : '',
        n.kind === 'gateways' ? '' : n.change.tenantId,
      ]),
      [['config', 'acme.domain.test', tenant.id]],
    );
    // An admin's edit names no device.
    await updateExtension(admin(), e1001.id, { dnd: false });
    const adminRow = await h.prisma.auditLog.findFirstOrThrow({
      where: { entityId: e1001.id, action: 'extension.update' },
    });
    assert.equal(adminRow.actorLabel, null);
    assert.equal(adminRow.actorExtensionId, null);
  });

  test('a phone changes only its own extension, and only DND and forwarding', async () => {
    await refused(() => setExtensionDnd(phone(e1001), e1002.id, true), 'NOT_FOUND');
    await refused(
      () => updateExtension(phone(e1001), e1001.id, { displayName: 'x' }),
      'FORBIDDEN',
      'displayName',
    );
    await refused(
      () => updateExtension(phone(e1001), e1001.id, { outboundPolicy: 'INTERNATIONAL' }),
      'FORBIDDEN',
      'outboundPolicy',
    );
    // The same checks as the API: never forward to itself, only to targets of this tenant.
    await refused(
      () => setExtensionForward(phone(e1001), e1001.id, { type: 'EXTENSION', value: e1001.id }),
      'VALIDATION_FAILED',
      'forwardAlways.value',
    );
    const fwd = await setExtensionForward(phone(e1001), e1001.id, { type: 'EXTENSION', value: e1002.id });
    assert.deepEqual([fwd.forwardAlwaysType, fwd.forwardAlwaysValue], ['EXTENSION', e1002.id]);
    const row = await h.prisma.auditLog.findFirstOrThrow({ where: { action: 'extension.forward-set' } });
    assert.equal(row.actorLabel, 'extension 1001 via feature code');
    await setExtensionForward(phone(e1001), e1001.id, null);
  });

  test('a user acts as owner of their own extension: settings yes, admin fields FORBIDDEN', async () => {
    const user = h.tenantCtx(tenant, { role: 'TENANT_USER', userId: null, extensionId: e1002.id });
    assert.equal((await updateExtension(user, e1002.id, { dnd: true })).dnd, true);
    await refused(
      () => updateExtension(user, e1002.id, { ringTimeoutSec: 60 }),
      'FORBIDDEN',
      'ringTimeoutSec',
    );
    await refused(() => updateExtension(user, e1001.id, { dnd: true }), 'NOT_FOUND');
    assert.equal(
      (await h.prisma.extension.findUniqueOrThrow({ where: { id: e1002.id } })).ringTimeoutSec,
      25,
    );
  });

  test('a forward the outbound policy blocks is refused when written, naming the field; nothing is written', async () => {
    h.notifications.length = 0;
    const audits = await h.prisma.auditLog.count();
    // 1001 may call LOCAL numbers only: a national forward would be dropped by the routing.
    const e = await refused(
      () => setExtensionForward(phone(e1001), e1001.id, { type: 'EXTERNAL', value: '+14155550199' }),
      'VALIDATION_FAILED',
      'forwardAlways.value',
    );
    assert.equal(e.details?.reason, 'POLICY_BLOCKED');
    await refused(
      () => updateExtension(admin(), e1001.id, { forwardBusy: { type: 'EXTERNAL', value: '+14155550199' } }),
      'VALIDATION_FAILED',
      'forwardBusy.value',
    );
    // Tenant rules too: international is off for this tenant whatever the extension's policy.
    const intl = await refused(
      () =>
        updateExtension(admin(), e1002.id, {
          outboundPolicy: 'INTERNATIONAL',
          forwardNoAnswer: { type: 'EXTERNAL', value: '+442071234567' },
        }),
      'VALIDATION_FAILED',
      'forwardNoAnswer.value',
    );
    assert.equal(intl.details?.reason, 'INTERNATIONAL_BLOCKED');
    await refused(
      () =>
        createExtension(admin(), {
          number: '1003',
          displayName: 'C',
          outboundPolicy: 'NONE',
          forwardAlways: { type: 'EXTERNAL', value: '+12125550142' },
        }),
      'VALIDATION_FAILED',
      'forwardAlways.value',
    );
    assert.equal(await h.prisma.auditLog.count(), audits);
    assert.deepEqual(h.notifications, []);
    const stored = await h.prisma.extension.findUniqueOrThrow({ where: { id: e1001.id } });
    assert.deepEqual([stored.forwardAlwaysType, stored.forwardBusyType], [null, null]);
  });

  test('a forward the policy covers is kept; lowering the policy below it is refused on outboundPolicy', async () => {
    const ok = await setExtensionForward(phone(e1001), e1001.id, { type: 'EXTERNAL', value: '+12125550142' });
    assert.equal(ok.forwardAlwaysValue, '+12125550142');
    await refused(
      () => updateExtension(admin(), e1001.id, { outboundPolicy: 'NONE' }),
      'VALIDATION_FAILED',
      'outboundPolicy',
    );
    // An edit that touches neither forwards nor the policy is not held up by them.
    assert.equal((await updateExtension(admin(), e1001.id, { displayName: 'A2' })).displayName, 'A2');
  });
});
