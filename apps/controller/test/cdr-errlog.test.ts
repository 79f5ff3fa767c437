import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, waitFor } from '@pbx/testing';
import { REJECTED_DIR } from '../src/cdr-errlog.js';
import { postCdr, seedTenant } from './events-harness.js';
import { startController, type Running } from './helpers.js';
import { valueOf } from '@pbx/metrics';

const CAPTURES = fileURLToPath(new URL('../../../tests/fixtures/freeswitch/json_cdr/', import.meta.url));
/** The captured mod_json_cdr bodies (FreeSWITCH 1.10.12), by leg UUID. */
const BODIES = readdirSync(CAPTURES)
  .filter((f) => f.endsWith('.request.http'))
  .sort()
  .map((f) => {
    const raw = readFileSync(CAPTURES + f, 'latin1');
    const uuid = /uuid=([0-9a-f-]{36})/.exec(raw)?.[1] ?? '';
    return { uuid, body: raw.slice(raw.indexOf('\r\n\r\n') + 4) };
  });
const first = BODIES[0] ?? { uuid: '', body: '' };

/** The same leg under another UUID (a call that did not happen in the capture). */
const legCopy = (uuid: string) => ({ uuid, body: first.body.replaceAll(first.uuid, uuid) });

/** What backup_cdr() in mod_json_cdr.c leaves: `<uuid>.cdr.json`, the JSON as posted, then "\n". */
const backup = (dir: string, uuid: string, content: string) =>
  writeFile(join(dir, `${uuid}.cdr.json`), `${content}\n`);

const cdrFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.cdr.json'));

void describe('CDRs from mod_json_cdr err-log directory', () => {
  const db = createTestDatabase();
  let dir: string;
  let url: string;
  const running: Running[] = [];
  const start = async () => {
    const c = await startController(url, {}, { cdrErrLog: { dir, everyMs: 50 } });
    running.push(c);
    return c;
  };
  const stop = async (c: Running) => {
    running.splice(running.indexOf(c), 1);
    await c.close();
  };
  before(async () => {
    ({ url } = await db);
    dir = await mkdtemp(join(tmpdir(), 'pbx-cdr-errors-'));
  });
  after(async () => {
    await Promise.all(running.map((c) => c.close()));
    await rm(dir, { recursive: true, force: true });
  });

  test('every backup file is committed once and then removed, across a controller restart', async (t) => {
    const c = await start();
    await seedTenant(c.prisma, 'acme.test');
    for (const { uuid, body } of BODIES) await backup(dir, uuid, body);
    await waitFor('the directory emptied', () => cdrFiles(dir).length === 0, t.signal);
    assert.equal(await c.prisma.cdr.count(), BODIES.length);
    // The directory empties when the last unlink is done; that file is counted in the scan's next step, which a
    // busy machine can run after the count above: wait for the scan in progress to end (scans run one at a time).
    assert.ok(c.cdrErrLog);
    await c.cdrErrLog.scanNow();
    assert.equal(await valueOf(c.metrics.cdrErrLogFiles, { outcome: 'committed' }), BODIES.length);

    // A controller that died after the commit and before the unlink leaves a committed file behind; the next
    // controller ingests it again without a second row, and new files are picked up as usual.
    await stop(c);
    const fresh = legCopy(randomUUID());
    await backup(dir, first.uuid, first.body);
    await backup(dir, fresh.uuid, fresh.body);
    const next = await start();
    await waitFor('the directory emptied after the restart', () => cdrFiles(dir).length === 0, t.signal);
    assert.equal(await next.prisma.cdr.count({ where: { callUuid: first.uuid } }), 1);
    assert.equal(await next.prisma.cdr.count({ where: { callUuid: fresh.uuid } }), 1);
    assert.equal(await next.prisma.cdr.count(), BODIES.length + 1);
    await stop(next);
  });

  test('a live post of the same leg racing the replay: one row per leg', async (t) => {
    const c = await start();
    const legs = Array.from({ length: 20 }, () => legCopy(randomUUID()));
    for (const leg of legs) await backup(dir, leg.uuid, leg.body);
    const posts = await Promise.all([
      ...legs.map((leg) => postCdr(c.port, leg.uuid, leg.body)),
      c.cdrErrLog?.scanNow(),
    ]);
    for (const p of posts.slice(0, legs.length)) assert.equal((p as { status: number }).status, 200);
    await waitFor('the directory emptied', () => cdrFiles(dir).length === 0, t.signal);
    const rows = await c.prisma.cdr.groupBy({
      by: ['callUuid'],
      where: { callUuid: { in: legs.map((l) => l.uuid) } },
      _count: true,
    });
    assert.equal(rows.length, legs.length);
    assert.ok(rows.every((r) => r._count === 1));
    await stop(c);
  });

  test('bad files are set aside with a reason; a file still being written is left alone', async (t) => {
    const c = await start();
    const good = legCopy(randomUUID());
    const corrupt = randomUUID();
    const stranger = legCopy(randomUUID());
    const writing = legCopy(randomUUID());
    const cutOff = legCopy(randomUUID());
    const encoded = legCopy(randomUUID());
    await backup(dir, corrupt, good.body.slice(0, 500));
    await backup(dir, stranger.uuid, stranger.body.replaceAll('acme.test', 'nobody.test'));
    // No final newline: FreeSWITCH is writing it now (fresh), or died mid-write (old).
    await writeFile(join(dir, `${writing.uuid}.cdr.json`), writing.body.slice(0, 500));
    await writeFile(join(dir, `${cutOff.uuid}.cdr.json`), cutOff.body.slice(0, 500));
    const longAgo = new Date(Date.now() - 3_600_000);
    await utimes(join(dir, `${cutOff.uuid}.cdr.json`), longAgo, longAgo);
    // json_cdr.conf with `encode` true: FreeSWITCH backs up its URL-encoded copy.
    await backup(dir, encoded.uuid, encodeURIComponent(encoded.body));
    await backup(dir, good.uuid, good.body);

    await waitFor(
      'the good and encoded legs stored',
      async () =>
        (await c.prisma.cdr.count({ where: { callUuid: { in: [good.uuid, encoded.uuid] } } })) === 2,
      t.signal,
    );
    await waitFor('three files set aside', () => cdrFiles(join(dir, REJECTED_DIR)).length === 3, t.signal);
    // A stored file is removed after its row committed: wait for that too, rather than catching it in between.
    await waitFor('only the file being written left', () => cdrFiles(dir).length === 1, t.signal);
    assert.deepEqual(cdrFiles(dir), [`${writing.uuid}.cdr.json`], 'only the file being written is left');
    const reason = (uuid: string) => readFile(join(dir, REJECTED_DIR, `${uuid}.cdr.json.reason`), 'utf8');
    assert.match(await reason(corrupt), /not JSON|not a CDR/);
    assert.match(await reason(stranger.uuid), /nobody\.test/);
    assert.match(await reason(cutOff.uuid), /no final newline/);
    assert.equal(
      await c.prisma.cdr.count({ where: { callUuid: { in: [corrupt, stranger.uuid, cutOff.uuid] } } }),
      0,
    );

    // FreeSWITCH finishes writing: the next scan takes it.
    await writeFile(join(dir, `${writing.uuid}.cdr.json`), `${writing.body}\n`);
    await waitFor('the finished file committed', () => cdrFiles(dir).length === 0, t.signal);
    assert.equal(await c.prisma.cdr.count({ where: { callUuid: writing.uuid } }), 1);
    assert.ok(!existsSync(join(dir, `${writing.uuid}.cdr.json`)));
    await stop(c);
  });
});
