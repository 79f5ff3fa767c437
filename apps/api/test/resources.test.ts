import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTenant, expectProblem, expectStatus, json, startApi } from './helpers.js';

const h = await startApi();
// A Berlin tenant: +49 301… numbers are LOCAL (what the extension below may forward to).
const t = await createTenant(h, 'Crud', { defaultCallerIdNumber: '+493012340000' });
// The extension below presents +4930123400: a caller ID must be verified for the tenant (issue #14 item 5).
expectStatus(
  await h.client.as(h.platformKey)('POST', `${t.base}/verified-caller-ids`, {
    body: { e164: '+4930123400' },
  }),
  201,
);
const platform = h.client.as(h.platformKey);
const mk = async (path: string, body: unknown) => {
  const res = await t.api('POST', `${t.base}${path}`, { body });
  expectStatus(res, 201, path);
  return json(res);
};
const box = await mk('/voicemail-boxes', { number: '800', name: 'Reception box', pin: '1234' });
const ext = await mk('/extensions', { number: '100', displayName: 'Reception', voicemailBoxId: box.id });

type Spec = {
  name: string;
  collection: string;
  /** Platform-only creation (DIDs). */
  createAs?: typeof platform;
  create: Record<string, unknown>;
  secret?: string[];
  patch: Record<string, unknown>;
  /** A string field with its maximum length, and a required field. */
  stringField: [string, number];
  required: string;
  wrongType: [string, unknown];
  search?: Record<string, string>;
  /** DELETE only suspends and schedules the purge; the purge (with confirmation) removes it. */
  purgeBody?: (created: Record<string, unknown>) => Record<string, unknown>;
};

const SPECS: Spec[] = [
  {
    name: 'tenants',
    collection: '/v1/tenants',
    createAs: platform,
    create: {
      name: 'Second Co',
      domain: 'second.pbx.test',
      timeZone: 'Europe/Berlin',
      maxExtensions: 20,
      defaultCallerIdNumber: '+493011112222',
    },
    patch: { allowInternational: true },
    stringField: ['name', 120],
    required: 'domain',
    wrongType: ['maxExtensions', 'many'],
    search: { search: 'second' },
    purgeBody: (created) => ({ confirmDomain: created.domain }),
  },
  {
    name: 'users',
    collection: '/users',
    create: {
      email: 'ops@example.com',
      name: 'Ops',
      password: 'a long enough password',
      // A second admin could be deleted too; the last active one cannot (auth.test.ts).
      role: 'TENANT_USER',
    },
    secret: ['password'],
    patch: { name: 'Operations' },
    stringField: ['name', 120],
    required: 'password',
    wrongType: ['disabled', 'yes'],
    search: { role: 'TENANT_USER' },
  },
  {
    name: 'extensions',
    collection: '/extensions',
    create: {
      number: '101',
      displayName: 'Sales desk',
      callerIdNumber: '+4930123400',
      outboundPolicy: 'LOCAL',
      ringTimeoutSec: 30,
      forwardNoAnswer: { type: 'VOICEMAIL', value: box.id },
      forwardBusy: { type: 'EXTERNAL', value: '+4930123456' },
    },
    patch: { dnd: true },
    stringField: ['displayName', 80],
    required: 'displayName',
    wrongType: ['ringTimeoutSec', '30'],
    search: { number: '101' },
  },
  {
    name: 'voicemail-boxes',
    collection: '/voicemail-boxes',
    create: { number: '801', name: 'Sales box', pin: '987654', email: 'sales@example.com', maxMessages: 50 },
    secret: ['pin'],
    patch: { attachAudio: false },
    stringField: ['name', 80],
    required: 'pin',
    wrongType: ['maxMessages', true],
    search: { search: 'Sales' },
  },
  {
    name: 'ivr-menus',
    collection: '/ivr-menus',
    create: {
      name: 'Main menu',
      number: '500',
      timeoutSec: 6,
      timeoutDestination: { type: 'EXTENSION', value: ext.id },
      invalidDestination: { type: 'HANGUP' },
      options: [
        { digits: '1', destination: { type: 'EXTENSION', value: ext.id } },
        { digits: '9', destination: { type: 'VOICEMAIL', value: box.id } },
      ],
    },
    patch: { directDial: true },
    stringField: ['name', 80],
    required: 'invalidDestination',
    wrongType: ['options', 'none'],
    search: { search: 'main' },
  },
  {
    name: 'ring-groups',
    collection: '/ring-groups',
    create: {
      name: 'Support',
      number: '600',
      strategy: 'SEQUENTIAL',
      fallback: { type: 'HANGUP' },
      members: [{ extensionId: ext.id, timeoutSec: 15 }],
    },
    patch: { ringTimeoutSec: 45 },
    stringField: ['name', 80],
    required: 'fallback',
    wrongType: ['strategy', 'RANDOM'],
    search: { search: 'supp' },
  },
  {
    name: 'time-conditions',
    collection: '/time-conditions',
    create: {
      name: 'Office hours',
      match: { type: 'EXTENSION', value: ext.id },
      noMatch: { type: 'VOICEMAIL', value: box.id },
      ranges: [
        { dayOfWeek: 1, startMinute: 540, endMinute: 1020 },
        { dayOfWeek: 2, startMinute: 540, endMinute: 1020 },
      ],
      holidays: [{ date: '2026-12-25', name: 'Christmas' }],
    },
    patch: { noMatch: { type: 'HANGUP' } },
    stringField: ['name', 80],
    required: 'ranges',
    wrongType: ['ranges', [{ dayOfWeek: 9, startMinute: 0, endMinute: 10 }]],
    search: { search: 'office' },
  },
  {
    name: 'inbound-numbers',
    collection: '/inbound-numbers',
    createAs: platform,
    create: {
      e164: '+4930777888',
      description: 'Main line',
      destination: { type: 'EXTENSION', value: ext.id },
    },
    patch: { enabled: false },
    stringField: ['description', 200],
    required: 'destination',
    wrongType: ['e164', '030777'],
    search: { search: '777' },
  },
];

