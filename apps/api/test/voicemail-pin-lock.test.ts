// The PIN lock of a voicemail box (wrong PINs entered by phone) is visible through the API, only to its tenant, and
// lifted by a new PIN.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createTenant, expectProblem, expectStatus, json, startApi, type Tenant } from './helpers.js';

const h = await startApi();

void describe('voicemail PIN lock through the API', () => {
  let a: Tenant;
  let b: Tenant;
  let box: { id: string };

  before(async () => {
    a = await createTenant(h, 'LockA');
    b = await createTenant(h, 'LockB');
    const res = await a.api('POST', `${a.base}/voicemail-boxes`, {
      body: { number: '801', name: 'A', pin: '1234' },
    });
    expectStatus(res, 201);
    box = json(res);
    assert.deepEqual(json(res).pinLock, { locked: false, lockedUntil: null, failedAttempts: 0 });
  });

  test('a locked box shows until when; a new PIN lifts the lock', async () => {
    const until = new Date(Date.now() + 3_600_000);
    await h.prisma.voicemailBox.update({ where: { id: box.id }, data: { pinLockedUntil: until } });
    const res = await a.api('GET', `${a.base}/voicemail-boxes/${box.id}`);
    expectStatus(res, 200);
    assert.deepEqual(json(res).pinLock, {
      locked: true,
      lockedUntil: until.toISOString(),
      failedAttempts: 0,
    });
    const listed = json(await a.api('GET', `${a.base}/voicemail-boxes`)).items[0];
    assert.equal(listed.pinLock.locked, true);
    const patched = await a.api('PATCH', `${a.base}/voicemail-boxes/${box.id}`, { body: { pin: '5678' } });
    expectStatus(patched, 200);
    assert.deepEqual(json(patched).pinLock, { locked: false, lockedUntil: null, failedAttempts: 0 });
  });

  test('failed attempts below the limit are counted; an expired lock reads as unlocked', async () => {
    await h.prisma.voicemailBox.update({ where: { id: box.id }, data: { pinFailedAttempts: 2 } });
    assert.equal(json(await a.api('GET', `${a.base}/voicemail-boxes/${box.id}`)).pinLock.failedAttempts, 2);
    await h.prisma.voicemailBox.update({
      where: { id: box.id },
      data: { pinFailedAttempts: 0, pinLockedUntil: new Date(Date.now() - 1000) },
    });
    assert.deepEqual(json(await a.api('GET', `${a.base}/voicemail-boxes/${box.id}`)).pinLock, {
      locked: false,
      lockedUntil: null,
      failedAttempts: 0,
    });
  });

  test('another tenant sees nothing of the box or its lock', async () => {
    expectProblem(await b.api('GET', `${b.base}/voicemail-boxes/${box.id}`), 404, 'NOT_FOUND');
    const res = await b.api('GET', `${a.base}/voicemail-boxes/${box.id}`);
    assert.ok([403, 404].includes(res.statusCode), res.body);
    assert.doesNotMatch(res.body, /pinLock/);
  });
});
