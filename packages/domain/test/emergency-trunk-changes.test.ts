// The platform's emergency trunk is in every tenant's snapshot (for emergency calls of tenants without a trunk of
// their own), so creating, changing or deleting it must announce a change for every tenant; any other trunk only
// for the tenants it is assigned to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGateway, deleteGateway, updateGateway } from '../src/gateways/index.js';
import { domainHarness } from './harness.js';

const h = await domainHarness();
const KEY = Buffer.alloc(32, 7);

const changedTenants = (from: number) =>
  h.notifications
    .slice(from)
    .flatMap((n) => (n.kind === 'config' && n.change.entity === 'gateway' ? [n.change.tenantId] : []))
    .sort();

test('an emergency trunk announces its changes to every tenant; an ordinary unassigned one to none', async () => {
  const a = await h.createTenant(h.platform, { name: 'A', domain: 'trunk-a.test' });
  const b = await h.createTenant(h.platform, { name: 'B', domain: 'trunk-b.test' });
  const all = [a.id, b.id].sort();

  let mark = h.notifications.length;
  const plain = await createGateway(h.platform, { name: 'plain', host: '192.0.2.1' }, KEY);
  assert.deepEqual(changedTenants(mark), [], 'an unassigned trunk routes nobody');

  mark = h.notifications.length;
  await updateGateway(h.platform, plain.id, { emergencyFallback: true }, KEY);
  assert.deepEqual(changedTenants(mark), all, 'became the emergency trunk');

  mark = h.notifications.length;
  await updateGateway(h.platform, plain.id, { emergencyFallback: false }, KEY);
  assert.deepEqual(changedTenants(mark), all, 'no longer the emergency trunk');

  mark = h.notifications.length;
  const sos = await createGateway(
    h.platform,
    { name: 'sos', host: '192.0.2.2', emergencyFallback: true },
    KEY,
  );
  assert.deepEqual(changedTenants(mark), all, 'created as the emergency trunk');

  mark = h.notifications.length;
  await deleteGateway(h.platform, sos.id);
  assert.deepEqual(changedTenants(mark), all, 'the emergency trunk removed');
});
