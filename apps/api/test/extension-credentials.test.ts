// A chosen SIP password and a new number for an existing extension (issue #17): the rules, what follows the
// renumbered extension, the audit rows, the change notification that makes controllers flush, tenant scope.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigChangedSchema, configChangedChannel, type ConfigChanged } from '@pbx/contracts';
import { sipA1Hash } from '@pbx/domain';
import { TEST_REDIS_URL, waitFor } from '@pbx/testing';
import { Redis } from 'ioredis';
import {
  createTenant,
  expectProblem,
  expectStatus,
  json,
  loginAs,
  populateTenant,
  startApi,
} from './helpers.js';

const h = await startApi();
const dir = await mkdtemp(join(tmpdir(), 'pbx-api-cred-'));
const a = await createTenant(h, 'Acme');
const b = await createTenant(h, 'Bolt');
const wa = await populateTenant(h, a, dir, '11');
const wb = await populateTenant(h, b, dir, '22');
const hashOf = async (id: string) =>
  (await h.prisma.extension.findUniqueOrThrow({ where: { id } })).sipA1Hash;

void describe('a chosen SIP password', () => {
  const url = `${a.base}/extensions/${wa.ext2.id}/sip-password`;

  void test('is stored as the A1 hash of number, domain and password, and audited without it', async () => {
    const res = await a.api('PUT', url, { body: { password: 'Moved-From-Old-PBX-7' } });
    expectStatus(res, 200);
    assert.equal(json(res).sipPassword, undefined);
    assert.equal(await hashOf(wa.ext2.id), sipA1Hash('211', 'acme.pbx.test', 'Moved-From-Old-PBX-7'));
    const audit = await h.prisma.auditLog.findFirstOrThrow({
      where: { action: 'extension.set-password', entityId: wa.ext2.id },
    });
    assert.doesNotMatch(JSON.stringify(audit), /Moved-From-Old-PBX-7/);
    assert.doesNotMatch(h.logs.join(''), /Moved-From-Old-PBX-7/);
  });

  void test('weak passwords are refused naming the field, in words', async () => {
    const before = await hashOf(wa.ext2.id);
    for (const [password, words] of [
      ['short1!', /at least 12/],
      ['Password1234', /commonly used/],
      ['aaaaaaaabbbbbbbb', /less predictable/],
      ['with space in it!', /no spaces/],
      ['my-ext-is-211-ok', /extension number/],
      ['acme.pbx.test-pass', /SIP domain/],
      ['xxACMEyy-secret9', /SIP domain/],
    ] as const) {
      const res = await a.api('PUT', url, { body: { password } });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      const body = json(res);
      assert.equal(body.errors[0].field, 'password', res.body);
      assert.match(body.errors[0].message, words, password);
    }
    assert.equal(await hashOf(wa.ext2.id), before, 'nothing stored');
  });

  void test("another tenant's extension is not found; a tenant user may not set one", async () => {
    const body = { password: 'Another-Strong-One-9' };
    expectProblem(
      await a.api('PUT', `${b.base}/extensions/${wb.ext2.id}/sip-password`, { body }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await a.api('PUT', `${a.base}/extensions/${wb.ext2.id}/sip-password`, { body }),
      404,
      'NOT_FOUND',
    );
    const p = h.client.as(h.platformKey);
    expectProblem(
      await p('PUT', `${a.base}/extensions/${wb.ext2.id}/sip-password`, { body }),
      404,
      'NOT_FOUND',
    );
    const user = h.client.as(await loginAs(h, 'user11@example.com', 'a long enough password'));
    expectProblem(
      await user('PUT', `${a.base}/extensions/${wa.ext.id}/sip-password`, { body }),
      403,
      'FORBIDDEN',
    );
    assert.notEqual(await hashOf(wb.ext2.id), sipA1Hash('222', 'bolt.pbx.test', body.password));
  });
});

void describe('a new number', () => {
  void test('keeps the password when the current one is given; everything routing to it follows', async () => {
    const p = h.client.as(h.platformKey);
    const did = json(
      await p('POST', `${a.base}/inbound-numbers`, {
        body: { e164: '+4930555777', destination: { type: 'EXTENSION', value: wa.ext.id } },
      }),
    );
    expectStatus(
      await a.api('PATCH', `${a.base}/extensions/${wa.ext2.id}`, {
        body: { forwardBusy: { type: 'EXTENSION', value: wa.ext.id } },
      }),
      200,
    );
    const pw = 'Kept-Across-Numbers-5';
    expectStatus(
      await a.api('PUT', `${a.base}/extensions/${wa.ext.id}/sip-password`, { body: { password: pw } }),
      200,
    );

    const sub = new Redis(TEST_REDIS_URL);
    const received: ConfigChanged[] = [];
    await sub.subscribe(configChangedChannel(h.prefix));
    sub.on('message', (_c: string, m: string) => received.push(ConfigChangedSchema.parse(JSON.parse(m))));
    try {
      const res = await a.api('POST', `${a.base}/extensions/${wa.ext.id}/change-number`, {
        body: { number: '311', currentPassword: pw },
      });
      expectStatus(res, 200);
      const changed = json(res);
      assert.equal(changed.number, '311');
      assert.equal(changed.sip.username, '311');
      assert.equal(changed.sipPassword, null);
      assert.equal(await hashOf(wa.ext.id), sipA1Hash('311', 'acme.pbx.test', pw));
      // The controllers are told which extension changed; they flush its number before and after.
      await waitFor('the ConfigChanged of the renumbered extension', () =>
        received.some((m) => m.entity === 'extension' && m.entityId === wa.ext.id && m.tenantId === a.id),
      );
    } finally {
      sub.disconnect();
    }

    const menu = json(await a.api('GET', `${a.base}/ivr-menus/${wa.menu.id}`));
    assert.deepEqual(menu.options[0].destination, { type: 'EXTENSION', value: wa.ext.id });
    const group = json(await a.api('GET', `${a.base}/ring-groups/${wa.group.id}`));
    assert.equal(group.members[0].extensionId, wa.ext.id);
    assert.deepEqual(json(await a.api('GET', `${a.base}/inbound-numbers/${did.id}`)).destination, {
      type: 'EXTENSION',
      value: wa.ext.id,
    });
    assert.deepEqual(json(await a.api('GET', `${a.base}/extensions/${wa.ext2.id}`)).forwardBusy, {
      type: 'EXTENSION',
      value: wa.ext.id,
    });
    // Its portal user still owns it.
    const user = await h.prisma.user.findFirstOrThrow({ where: { email: 'user11@example.com' } });
    assert.equal(user.extensionId, wa.ext.id);
    // The explainer routes the new number to it, and the old number is free again.
    // The routing explainer: the new number and the DID both ring it under its new number.
    for (const body of [
      { from: '211', to: '311' },
      { from: '+4930999', to: '+4930555777', context: 'public' },
    ])
      assert.ok(
        json(await a.api('POST', `${a.base}/explain`, { body })).text.includes('ring 311 for 25s'),
        JSON.stringify(body),
      );
    // The old number is free again.
    expectStatus(
      await a.api('POST', `${a.base}/extensions`, { body: { number: '111', displayName: 'Reuses old' } }),
      201,
    );
    const audit = await h.prisma.auditLog.findFirstOrThrow({
      where: { action: 'extension.change-number', entityId: wa.ext.id },
    });
    assert.equal((audit.before as { number: string }).number, '111');
    assert.equal((audit.after as { number: string }).number, '311');
  });

  void test('without the current password a new one is generated and shown once', async () => {
    const res = await a.api('POST', `${a.base}/extensions/${wa.ext2.id}/change-number`, {
      body: { number: '312' },
    });
    expectStatus(res, 200);
    const { sipPassword } = json(res);
    assert.match(sipPassword, /^[a-z0-9]{20}$/i);
    assert.equal(await hashOf(wa.ext2.id), sipA1Hash('312', 'acme.pbx.test', sipPassword));
    assert.doesNotMatch(h.logs.join(''), new RegExp(sipPassword));
  });

  void test('a mailbox numbered like the extension moves with it', async () => {
    const box = json(
      await a.api('POST', `${a.base}/voicemail-boxes`, { body: { number: '150', name: 'Sam', pin: '4812' } }),
    );
    const ext = json(
      await a.api('POST', `${a.base}/extensions`, {
        body: { number: '150', displayName: 'Sam', voicemailBoxId: box.id },
      }),
    );
    expectStatus(
      await a.api('POST', `${a.base}/extensions/${ext.id}/change-number`, { body: { number: '151' } }),
      200,
    );
    assert.equal(json(await a.api('GET', `${a.base}/voicemail-boxes/${box.id}`)).number, '151');
  });

  void test('refusals name the field: taken number, wrong current password, same number', async () => {
    const url = `${a.base}/extensions/${wa.ext2.id}/change-number`;
    const before = await hashOf(wa.ext2.id);
    // Ring groups and IVR menus share the dial plan.
    const groupNumber = json(
      await a.api('POST', `${a.base}/ring-groups`, {
        body: { name: 'Sales', number: '400', fallback: { type: 'HANGUP' } },
      }),
    ).number as string;
    expectProblem(await a.api('POST', url, { body: { number: groupNumber } }), 409, 'CONFLICT', 'number');
    expectProblem(await a.api('POST', url, { body: { number: '311' } }), 409, 'CONFLICT', 'number');
    expectProblem(
      await a.api('POST', url, { body: { number: '313', currentPassword: 'not-the-password' } }),
      400,
      'VALIDATION_FAILED',
      'currentPassword',
    );
    expectProblem(await a.api('POST', url, { body: { number: '312' } }), 400, 'VALIDATION_FAILED', 'number');
    expectProblem(await a.api('POST', url, { body: { number: '3' } }), 400, 'VALIDATION_FAILED', 'number');
    assert.equal(await hashOf(wa.ext2.id), before);
  });

  void test("another tenant's extension is not found, under either path", async () => {
    const body = { number: '399' };
    for (const base of [b.base, a.base])
      expectProblem(
        await a.api('POST', `${base}/extensions/${wb.ext2.id}/change-number`, { body }),
        404,
        'NOT_FOUND',
      );
    const p = h.client.as(h.platformKey);
    expectProblem(
      await p('POST', `${a.base}/extensions/${wb.ext2.id}/change-number`, { body }),
      404,
      'NOT_FOUND',
    );
    assert.equal(json(await b.api('GET', `${b.base}/extensions/${wb.ext2.id}`)).number, '222');
  });
});