void describe('CRUD and validation of every resource', () => {
  for (const s of SPECS) {
    const url = s.collection.startsWith('/v1') ? s.collection : `${t.base}${s.collection}`;
    const as = s.createAs ?? t.api;

    void test(`${s.name}: create, read back, list, patch only the sent fields, delete`, async () => {
      const created = await as('POST', url, { body: s.create });
      expectStatus(created, 201);
      const body = json(created);
      // What you write is what you read back (secrets are write-only).
      for (const [k, v] of Object.entries(s.create)) {
        if (s.secret?.includes(k)) assert.equal(body[k], undefined, `${k} is never returned`);
        else assert.deepEqual(body[k], v, `${s.name}.${k} reads back as written`);
      }
      const itemUrl = `${url}/${body.id}`;
      const got = await as('GET', itemUrl);
      expectStatus(got, 200);
      assert.ok(got.headers.etag, 'GET carries an ETag');
      const read = json(got);
      for (const [k, v] of Object.entries(body))
        if (k !== 'sipPassword') assert.deepEqual(read[k], v, `GET ${k}`);

      const list = await as('GET', url, { query: { limit: '50', ...s.search } });
      expectStatus(list, 200);
      const page = json(list);
      assert.ok(
        page.items.some((i: { id: string }) => i.id === body.id),
        'listed',
      );
      assert.equal(typeof page.total, 'number');
      assert.ok(page.total >= 1);

      const patched = await as('PATCH', itemUrl, { body: s.patch });
      expectStatus(patched, 200);
      const after = json(patched);
      for (const [k, v] of Object.entries(read)) {
        if (k === 'updatedAt') continue;
        if (k in s.patch) assert.deepEqual(after[k], s.patch[k], `patched ${k}`);
        else assert.deepEqual(after[k], v, `PATCH left ${k} alone`);
      }

      const limited = json(await as('GET', url, { query: { limit: '1', offset: '0' } }));
      assert.equal(limited.items.length, 1);
      assert.equal(limited.limit, 1);

      const del = await as('DELETE', itemUrl);
      if (s.purgeBody) {
        expectStatus(del, 202);
        expectStatus(await as('POST', `${itemUrl}/purge`, { body: s.purgeBody(body) }), 204);
      } else expectStatus(del, 204);
      expectProblem(await as('GET', itemUrl), 404, 'NOT_FOUND');
      expectProblem(await as('DELETE', itemUrl), 404, 'NOT_FOUND');
      expectProblem(await as('PATCH', itemUrl, { body: s.patch }), 404, 'NOT_FOUND');
    });

    void test(`${s.name}: validation errors name the field and never 500`, async () => {
      const unknown = await as('POST', url, { body: { ...s.create, surprise: 1 } });
      expectProblem(unknown, 400, 'VALIDATION_FAILED', 'surprise');
      const [field, max] = s.stringField;
      expectProblem(
        await as('POST', url, { body: { ...s.create, [field]: 'x'.repeat(max + 1) } }),
        400,
        'VALIDATION_FAILED',
        field,
      );
      const missing = { ...s.create };
      delete missing[s.required];
      expectProblem(await as('POST', url, { body: missing }), 400, 'VALIDATION_FAILED');
      assert.ok(
        json(await as('POST', url, { body: missing })).errors.some((e: { field: string }) =>
          e.field.startsWith(s.required),
        ),
      );
      const [wrongField, wrongValue] = s.wrongType;
      const wrong = await as('POST', url, { body: { ...s.create, [wrongField]: wrongValue } });
      expectProblem(wrong, 400, 'VALIDATION_FAILED');
      assert.ok(json(wrong).field.startsWith(wrongField), wrong.body);
      expectProblem(await as('POST', url, { body: [] }), 400, 'VALIDATION_FAILED');
      // (For tenants an unknown id is answered by the tenant check, before the body is read.)
      const patchTarget = s.name === 'tenants' ? `${url}/${t.id}` : `${url}/${randomUUID()}`;
      expectProblem(
        await as('PATCH', patchTarget, { body: { surprise: true } }),
        400,
        'VALIDATION_FAILED',
        'surprise',
      );
      expectProblem(await as('GET', `${url}/${randomUUID()}`), 404, 'NOT_FOUND');
      if (s.name === 'tenants') expectProblem(await as('GET', `${url}/not-a-uuid`), 404, 'NOT_FOUND');
      else expectProblem(await as('GET', `${url}/not-a-uuid`), 400, 'VALIDATION_FAILED');
      expectProblem(await as('GET', url, { query: { limit: '0' } }), 400, 'VALIDATION_FAILED', 'limit');
    });
  }

  void test('request-level errors are problem+json, never 500', async () => {
    const bad = await h.app.inject({
      method: 'POST',
      url: `${t.base}/extensions`,
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
      payload: '{"number": ',
    });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    const form = await h.app.inject({
      method: 'POST',
      url: `${t.base}/extensions`,
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'number=1',
    });
    expectProblem(form, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const huge = await t.api('POST', `${t.base}/extensions`, {
      body: { number: '1', displayName: 'x'.repeat(300_000) },
    });
    expectProblem(huge, 413, 'PAYLOAD_TOO_LARGE');
    expectProblem(await t.api('GET', '/v1/nothing-here'), 404, 'NOT_FOUND');
    expectProblem(await h.client.anon('GET', `${t.base}/extensions`), 401, 'UNAUTHENTICATED');
    expectProblem(
      await h.client.as('pbx_unknownkey_aaaaaaaaaaaaaaaaaaaaaaaa')('GET', `${t.base}/extensions`),
      401,
      'UNAUTHENTICATED',
    );
    const malformed = await h.app.inject({
      method: 'GET',
      url: `${t.base}/extensions`,
      headers: { authorization: 'Basic abc' },
    });
    expectProblem(malformed, 401, 'UNAUTHENTICATED');
  });

  void test('extensions: one-time SIP password, phone settings, unique numbers, the tenant limit', async () => {
    const res = await t.api('POST', `${t.base}/extensions`, {
      body: { number: '150', displayName: 'Phone' },
    });
    expectStatus(res, 201);
    const e = json(res);
    assert.match(e.sipPassword, /^[A-Z0-9]{20}$/i);
    assert.deepEqual(e.sip, {
      username: '150',
      domain: 'crud.pbx.test',
      registrar: 'crud.pbx.test',
      transport: 'udp',
    });
    const row = await h.prisma.extension.findUniqueOrThrow({ where: { id: e.id } });
    const { sipA1Hash } = await import('@pbx/domain');
    assert.equal(row.sipA1Hash, sipA1Hash('150', 'crud.pbx.test', e.sipPassword));
    assert.equal(json(await t.api('GET', `${t.base}/extensions/${e.id}`)).sipPassword, undefined);

    const reset = json(await t.api('POST', `${t.base}/extensions/${e.id}/reset-password`));
    assert.notEqual(reset.sipPassword, e.sipPassword);
    const row2 = await h.prisma.extension.findUniqueOrThrow({ where: { id: e.id } });
    assert.equal(row2.sipA1Hash, sipA1Hash('150', 'crud.pbx.test', reset.sipPassword));

    expectProblem(
      await t.api('POST', `${t.base}/extensions`, { body: { number: '150', displayName: 'Dup' } }),
      409,
      'CONFLICT',
      'number',
    );
    // IVR menus and ring groups share the dial plan with extensions.
    expectProblem(
      await t.api('POST', `${t.base}/ring-groups`, {
        body: { name: 'Clash', number: '150', fallback: { type: 'HANGUP' } },
      }),
      409,
      'CONFLICT',
      'number',
    );
    expectProblem(
      await t.api('PATCH', `${t.base}/extensions/${e.id}`, { body: { number: '151' } }),
      400,
      'VALIDATION_FAILED',
      'number',
    );

    const small = await createTenant(h, 'Small', { maxExtensions: 1 });
    expectStatus(
      await small.api('POST', `${small.base}/extensions`, { body: { number: '10', displayName: 'one' } }),
      201,
    );
    expectProblem(
      await small.api('POST', `${small.base}/extensions`, { body: { number: '11', displayName: 'two' } }),
      409,
      'LIMIT_REACHED',
    );
  });

  void test('tenants: domain unique and immutable while extensions exist; IVR menus need both fallbacks', async () => {
    expectProblem(
      await platform('POST', '/v1/tenants', { body: { name: 'Dup', domain: 'crud.pbx.test' } }),
      409,
      'CONFLICT',
      'domain',
    );
    expectProblem(
      await platform('PATCH', `/v1/tenants/${t.id}`, { body: { domain: 'renamed.pbx.test' } }),
      409,
      'CONFLICT',
      'domain',
    );
    expectProblem(
      await platform('POST', '/v1/tenants', { body: { name: 'Bad', domain: 'Upper.Case' } }),
      400,
      'VALIDATION_FAILED',
      'domain',
    );
    expectProblem(
      await platform('POST', '/v1/tenants', {
        body: { name: 'Bad', domain: 'tz.pbx.test', timeZone: 'Mars/Base' },
      }),
      400,
      'VALIDATION_FAILED',
      'timeZone',
    );
    expectProblem(await t.api('PATCH', `/v1/tenants/${t.id}`, { body: { name: 'mine' } }), 403, 'FORBIDDEN');
    expectStatus(await t.api('GET', `/v1/tenants/${t.id}`), 200);

    const noTimeout = await t.api('POST', `${t.base}/ivr-menus`, {
      body: { name: 'x', invalidDestination: { type: 'HANGUP' } },
    });
    expectProblem(noTimeout, 400, 'VALIDATION_FAILED', 'timeoutDestination');
    const hangupWithValue = await t.api('POST', `${t.base}/ivr-menus`, {
      body: {
        name: 'x',
        timeoutDestination: { type: 'HANGUP', value: 'x' },
        invalidDestination: { type: 'HANGUP' },
      },
    });
    expectProblem(hangupWithValue, 400, 'VALIDATION_FAILED');
    const notE164 = await t.api('POST', `${t.base}/ivr-menus`, {
      body: {
        name: 'x',
        timeoutDestination: { type: 'EXTERNAL', value: '0301234' },
        invalidDestination: { type: 'HANGUP' },
      },
    });
    expectProblem(notE164, 400, 'VALIDATION_FAILED', 'timeoutDestination.value');
    const missingTarget = await t.api('POST', `${t.base}/ivr-menus`, {
      body: {
        name: 'x',
        timeoutDestination: { type: 'RING_GROUP', value: randomUUID() },
        invalidDestination: { type: 'HANGUP' },
      },
    });
    expectProblem(missingTarget, 400, 'VALIDATION_FAILED', 'timeoutDestination.value');
    // Loops between menus are allowed.
    const loop = await mk('/ivr-menus', {
      name: 'Loop',
      timeoutDestination: { type: 'HANGUP' },
      invalidDestination: { type: 'HANGUP' },
    });
    const selfLoop = await t.api('PATCH', `${t.base}/ivr-menus/${loop.id}`, {
      body: { options: [{ digits: '0', destination: { type: 'IVR_MENU', value: loop.id } }] },
    });
    expectStatus(selfLoop, 200);
    const dupDigits = await t.api('PATCH', `${t.base}/ivr-menus/${loop.id}`, {
      body: {
        options: [
          { digits: '1', destination: { type: 'HANGUP' } },
          { digits: '1', destination: { type: 'HANGUP' } },
        ],
      },
    });
    expectProblem(dupDigits, 400, 'VALIDATION_FAILED', 'options.1.digits');
  });
});

void test('voicemail boxes: a full box falls back to HANGUP by default, to a destination of the tenant, never to itself', async () => {
  const created = await mk('/voicemail-boxes', { number: '802', name: 'Overflow', pin: '4321' });
  assert.deepEqual(created.fallback, { type: 'HANGUP' });
  const path = `${t.base}/voicemail-boxes/${created.id}`;
  const patched = await t.api('PATCH', path, { body: { fallback: { type: 'EXTENSION', value: ext.id } } });
  expectStatus(patched, 200);
  assert.deepEqual(json(patched).fallback, { type: 'EXTENSION', value: ext.id });
  expectProblem(
    await t.api('PATCH', path, { body: { fallback: { type: 'VOICEMAIL', value: created.id } } }),
    400,
    'VALIDATION_FAILED',
    'fallback.value',
  );
  expectProblem(
    await t.api('PATCH', path, { body: { fallback: { type: 'EXTENSION', value: randomUUID() } } }),
    400,
    'VALIDATION_FAILED',
    'fallback.value',
  );
  expectProblem(
    await t.api('PATCH', path, { body: { fallback: { type: 'EXTENSION' } } }),
    400,
    'VALIDATION_FAILED',
  );
  // The box is a referrer of the extension it falls back to: deleting that extension needs a reroute.
  const del = await t.api('DELETE', `${t.base}/extensions/${ext.id}`);
  expectProblem(del, 409, 'REFERENCED');
  const referrers = json(del).details.referrers as Array<{ entityType: string; id: string; field: string }>;
  assert.ok(
    referrers.some((r) => r.entityType === 'voicemail-box' && r.id === created.id && r.field === 'fallback'),
    JSON.stringify(referrers),
  );
});
