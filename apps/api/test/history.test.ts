import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { storageKeys } from '@pbx/storage';
import { createTenant, expectProblem, expectStatus, json, startApi } from './helpers.js';

const h = await startApi();
const t = await createTenant(h, 'History');
const dir = await mkdtemp(join(tmpdir(), 'pbx-api-history-'));
const box = json(
  await t.api('POST', `${t.base}/voicemail-boxes`, { body: { number: '800', name: 'Box', pin: '1234' } }),
);
const ext = json(
  await t.api('POST', `${t.base}/extensions`, {
    body: { number: '100', displayName: 'E', voicemailBoxId: box.id },
  }),
);

void describe('voicemail messages', () => {
  void test('list newest first, filter unread, mark read, download audio, delete with its file', async () => {
    const files = [join(dir, 'm1.wav'), join(dir, 'm2.wav')];
    await writeFile(files[0] ?? '', Buffer.from('RIFF first message'));
    await writeFile(files[1] ?? '', Buffer.from('RIFF second message'));
    const m1 = await h.prisma.voicemailMessage.create({
      data: {
        tenantId: t.id,
        boxId: box.id,
        callUuid: 'c1',
        durationSec: 5,
        filePath: files[0] ?? '',
        sizeBytes: 18,
        createdAt: new Date('2026-11-01T10:00:00Z'),
      },
    });
    const m2 = await h.prisma.voicemailMessage.create({
      data: {
        tenantId: t.id,
        boxId: box.id,
        callUuid: 'c2',
        durationSec: 7,
        filePath: files[1] ?? '',
        sizeBytes: 19,
        callerIdName: 'Bob',
        createdAt: new Date('2026-11-02T10:00:00Z'),
      },
    });
    const url = `${t.base}/voicemail-boxes/${box.id}/messages`;
    const list = json(await t.api('GET', url));
    assert.deepEqual(
      list.items.map((m: { id: string }) => m.id),
      [m2.id, m1.id],
    );
    assert.equal(list.total, 2);
    assert.equal(list.items[0].read, false);
    assert.equal(list.items[0].filePath, undefined, 'server paths are not exposed');

    const read = await t.api('PATCH', `${url}/${m1.id}`, { body: { read: true } });
    expectStatus(read, 200);
    assert.equal(json(read).read, true);
    assert.ok(json(read).readAt);
    assert.deepEqual(
      json(await t.api('GET', url, { query: { unread: 'true' } })).items.map((m: { id: string }) => m.id),
      [m2.id],
    );
    assert.deepEqual(
      json(await t.api('GET', url, { query: { unread: 'false' } })).items.map((m: { id: string }) => m.id),
      [m1.id],
    );
    expectProblem(
      await t.api('PATCH', `${url}/${m1.id}`, { body: { read: 'yes' } }),
      400,
      'VALIDATION_FAILED',
      'read',
    );
    expectStatus(await t.api('GET', `${url}/${m1.id}`), 200);

    const audio = await t.api('GET', `${url}/${m2.id}/audio`);
    expectStatus(audio, 200);
    assert.equal(audio.headers['content-type'], 'audio/wav');
    assert.equal(audio.body, 'RIFF second message');
    assert.match(String(audio.headers['content-disposition']), /attachment; filename="voicemail-.*\.wav"/);

    expectStatus(await t.api('DELETE', `${url}/${m2.id}`), 204);
    assert.equal(existsSync(files[1] ?? ''), false, 'the file is removed');
    expectProblem(await t.api('GET', `${url}/${m2.id}`), 404, 'NOT_FOUND');
    expectProblem(await t.api('GET', `${url}/${m2.id}/audio`), 404, 'NOT_FOUND');

    const other = json(
      await t.api('POST', `${t.base}/voicemail-boxes`, {
        body: { number: '899', name: 'Gone', pin: '1234' },
      }),
    );
    const otherFile = join(dir, 'other.wav');
    await writeFile(otherFile, Buffer.from('RIFF'));
    await h.prisma.voicemailMessage.create({
      data: { tenantId: t.id, boxId: other.id, callUuid: 'o1', durationSec: 1, filePath: otherFile },
    });
    expectStatus(await t.api('DELETE', `${t.base}/voicemail-boxes/${other.id}`), 204);
    assert.equal(existsSync(otherFile), false, "a deleted box's audio files are removed");
    assert.equal(await h.prisma.voicemailMessage.count({ where: { boxId: other.id } }), 0);

    const missing = await h.prisma.voicemailMessage.create({
      data: {
        tenantId: t.id,
        boxId: box.id,
        callUuid: 'c3',
        durationSec: 1,
        filePath: join(dir, 'gone.wav'),
      },
    });
    expectProblem(await t.api('GET', `${url}/${missing.id}/audio`), 404, 'NOT_FOUND');
  });
});

