// Which users a committed change flushes from FreeSWITCH's directory cache (pure: snapshots before and after).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigChanged } from '@pbx/contracts';
import type { ExtensionSnapshot, TenantSnapshot } from '@pbx/domain/routing';
import { affectedUsers } from '../src/directory-flush.js';

const ext = (id: string, number: string, voicemailBoxId: string | null = null) =>
  ({ id, number, voicemailBoxId }) as ExtensionSnapshot;
const snap = (domain: string, extensions: ExtensionSnapshot[]) =>
  ({ tenant: { domain }, extensions }) as unknown as TenantSnapshot;
const msg = (entity: string, entityId?: string, extra: Partial<ConfigChanged> = {}): ConfigChanged => ({
  tenantId: '00000000-0000-4000-8000-000000000000',
  domain: 'a.test',
  entity,
  ...(entityId ? { entityId } : {}),
  at: new Date().toISOString(),
  ...extra,
});
const keys = (users: { user: string; domain: string }[]) => users.map((u) => `${u.user}@${u.domain}`).sort();

const before = snap('a.test', [ext('e1', '1001', 'b1'), ext('e2', '1002', 'b1'), ext('e3', '1003')]);

void test('an extension: its number before and after (renumber, create, delete)', () => {
  const renumbered = snap('a.test', [ext('e1', '2001', 'b1'), ext('e2', '1002', 'b1'), ext('e3', '1003')]);
  assert.deepEqual(keys(affectedUsers(msg('extension', 'e1'), before, renumbered)), [
    '1001@a.test',
    '2001@a.test',
  ]);
  assert.deepEqual(keys(affectedUsers(msg('extension', 'e3'), before, snap('a.test', []))), ['1003@a.test']);
  const created = snap('a.test', [...before.extensions, ext('e4', '1004')]);
  assert.deepEqual(keys(affectedUsers(msg('extension', 'e4'), before, created)), ['1004@a.test']);
  // This controller never loaded the tenant: what the new snapshot names.
  assert.deepEqual(keys(affectedUsers(msg('extension', 'e1'), undefined, renumbered)), ['2001@a.test']);
});

void test('a voicemail box: the extensions using it (before its deletion cleared the link too)', () => {
  const unlinked = snap('a.test', [ext('e1', '1001'), ext('e2', '1002'), ext('e3', '1003')]);
  assert.deepEqual(keys(affectedUsers(msg('voicemail-box', 'b1'), before, unlinked)), [
    '1001@a.test',
    '1002@a.test',
  ]);
});

void test('the tenant or an unknown entity: everyone; a rename also under the previous domain', () => {
  const all = ['1001@a.test', '1002@a.test', '1003@a.test'];
  assert.deepEqual(keys(affectedUsers(msg('tenant'), before, null)), all);
  assert.deepEqual(keys(affectedUsers(msg('some-new-entity', 'g1'), before, before)), all);
  const renamed = snap('a2.test', before.extensions);
  const r = keys(
    affectedUsers(
      msg('tenant', undefined, { domain: 'a2.test', previousDomain: 'a.test' }),
      undefined,
      renamed,
      before,
    ),
  );
  assert.deepEqual(r, [...all, '1001@a2.test', '1002@a2.test', '1003@a2.test'].sort());
});

void test('entities that are in no directory answer flush nobody', () => {
  for (const e of [
    'ivr-menu',
    'ring-group',
    'time-condition',
    'inbound-number',
    'recording',
    'voicemail-message',
    'gateway',
    'trunks',
  ])
    assert.deepEqual(affectedUsers(msg(e, 'x'), before, before), [], e);
});
