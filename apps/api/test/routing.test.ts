import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigChangedSchema, configChangedChannel, type ConfigChanged } from '@pbx/contracts';
import { TEST_REDIS_URL, waitFor } from '@pbx/testing';
import { Redis } from 'ioredis';
import { createTenant, expectProblem, expectStatus, json, startApi } from './helpers.js';

const h = await startApi();
const t = await createTenant(h, 'Route');
const mk = async (path: string, body: unknown) => {
  const res = await t.api('POST', `${t.base}${path}`, { body });
  expectStatus(res, 201, path);
  return json(res);
};

void describe('deleting what calls are routed to', () => {
  void test('REFERENCED lists every referrer; reroute re-points them atomically', async () => {
    const box = await mk('/voicemail-boxes', { number: '800', name: 'Main', pin: '1234' });
    const target = await mk('/extensions', { number: '100', displayName: 'Target' });
    const other = await mk('/extensions', {
      number: '101',
      displayName: 'Other',
      forwardNoAnswer: { type: 'EXTENSION', value: target.id },
    });
    const menu = await mk('/ivr-menus', {
      name: 'Menu',
      timeoutDestination: { type: 'EXTENSION', value: target.id },
      invalidDestination: { type: 'HANGUP' },
      options: [{ digits: '1', destination: { type: 'EXTENSION', value: target.id } }],
    });
    const group = await mk('/ring-groups', {
      name: 'G',
      fallback: { type: 'EXTENSION', value: target.id },
      members: [{ extensionId: target.id, timeoutSec: null }],
    });
    const tc = await mk('/time-conditions', {
      name: 'TC',
      match: { type: 'EXTENSION', value: target.id },
      noMatch: { type: 'HANGUP' },
      ranges: [],
    });
    const did = json(
      await h.client.as(h.platformKey)('POST', `${t.base}/inbound-numbers`, {
        body: { e164: '+4940111222', destination: { type: 'EXTENSION', value: target.id } },
      }),
    );

    const refused = await t.api('DELETE', `${t.base}/extensions/${target.id}`);
    expectProblem(refused, 409, 'REFERENCED');
    const referrers = json(refused).details.referrers as Array<{
      entityType: string;
      id: string;
      field: string;
    }>;
    const seen = referrers.map((r) => `${r.entityType}:${r.id}:${r.field}`).sort();
    assert.deepEqual(
      seen,
      [
        `extension:${other.id}:forwardNoAnswer`,
        `inbound-number:${did.id}:destination`,
        `ivr-menu:${menu.id}:options[1]`,
        `ivr-menu:${menu.id}:timeoutDestination`,
        `ring-group:${group.id}:fallback`,
        `ring-group:${group.id}:members`,
        `time-condition:${tc.id}:match`,
      ].sort(),
    );
    expectStatus(await t.api('GET', `${t.base}/extensions/${target.id}`), 200, 'nothing was deleted');

    const q = (type: string, value?: string) => ({
      reroute_type: type,
      ...(value ? { reroute_value: value } : {}),
    });
    expectProblem(
      await t.api('DELETE', `${t.base}/extensions/${target.id}`, { query: q('EXTENSION', target.id) }),
      400,
      'VALIDATION_FAILED',
      'reroute_value',
    );
    expectProblem(
      await t.api('DELETE', `${t.base}/extensions/${target.id}`, { query: q('EXTERNAL', '12') }),
      400,
      'VALIDATION_FAILED',
      'reroute_value',
    );
    expectProblem(
      await t.api('DELETE', `${t.base}/extensions/${target.id}`, { query: { reroute_value: box.id } }),
      400,
      'VALIDATION_FAILED',
      'reroute_type',
    );
    expectProblem(
      await t.api('DELETE', `${t.base}/extensions/${target.id}`, {
        query: q('IVR_MENU', '00000000-0000-4000-8000-000000000000'),
      }),
      400,
      'VALIDATION_FAILED',
      'reroute.value',
    );

    expectStatus(
      await t.api('DELETE', `${t.base}/extensions/${target.id}`, { query: q('VOICEMAIL', box.id) }),
      204,
    );
    const toBox = { type: 'VOICEMAIL', value: box.id };
    const m = json(await t.api('GET', `${t.base}/ivr-menus/${menu.id}`));
    assert.deepEqual(m.timeoutDestination, toBox);
    assert.deepEqual(m.options[0].destination, toBox);
    const g = json(await t.api('GET', `${t.base}/ring-groups/${group.id}`));
    assert.deepEqual(g.fallback, toBox);
    assert.deepEqual(g.members, []);
    assert.deepEqual(json(await t.api('GET', `${t.base}/time-conditions/${tc.id}`)).match, toBox);
    assert.deepEqual(json(await t.api('GET', `${t.base}/inbound-numbers/${did.id}`)).destination, toBox);
    assert.deepEqual(json(await t.api('GET', `${t.base}/extensions/${other.id}`)).forwardNoAnswer, toBox);

    // The mailbox is now referenced everywhere; HANGUP needs no value.
    expectProblem(await t.api('DELETE', `${t.base}/voicemail-boxes/${box.id}`), 409, 'REFERENCED');
    expectStatus(await t.api('DELETE', `${t.base}/voicemail-boxes/${box.id}`, { query: q('HANGUP') }), 204);
    assert.deepEqual(json(await t.api('GET', `${t.base}/inbound-numbers/${did.id}`)).destination, {
      type: 'HANGUP',
    });
  });

  void test('menus, groups and time conditions are protected the same way; self-loops do not block', async () => {
    const menu = await mk('/ivr-menus', {
      name: 'Self',
      timeoutDestination: { type: 'HANGUP' },
      invalidDestination: { type: 'HANGUP' },
    });
    expectStatus(
      await t.api('PATCH', `${t.base}/ivr-menus/${menu.id}`, {
        body: { invalidDestination: { type: 'IVR_MENU', value: menu.id } },
      }),
      200,
    );
    const group = await mk('/ring-groups', { name: 'Grp', fallback: { type: 'IVR_MENU', value: menu.id } });
    const tc = await mk('/time-conditions', {
      name: 'Hrs',
      match: { type: 'RING_GROUP', value: group.id },
      noMatch: { type: 'HANGUP' },
      ranges: [],
    });
    const tc2 = await mk('/time-conditions', {
      name: 'Outer',
      match: { type: 'TIME_CONDITION', value: tc.id },
      noMatch: { type: 'HANGUP' },
      ranges: [],
    });
    expectProblem(
      await t.api('PATCH', `${t.base}/time-conditions/${tc.id}`, {
        body: { noMatch: { type: 'TIME_CONDITION', value: tc.id } },
      }),
      400,
      'VALIDATION_FAILED',
      'noMatch.value',
    );
    expectProblem(
      await t.api('PATCH', `${t.base}/ring-groups/${group.id}`, {
        body: { fallback: { type: 'RING_GROUP', value: group.id } },
      }),
      400,
      'VALIDATION_FAILED',
      'fallback.value',
    );

    expectProblem(await t.api('DELETE', `${t.base}/time-conditions/${tc.id}`), 409, 'REFERENCED');
    expectProblem(await t.api('DELETE', `${t.base}/ring-groups/${group.id}`), 409, 'REFERENCED');
    expectProblem(await t.api('DELETE', `${t.base}/ivr-menus/${menu.id}`), 409, 'REFERENCED');
    expectStatus(await t.api('DELETE', `${t.base}/time-conditions/${tc2.id}`), 204);
    expectStatus(await t.api('DELETE', `${t.base}/time-conditions/${tc.id}`), 204);
    expectStatus(await t.api('DELETE', `${t.base}/ring-groups/${group.id}`), 204);
    expectStatus(await t.api('DELETE', `${t.base}/ivr-menus/${menu.id}`), 204, 'its own loop does not block');
  });
});