void describe('recordings and call history', () => {
  void test('recordings: filter, get, download from the storage, delete with its stored copy', async () => {
    // As the worker leaves it: the MP3 in the storage under the row's key, the raw file already gone.
    const id = randomUUID();
    const key = storageKeys.recording(t.id, id, 'mp3');
    const path = join(dir, 'rec.mp3');
    await writeFile(path, Buffer.from('ID3 recording'));
    await h.storage.putFile(key, path, 'audio/mpeg');
    const ready = await h.prisma.callRecording.create({
      data: {
        id,
        tenantId: t.id,
        callUuid: 'r1',
        extensionId: ext.id,
        filePath: key,
        format: 'mp3',
        state: 'READY',
        durationSec: 10,
      },
    });
    const busy = await h.prisma.callRecording.create({
      data: { tenantId: t.id, callUuid: 'r2', filePath: join(dir, 'busy.wav'), state: 'RECORDING' },
    });
    const url = `${t.base}/recordings`;
    assert.equal(json(await t.api('GET', url)).total, 2);
    assert.deepEqual(
      json(await t.api('GET', url, { query: { extensionId: ext.id } })).items.map(
        (r: { id: string }) => r.id,
      ),
      [ready.id],
    );
    assert.deepEqual(
      json(await t.api('GET', url, { query: { state: 'RECORDING' } })).items.map((r: { id: string }) => r.id),
      [busy.id],
    );
    assert.equal(json(await t.api('GET', url, { query: { from: '2100-01-01T00:00:00Z' } })).total, 0);
    expectProblem(
      await t.api('GET', url, { query: { from: 'yesterday' } }),
      400,
      'VALIDATION_FAILED',
      'from',
    );
    const got = json(await t.api('GET', `${url}/${ready.id}`));
    assert.equal(got.callUuid, 'r1');
    assert.equal(got.filePath, undefined);
    const audio = await t.api('GET', `${url}/${ready.id}/audio`);
    expectStatus(audio, 200);
    assert.equal(audio.body, 'ID3 recording');
    assert.equal(audio.headers['content-type'], 'audio/mpeg');
    expectProblem(await t.api('GET', `${url}/${busy.id}/audio`), 404, 'NOT_FOUND');
    expectStatus(await t.api('DELETE', `${url}/${ready.id}`), 204);
    assert.equal(await h.storage.head(key), null, 'the stored copy is deleted');
    assert.equal(json(await t.api('GET', `${url}/${ready.id}`)).state, 'DELETED');
    expectProblem(await t.api('DELETE', `${url}/${ready.id}`), 404, 'NOT_FOUND');
    assert.equal(json(await t.api('GET', url)).total, 1, 'deleted recordings are not listed by default');
  });

  void test('CDRs: filter by date range, extension, direction, number and answered; CSV export', async () => {
    const base = {
      tenantId: t.id,
      fromNumber: '+4930111',
      toNumber: '100',
      hangupCause: 'NORMAL_CLEARING',
      durationSec: 60,
      billsec: 50,
    };
    const at = (iso: string) => ({
      startedAt: new Date(iso),
      endedAt: new Date(new Date(iso).getTime() + 60_000),
    });
    await h.prisma.cdr.createMany({
      data: [
        {
          ...base,
          ...at('2026-11-01T09:00:00Z'),
          callUuid: 'x1',
          answeredAt: new Date('2026-11-01T09:00:05Z'),
          did: '+4940555123',
          direction: 'INBOUND',
          extensionNumber: '100',
          fromName: '=HYPERLINK("evil")',
        },
        {
          ...base,
          ...at('2026-11-02T09:00:00Z'),
          callUuid: 'x2',
          answeredAt: new Date('2026-11-02T09:00:05Z'),
          direction: 'OUTBOUND',
          extensionNumber: '100',
          fromName: 'Comma, "quoted"',
        },
        {
          ...base,
          ...at('2026-11-03T09:00:00Z'),
          callUuid: 'x3',
          direction: 'INTERNAL',
          extensionNumber: '101',
          fromNumber: '101',
          toNumber: '+4989777000',
          billsec: 0,
        },
      ],
    });
    const url = `${t.base}/cdrs`;
    const all = json(await t.api('GET', url));
    assert.deepEqual(
      all.items.map((c: { callUuid: string }) => c.callUuid),
      ['x3', 'x2', 'x1'],
    );
    const ranged = json(
      await t.api('GET', url, { query: { from: '2026-11-02T00:00:00Z', to: '2026-11-03T00:00:00Z' } }),
    );
    assert.deepEqual(
      ranged.items.map((c: { callUuid: string }) => c.callUuid),
      ['x2'],
    );
    assert.equal(json(await t.api('GET', url, { query: { extension: '100' } })).total, 2);
    assert.deepEqual(
      json(await t.api('GET', url, { query: { direction: 'INBOUND' } })).items.map(
        (c: { callUuid: string }) => c.callUuid,
      ),
      ['x1'],
    );
    const uuids = async (query: Record<string, string>) =>
      json(await t.api('GET', url, { query })).items.map((c: { callUuid: string }) => c.callUuid);
    assert.deepEqual(await uuids({ number: '555' }), ['x1'], 'part of the DID');
    assert.deepEqual(await uuids({ number: '+4989777' }), ['x3'], 'part of the called number');
    assert.deepEqual(await uuids({ number: '4930111' }), ['x2', 'x1'], 'part of the caller number');
    assert.deepEqual(await uuids({ answered: 'false' }), ['x3'], 'missed calls');
    assert.deepEqual(await uuids({ answered: 'true', direction: 'INBOUND' }), ['x1']);
    expectProblem(await t.api('GET', url, { query: { number: '12a' } }), 400, 'VALIDATION_FAILED', 'number');
    expectProblem(
      await t.api('GET', url, { query: { answered: 'yes' } }),
      400,
      'VALIDATION_FAILED',
      'answered',
    );
    // Another tenant's call from the same number, missed, never matches these filters.
    const other = await createTenant(h, 'Elsewhere');
    await h.prisma.cdr.create({
      data: {
        ...base,
        ...at('2026-11-02T10:00:00Z'),
        tenantId: other.id,
        callUuid: 'y1',
        direction: 'INBOUND',
      },
    });
    assert.deepEqual(await uuids({ number: '4930111', answered: 'false' }), [], 'no other tenant');
    const missedCsv = await t.api('GET', `${url}/export.csv`, { query: { answered: 'false' } });
    assert.equal(missedCsv.body.trimEnd().split('\r\n').length, 2, 'the export takes the same filters');
    expectProblem(
      await t.api('GET', url, { query: { direction: 'SIDEWAYS' } }),
      400,
      'VALIDATION_FAILED',
      'direction',
    );
    const one = all.items[0];
    assert.deepEqual(json(await t.api('GET', `${url}/${one.id}`)), one);

    const csv = await t.api('GET', `${url}/export.csv`, { query: { extension: '100' } });
    expectStatus(csv, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const lines = csv.body.trimEnd().split('\r\n');
    assert.equal(lines.length, 3);
    assert.ok(lines[0]?.startsWith('id,callUuid,bridgeUuid,direction,'));
    assert.ok(lines[1]?.includes(`,x1,`));
    assert.ok(lines[1]?.includes(`"'=HYPERLINK(""evil"")"`), 'formula cells are neutralised and quoted');
    assert.ok(lines[2]?.includes('"Comma, ""quoted"""'));
  });
});
