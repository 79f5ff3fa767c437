// Issue #16: FreeSWITCH learns carrier trunks without a restart. The controller answers mod_xml_curl's configuration
// fetch of `sofia profile external startgw` with the trunks (parameters as sofia.c's parse_gateways reads them), and
// after each trunk write sends killgw/startgw to every node; a node that connects loads them all.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createGateway, updateGateway, deleteGateway, systemActor } from '@pbx/domain';
import { startFreeswitchDouble, type FreeswitchDouble } from '@pbx/freeswitch-double';
import { redisNotificationPublisher } from '@pbx/jobs/notifications';
import { createTestDatabase, testRedisPrefix } from '@pbx/testing';
import { startEventController, until, type EventController } from './events-harness.js';
import { xmlCurlClient } from './helpers.js';

const db = await createTestDatabase();
const key = randomBytes(32);
const PASSWORD = 'p&ss<"word>';

void describe('carrier trunks reach every FreeSWITCH node without a restart', () => {
  let c: EventController;
  const prefix = testRedisPrefix();
  let fs1: FreeswitchDouble;
  let fs2: FreeswitchDouble;
  const ctx = () => ({
    db: c.prisma,
    actor: systemActor,
    notify: redisNotificationPublisher(c.publisher, prefix, () => ({ error: () => undefined })),
  });
  const trunkCommands = (fs: FreeswitchDouble) =>
    fs.inboundHistory.flatMap((s) => s.commands).filter((l) => l.startsWith('api sofia profile external'));

  before(async () => {
    fs1 = await startFreeswitchDouble({ hostname: 'fs1', profiles: { internal: 5060, external: 5080 } });
    fs2 = await startFreeswitchDouble({ hostname: 'fs2', profiles: { internal: 5060, external: 5080 } });
    c = await startEventController({
      databaseUrl: db.url,
      prefix,
      doubles: [
        { name: 'fs1', port: fs1.port },
        { name: 'fs2', port: fs2.port },
      ],
      settings: { gatewayKey: key },
    });
    const client = xmlCurlClient(`http://127.0.0.1:${c.port}/freeswitch`);
    for (const fs of [fs1, fs2])
      fs.trunks.fetcher = async (profile, gateway) => (await client.sofiaGateways(profile, gateway)).document;
    // A trunk that existed before the nodes connected.
    await until('both nodes loaded every trunk on connect', () =>
      [fs1, fs2].every((fs) => trunkCommands(fs).includes('api sofia profile external startgw _all_')),
    );
    await createGateway(ctx(), { name: 'early', host: '192.0.2.1' }, key);
    await until('the new trunk reached both nodes', () =>
      [fs1, fs2].every((fs) => fs.trunks.gateways.has('early')),
    );
    await c.trunks?.idle();
    await Promise.all([fs1.trunks.idle(), fs2.trunks.idle()]);
  });
  after(async () => {
    await c.close();
    await fs1.close();
    await fs2.close();
  });

  void test('a node that connects loads the existing trunks', () => {
    for (const fs of [fs1, fs2]) assert.deepEqual([...fs.trunks.gateways.keys()], ['early']);
    assert.equal(fs1.trunks.gateways.get('early')?.params.register, 'false');
  });

  void test('create, change, rename, disable and delete are applied on every node', async () => {
    const step = async (what: string, done: (fs: FreeswitchDouble) => boolean) => {
      await until(what, () => [fs1, fs2].every((fs) => done(fs)));
      await c.trunks?.idle();
      await Promise.all([fs1.trunks.idle(), fs2.trunks.idle()]);
    };
    const gw = await createGateway(
      ctx(),
      {
        name: 'carrier',
        host: 'sip.carrier.example',
        port: 5070,
        transport: 'TCP',
        register: true,
        username: 'acct',
        password: PASSWORD,
        codecs: ['PCMA', 'G722'],
        pingSeconds: 30,
      },
      key,
    );
    await step(
      'created',
      (fs) => fs.trunks.gateways.has('carrier') || fs.trunks.log.some((l) => l.includes('carrier')),
    );
    for (const fs of [fs1, fs2]) {
      const g = fs.trunks.gateways.get('carrier');
      assert.ok(g, fs.trunks.log.join('\n'));
      assert.equal(g.state, 'REGED');
      assert.deepEqual(
        [
          g.params.proxy,
          g.params.register,
          g.params['register-transport'],
          g.params.username,
          g.params.password,
          g.params.ping,
        ],
        ['sip.carrier.example:5070', 'true', 'tcp', 'acct', PASSWORD, '30'],
      );
      assert.equal(g.variables.absolute_codec_string, 'PCMA,G722');
    }
    await updateGateway(ctx(), gw.id, { name: 'carrier2', host: '198.51.100.7' }, key);
    await step('renamed', (fs) => fs.trunks.gateways.has('carrier2') && !fs.trunks.gateways.has('carrier'));
    assert.equal(fs2.trunks.gateways.get('carrier2')?.params.proxy, '198.51.100.7:5070');
    assert.deepEqual(trunkCommands(fs1).slice(-3), [
      'api sofia profile external killgw carrier',
      'api sofia profile external killgw carrier2',
      'api sofia profile external startgw carrier2',
    ]);
    await updateGateway(ctx(), gw.id, { enabled: false }, key);
    await step('disabled', (fs) => !fs.trunks.gateways.has('carrier2'));
    await updateGateway(ctx(), gw.id, { enabled: true }, key);
    await step('enabled', (fs) => fs.trunks.gateways.has('carrier2'));
    await deleteGateway(ctx(), gw.id);
    await step('deleted', (fs) => !fs.trunks.gateways.has('carrier2'));
    assert.deepEqual([...fs1.trunks.gateways.keys()], ['early']);
  });

  void test('only startgw is answered: start-up, rescan and other modules read the static files', async () => {
    const client = xmlCurlClient(`http://127.0.0.1:${c.port}/freeswitch`);
    const all = await client.sofiaGateways('external', '_all_');
    assert.equal(all.document?.kind, 'sofia');
    assert.equal((await client.sofiaGateways('internal', '_all_')).document?.kind, 'not-found');
    // A password sofia needs is in the answer (escaped), but never in the controller's log.
    await createGateway(
      ctx(),
      { name: 'esc', host: '192.0.2.9', register: true, username: 'u', password: PASSWORD },
      key,
    );
    const one = await client.sofiaGateways('external', 'esc');
    assert.ok(one.body.includes('value="p&amp;ss&lt;&quot;word&gt;"'), one.body);
  });
});
