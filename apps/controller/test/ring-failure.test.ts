// A ring that fails runs its outcome inline (RingStep.onFail): the controller's own dialplan answer, executed by the
// FreeSWITCH double, reaches the voicemail runtime with the bridge's cause, or hangs the caller up with it. Tests
// wait for the applications the double runs, never for a time.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DoubleCall, FreeswitchDouble } from '@pbx/freeswitch-double';
import { mediaLayout } from '@pbx/media';
import { createTestDatabase, waitFor } from '@pbx/testing';
import { createExtension, createTenant, type Running } from './helpers.js';
import { dialThrough, startCallRig, type AppRecorder } from './ivr-harness.js';

const db = await createTestDatabase();
const DOMAIN = 'ring-fail.test';
const media = mediaLayout(await mkdtemp(join(tmpdir(), 'pbx-ring-fail-media-')));

void describe('a failed ring, run inline', () => {
  let c: Running;
  let fs: FreeswitchDouble;
  let rec: AppRecorder;
  let port: number;

  before(async () => {
    ({ c, port, fs, rec } = await startCallRig(db.url, media.root));
    const tenant = await createTenant(c.prisma, DOMAIN);
    await createExtension(c.prisma, tenant, '1001');
    await createExtension(c.prisma, tenant, '1002');
    await createExtension(c.prisma, tenant, '1003', { voicemail: false });
  });
  after(async () => {
    await fs.close();
    await c.close();
    await db.drop();
  });

  /** 1001 dials `to`: the double runs the controller's answer for that call. */
  const dial = (to: string) => dialThrough({ c, fs, port }, DOMAIN, '1001', to);

  /** Resolves once the call has played a file whose path mentions `name`; fails if the call does anything else last. */
  const played = async (call: DoubleCall, name: string, signal: AbortSignal) => {
    let ended = false;
    void call.ended.then(() => (ended = true));
    await waitFor(
      `${name} on ${call.uuid}`,
      () => {
        if (rec.apps(call.uuid).some((e) => e.app === 'playback' && e.data.includes(name))) return true;
        const last = rec.apps(call.uuid).at(-1);
        if (ended || last?.app === 'transfer') assert.fail(`the call ended at ${last?.app} ${last?.data}`);
        return false;
      },
      signal,
    );
  };

  test('no answer from an extension with a box: its unavailable greeting, after the bridge, no transfer', async (t) => {
    const call = await dial('1002');
    await played(call, 'vm-not-available', t.signal);
    assert.equal(call.channel.vars.get('originate_disposition'), 'USER_NOT_REGISTERED');
    assert.equal(call.channel.vars.get('pbx_vm_reason'), 'USER_NOT_REGISTERED');
    assert.equal(rec.count(call.uuid, 'bridge'), 1);
    assert.equal(rec.count(call.uuid, 'transfer'), 0);
    assert.equal(
      rec.apps(call.uuid).some((e) => e.data.includes('vm-is-busy')),
      false,
    );
    call.hangup();
    await call.ended;
  });

  test('no box: the caller is hung up with the ring’s own cause', async () => {
    const call = await dial('1003');
    await call.ended;
    assert.equal(call.channel.vars.get('hangup_cause'), 'USER_NOT_REGISTERED');
    assert.equal(rec.count(call.uuid, 'transfer'), 0);
  });
});
