// Voicemail across two FreeSWITCH nodes, through one controller (its ESL side connected to both, both nodes handing
// their voicemail calls to its outbound socket): a caller leaves a message through node 1, the box owner, whose phone
// is registered on node 2, checks it through node 2. What makes that work is the shared media volume
// (docs/media.md "Several FreeSWITCH nodes"): every node and the controller see MEDIA_DIR at the same path, so the
// path node 1 recorded to is the path node 2 is told to play. Here both doubles and the controller run on one host
// and are given the same directory, as the compose volume (or an NFS mount) gives them one in production.
import assert from 'node:assert/strict';
import { mkdtemp, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createTenant, createVoicemailBox, systemActor, type TenantContext } from '@pbx/domain';
import { startFreeswitchDouble, type DoubleCall, type FreeswitchDouble } from '@pbx/freeswitch-double';
import { redisNotificationPublisher } from '@pbx/jobs';
import { createTestDatabase, testRedisPrefix, waitFor } from '@pbx/testing';
import { startEventController, type EventController } from './events-harness.js';

const dbReady = createTestDatabase();
let node1: FreeswitchDouble;
let node2: FreeswitchDouble;
let c: EventController;
let mediaDir: string;
let tenant: { id: string; domain: string };
let boxId: string;
const prefix = testRedisPrefix();

before(async () => {
  mediaDir = await mkdtemp(join(tmpdir(), 'pbx-media-two-nodes-'));
  node1 = await startFreeswitchDouble({ hostname: 'fs-1', timing: { playbackMs: 40 } });
  node2 = await startFreeswitchDouble({ hostname: 'fs-2', timing: { playbackMs: 40 } });
  c = await startEventController({
    databaseUrl: (await dbReady).url,
    prefix,
    doubles: [
      { name: 'fs-1', port: node1.port },
      { name: 'fs-2', port: node2.port },
    ],
    outbound: { mediaDir },
  });
  await c.esl?.node('fs-1').waitReady(10_000);
  await c.esl?.node('fs-2').waitReady(10_000);
  // The API's writes, as the API makes them: through the domain, announcing changes on the controller's bus.
  const notify = redisNotificationPublisher(c.publisher, prefix, () => ({
    error: (_o: object, msg: string) => assert.fail(msg),
  }));
  const platform = { db: c.prisma, notify, actor: systemActor };
  tenant = await createTenant(platform, { name: 'two-nodes', domain: 'two-nodes.test' });
  const ctx: TenantContext = {
    ...platform,
    actor: { ...systemActor, role: 'TENANT_ADMIN', tenantId: tenant.id },
    tenantId: tenant.id,
    domain: tenant.domain,
  };
  ({ id: boxId } = await createVoicemailBox(ctx, { number: '1002', name: 'Box 1002', pin: '1234' }));
});
after(async () => {
  await c.close();
  await node1.close();
  await node2.close();
});

/** A call on `node` whose dialplan set these voicemail variables and then ran `socket … async full`. */
function voicemailCall(
  node: FreeswitchDouble,
  from: string,
  vars: Record<string, string>,
  says?: Parameters<FreeswitchDouble['placeCall']>[0]['says'],
): DoubleCall {
  const address = c.outbound?.address;
  assert.ok(address, 'the controller runs its outbound socket');
  return node.placeCall({
    from,
    to: '*98',
    domain: tenant.domain,
    answer: true,
    apps: Object.entries({ pbx_app: 'voicemail', pbx_tenant_id: tenant.id, ...vars }).map(
      ([k, v]) => ['set', `${k}=${v}`] as const,
    ),
    socket: { host: '127.0.0.1', port: address.port },
    ...(says ? { says } : {}),
  });
}

const playing = (call: DoubleCall) => call.channel.vars.get('current_application_data') ?? '';
const at = (call: DoubleCall, text: string, signal: AbortSignal) =>
  waitFor(`the call to reach ${text}`, () => playing(call).includes(text), signal);

/** The MESSAGE_WAITING events a node was asked to send for box 1002, as `new/saved (0/0)`. */
const mwi = (node: FreeswitchDouble) =>
  node.sentEvents
    .filter((e) => e.name === 'MESSAGE_WAITING')
    .filter((e) => e.headers.get('mwi-message-account') === `sip:1002@${tenant.domain}`)
    .map((e) => `${e.headers.get('mwi-messages-waiting')} ${e.headers.get('mwi-voice-message')}`);

void test('a message left through node 1 is heard through node 2, and the lamp of the phone on node 2 follows', async (t) => {
  // The box owner's phone is registered on node 2 only.
  node2.registerPhone({ user: '1002', domain: tenant.domain, profile: 'internal' });
  await waitFor(
    'the registration on node 2 is stored',
    async () =>
      (await c.events?.registrations.listByExtension(tenant.id, '1002'))?.length === 1 &&
      c.events?.nodeIdOf('fs-2') !== undefined,
    t.signal,
  );

  const caller = voicemailCall(node1, '+442071838750', { pbx_vm_action: 'leave', pbx_vm_box_id: boxId }, [
    { ms: 4000, then: { press: '#' } },
  ]);
  await caller.ended;
  const [message] = await c.prisma.voicemailMessage.findMany({ where: { boxId } });
  assert.ok(message, 'the message left through node 1 is saved');
  assert.equal(message.callUuid, caller.uuid);
  // The lamp: node 2 is told (where the phone is), node 1 is not. sendMwi goes over the nodes in configuration
  // order, so once node 2 has its event, node 1 has been passed over.
  await waitFor('MWI on node 2: one new message', () => mwi(node2).includes('yes 1/0 (0/0)'), t.signal);
  assert.deepEqual(mwi(node1), []);

  const owner = voicemailCall(node2, '1002', {
    pbx_vm_action: 'check',
    pbx_vm_box_id: boxId,
    pbx_extension: '1002',
  });
  await at(owner, 'vm-enter-pin', t.signal);
  await owner.press('1234#', 0);
  await at(owner, 'vm-you-have', t.signal);
  assert.match(playing(owner), /num-1\.wav![^!]*vm-new-message\.wav/);
  await at(owner, 'vm-main-menu', t.signal);
  await owner.press('1', 0);
  // Node 2 is told to play the very path node 1 recorded to; on the shared volume it is the whole recording.
  await at(owner, message.filePath, t.signal);
  assert.equal(
    message.filePath,
    join(mediaDir, 'tenants', tenant.id, 'voicemail', boxId, `${message.id}.wav`),
  );
  const file = await open(message.filePath);
  try {
    const header = Buffer.alloc(12);
    await file.read(header, 0, 12, 0);
    assert.equal(header.toString('latin1', 0, 4), 'RIFF');
    assert.equal(header.toString('latin1', 8, 12), 'WAVE');
    assert.equal((await file.stat()).size, message.sizeBytes);
  } finally {
    await file.close();
  }
  await owner.press('2', 0); // keep: the message is heard
  await at(owner, 'vm-no-more-messages', t.signal);
  await waitFor(
    'MWI on node 2: no new message, one saved',
    () => mwi(node2).includes('no 0/1 (0/0)'),
    t.signal,
  );
  await at(owner, 'vm-main-menu', t.signal);
  await owner.press('*', 0);
  await owner.ended;
  const heard = await c.prisma.voicemailMessage.findUniqueOrThrow({ where: { id: message.id } });
  assert.ok(heard.readAt, 'marked heard');
  assert.deepEqual(mwi(node1), []);
  node2.unregisterPhone('1002', tenant.domain);
});
