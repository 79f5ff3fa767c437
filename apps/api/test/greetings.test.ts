import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { a, boxUrl, h, layout, menuUrl, mp3, ogg, pa, soxi, speech, upload } from './greetings-fixture.js';
import { expectProblem, expectStatus, json, loginAs } from './helpers.js';

void test('an IVR greeting in WAV, MP3 or OGG is stored as 16 kHz mono PCM WAV, shown, downloadable', async () => {
  const menuPath = layout.ivrGreeting(a.id, pa.menu.id);
  expectStatus(await a.api('GET', `${a.base}/ivr-menus/${pa.menu.id}`), 200);
  assert.equal(json(await a.api('GET', `${a.base}/ivr-menus/${pa.menu.id}`)).greeting, null);
  for (const file of [speech, mp3, ogg]) {
    const res = await upload(a.adminKey, menuUrl(a, pa.menu.id), await readFile(file));
    expectStatus(res, 200, file);
    const result = json(res);
    assert.ok(result.durationSec > 1 && result.durationSec < 5, `${file}: ${res.body}`);
    const info = soxi(menuPath);
    assert.deepEqual(
      { ...info, seconds: undefined },
      { rate: 16000, channels: 1, bits: 16, seconds: undefined },
    );
    assert.ok(Math.abs(info.seconds - result.durationSec) < 0.1, file);
    const menu = json(await a.api('GET', `${a.base}/ivr-menus/${pa.menu.id}`));
    assert.equal(menu.greeting.updatedAt, result.updatedAt);
  }
  const download = await a.api('GET', menuUrl(a, pa.menu.id));
  expectStatus(download, 200);
  assert.equal(download.headers['content-type'], 'audio/wav');
  assert.deepEqual(download.rawPayload, await readFile(menuPath));
  assert.equal(download.rawPayload.subarray(0, 4).toString(), 'RIFF');
  // The download comes from the storage's copy (the durable one), identical to FreeSWITCH's on the volume.
  const key = `tenants/${a.id}/greetings/ivr-${pa.menu.id}.wav`;
  assert.equal((await h.storage.head(key))?.sizeBytes, download.rawPayload.length);
  const audit = await h.prisma.auditLog.findMany({
    where: { tenantId: a.id, action: 'ivr-menu.greeting.store', entityId: pa.menu.id },
  });
  assert.equal(audit.length, 3);
});

void test('voicemail greetings: upload, typed text, per kind; delete brings back the default', async () => {
  expectStatus(await upload(a.adminKey, boxUrl(a, pa.box.id, 'unavailable'), await readFile(mp3)), 200);
  const typed = await a.api('PUT', `${boxUrl(a, pa.box.id, 'busy')}/text`, {
    body: { text: 'Sorry, I am on the other line. Leave a message!' },
  });
  expectStatus(typed, 200);
  assert.ok(json(typed).durationSec > 1.5);
  const busyInfo = soxi(layout.boxGreeting(a.id, pa.box.id, 'busy'));
  assert.equal(busyInfo.rate, 16000);
  assert.equal(busyInfo.channels, 1);
  let box = json(await a.api('GET', `${a.base}/voicemail-boxes/${pa.box.id}`));
  assert.ok(box.greetings.unavailable.updatedAt && box.greetings.busy.updatedAt);
  assert.equal(box.greetings.name, null);

  const busyKey = `tenants/${a.id}/greetings/vm-${pa.box.id}-busy.wav`;
  assert.ok(await h.storage.head(busyKey), 'the typed greeting is in the storage too');
  expectStatus(await a.api('DELETE', boxUrl(a, pa.box.id, 'busy')), 204);
  assert.ok(!existsSync(layout.boxGreeting(a.id, pa.box.id, 'busy')));
  assert.equal(await h.storage.head(busyKey), null, 'and its stored copy');
  box = json(await a.api('GET', `${a.base}/voicemail-boxes/${pa.box.id}`));
  assert.equal(box.greetings.busy, null);
  assert.ok(box.greetings.unavailable);
  expectProblem(await a.api('DELETE', boxUrl(a, pa.box.id, 'busy')), 404, 'NOT_FOUND');
  expectProblem(await a.api('GET', boxUrl(a, pa.box.id, 'busy')), 404, 'NOT_FOUND');
  expectProblem(await a.api('GET', boxUrl(a, pa.box.id, 'name')), 404, 'NOT_FOUND');
  const audit = await h.prisma.auditLog.findMany({
    where: { tenantId: a.id, entityType: 'voicemail-box', action: { startsWith: 'voicemail-box.greeting.' } },
    orderBy: { createdAt: 'asc' },
  });
  assert.deepEqual(
    audit.map((r) => r.action),
    ['voicemail-box.greeting.store', 'voicemail-box.greeting.store', 'voicemail-box.greeting.delete'],
  );
});

void test("the box's owner sets its greetings; another user's box is not found", async () => {
  const cookie = await loginAs(h, 'user31@example.com', 'a long enough password');
  expectStatus(await upload(cookie, boxUrl(a, pa.box.id, 'name'), await readFile(ogg)), 200);
  const other = json(
    await a.api('POST', `${a.base}/voicemail-boxes`, {
      body: { number: '8999', name: 'Other', pin: '4321' },
    }),
  );
  expectProblem(await upload(cookie, boxUrl(a, other.id, 'name'), await readFile(ogg)), 404, 'NOT_FOUND');
  // IVR menus are for admins only.
  const asUser = await h.app.inject({ method: 'GET', url: menuUrl(a, pa.menu.id), headers: { cookie } });
  assert.ok(asUser.statusCode === 403 || asUser.statusCode === 404, asUser.body);
});
