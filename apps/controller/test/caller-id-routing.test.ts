// Issue #14 item 5 at routing time: whatever is stored, an outbound call presents the extension's caller ID only
// if it is the tenant's own (an inbound number) or verified for it; otherwise the tenant's main number.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase } from '@pbx/testing';
import {
  actionsOf,
  createExtension,
  createGateway,
  createTenant,
  phoneCall,
  setVars,
  startController,
  type Running,
} from './helpers.js';

const db = await createTestDatabase();

void describe('caller ID at routing time', () => {
  let c: Running;

  before(async () => {
    c = await startController(db.url);
    const p = c.prisma;
    const a = await createTenant(p, 'a.test', { defaultCallerIdNumber: '+12125550100' });
    const b = await createTenant(p, 'b.test', { defaultCallerIdNumber: '+13105550100' });
    await createGateway(p, a.id, 'trunk-a');
    await p.inboundNumber.createMany({
      data: [
        { tenantId: a.id, e164: '+12125550101', destType: 'HANGUP' },
        { tenantId: b.id, e164: '+13105550101', destType: 'HANGUP' },
      ],
    });
    await p.verifiedCallerId.create({ data: { tenantId: a.id, e164: '+12125550199' } });
    await p.verifiedCallerId.create({ data: { tenantId: b.id, e164: '+13105550199' } });
    // Written around the API (an old row, a direct SQL fix): routing must not trust it.
    await createExtension(p, a, '1001', { callerIdNumber: '+12125550101' });
    await createExtension(p, a, '1002', { callerIdNumber: '+12125550199' });
    await createExtension(p, a, '1003', { callerIdNumber: '+13105550101' });
    await createExtension(p, a, '1004', { callerIdNumber: '+13105550199' });
    await createExtension(p, a, '1005', { callerIdNumber: '+19995550000' });
  });
  after(async () => c.close());

  const presented = async (from: string) =>
    setVars(actionsOf(await c.client.dialplan(phoneCall('a.test', from, '2125550142')), 'a.test')).get(
      'effective_caller_id_number',
    );

  test('own inbound number and platform-verified numbers are presented', async () => {
    assert.equal(await presented('1001'), '+12125550101');
    assert.equal(await presented('1002'), '+12125550199');
  });

  test("tenant B's numbers (inbound or verified for B) and strangers' go out as A's main number", async () => {
    assert.equal(await presented('1003'), '+12125550100');
    assert.equal(await presented('1004'), '+12125550100');
    assert.equal(await presented('1005'), '+12125550100');
  });
});