void describe('changes reach the controllers and the audit log', () => {
  void test('each committed write publishes ConfigChanged; a failed write publishes nothing', async () => {
    const sub = new Redis(TEST_REDIS_URL);
    const received: ConfigChanged[] = [];
    await sub.subscribe(configChangedChannel(h.prefix));
    sub.on('message', (_channel: string, message: string) =>
      received.push(ConfigChangedSchema.parse(JSON.parse(message))),
    );
    try {
      const ext = await mk('/extensions', { number: '300', displayName: 'Pub' });
      expectProblem(
        await t.api('POST', `${t.base}/extensions`, { body: { number: '300', displayName: 'Dup' } }),
        409,
        'CONFLICT',
        'number',
      );
      expectStatus(await t.api('PATCH', `${t.base}/extensions/${ext.id}`, { body: { dnd: true } }), 200);
      // A marker write last: the API publishes after each commit, before answering, on one connection,
      // so once the marker's message is here every message of the writes before it is here too.
      const marker = await mk('/extensions', { number: '399', displayName: 'Marker' });
      await waitFor("the marker write's ConfigChanged", () => received.some((m) => m.entityId === marker.id));
      const beforeMarker = received.slice(
        0,
        received.findIndex((m) => m.entityId === marker.id),
      );
      assert.equal(beforeMarker.length, 2, JSON.stringify(received));
      for (const msg of beforeMarker) {
        assert.equal(msg.tenantId, t.id);
        assert.equal(msg.domain, 'route.pbx.test');
        assert.equal(msg.entity, 'extension');
        assert.equal(msg.entityId, ext.id);
      }
    } finally {
      sub.disconnect();
    }
  });

  void test('every write leaves an audit row naming the actor, before and after', async () => {
    const ext = await mk('/extensions', { number: '301', displayName: 'Audited' });
    expectStatus(
      await t.api('PATCH', `${t.base}/extensions/${ext.id}`, { body: { displayName: 'Audited 2' } }),
      200,
    );
    const log = json(await t.api('GET', `${t.base}/audit-log`, { query: { entityId: ext.id } }));
    assert.deepEqual(
      log.items.map((e: { action: string }) => e.action),
      ['extension.update', 'extension.create'],
    );
    const [update] = log.items;
    assert.equal(update.before.displayName, 'Audited');
    assert.equal(update.after.displayName, 'Audited 2');
    assert.equal(update.tenantId, t.id);
    const key = await h.prisma.apiKey.findFirstOrThrow({ where: { tenantId: t.id } });
    assert.equal(update.actorApiKeyId, key.id);
    const platformLog = json(
      await h.client.as(h.platformKey)('GET', '/v1/audit-log', {
        query: { tenantId: t.id, action: 'extension.update' },
      }),
    );
    assert.ok(platformLog.items.some((e: { entityId: string }) => e.entityId === ext.id));
  });
});
