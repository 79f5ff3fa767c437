// The worker's per-tenant settings through the API: voicemail retention days (null = keep forever) and the
// voicemail e-mail sender. Validated by the contract, written through the domain (audited), platform admins only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTenant, expectProblem, expectStatus, json, startApi } from './helpers.js';

const h = await startApi();
const platform = h.client.as(h.platformKey);

test('a tenant is created with the defaults, and a platform admin sets sender and retention, audited', async () => {
  const a = await createTenant(h, 'Vmset');
  const b = await createTenant(h, 'Vmother', {
    emailFrom: 'voicemail@other.example',
    voicemailRetentionDays: 30,
  });
  assert.equal(a.tenant.voicemailRetentionDays, 365);
  assert.equal(a.tenant.emailFrom, null);
  assert.equal(b.tenant.voicemailRetentionDays, 30);
  assert.equal(b.tenant.emailFrom, 'voicemail@other.example');

  const res = await platform('PATCH', a.base, {
    body: { emailFrom: 'voicemail@vmset.example', voicemailRetentionDays: 90 },
  });
  expectStatus(res, 200);
  assert.deepEqual([json(res).emailFrom, json(res).voicemailRetentionDays], ['voicemail@vmset.example', 90]);
  // null: kept until deleted; the sender back to the platform's.
  const forever = await platform('PATCH', a.base, {
    body: { voicemailRetentionDays: null, emailFrom: null },
  });
  expectStatus(forever, 200);
  assert.deepEqual([json(forever).emailFrom, json(forever).voicemailRetentionDays], [null, null]);
  const stored = await h.prisma.tenant.findUniqueOrThrow({ where: { id: a.id } });
  assert.deepEqual([stored.emailFrom, stored.voicemailRetentionDays], [null, null]);

  const audit = await h.prisma.auditLog.findMany({
    where: { action: 'tenant.update', entityId: a.id },
    orderBy: { createdAt: 'asc' },
  });
  assert.equal(audit.length, 2);
  assert.deepEqual(
    [audit[0]?.after, audit[1]?.after].map((after) => {
      const t = after as { emailFrom: string | null; voicemailRetentionDays: number | null };
      return [t.emailFrom, t.voicemailRetentionDays];
    }),
    [
      ['voicemail@vmset.example', 90],
      [null, null],
    ],
  );

  // The other tenant is untouched.
  const other = await h.prisma.tenant.findUniqueOrThrow({ where: { id: b.id } });
  assert.deepEqual([other.emailFrom, other.voicemailRetentionDays], ['voicemail@other.example', 30]);
});

test('bad values are a 400 naming the field; nothing is written', async () => {
  const t = await createTenant(h, 'Vmbad');
  for (const [field, value] of [
    ['emailFrom', 'not an address'],
    ['emailFrom', 'a@b.example\r\nBcc: victim@example.com'],
    ['emailFrom', `${'x'.repeat(250)}@b.example`],
    ['emailFrom', 42],
    ['voicemailRetentionDays', 0],
    ['voicemailRetentionDays', -5],
    ['voicemailRetentionDays', 3651],
    ['voicemailRetentionDays', 1.5],
    ['voicemailRetentionDays', '30'],
  ] as const)
    expectProblem(
      await platform('PATCH', t.base, { body: { [field]: value } }),
      400,
      'VALIDATION_FAILED',
      field,
    );
  expectProblem(
    await platform('POST', '/v1/tenants', { body: { name: 'X', domain: 'x.pbx.test', emailFrom: 'nope' } }),
    400,
    'VALIDATION_FAILED',
    'emailFrom',
  );
  const stored = await h.prisma.tenant.findUniqueOrThrow({ where: { id: t.id } });
  assert.deepEqual([stored.emailFrom, stored.voicemailRetentionDays], [null, 365]);
});

test('tenant admins read their own settings, change none, and reach no other tenant', async () => {
  const a = await createTenant(h, 'Vmadmin');
  const b = await createTenant(h, 'Vmforeign');
  const own = await a.api('GET', a.base);
  expectStatus(own, 200);
  assert.equal(json(own).voicemailRetentionDays, 365);
  expectStatus(await a.api('PATCH', a.base, { body: { emailFrom: 'me@vmadmin.example' } }), 403);
  const foreign = await a.api('PATCH', b.base, { body: { emailFrom: 'me@vmadmin.example' } });
  assert.ok([403, 404].includes(foreign.statusCode), foreign.body);
  assert.ok([403, 404].includes((await a.api('GET', b.base)).statusCode));
  for (const id of [a.id, b.id]) {
    const t = await h.prisma.tenant.findUniqueOrThrow({ where: { id } });
    assert.deepEqual([t.emailFrom, t.voicemailRetentionDays], [null, 365]);
  }
});
