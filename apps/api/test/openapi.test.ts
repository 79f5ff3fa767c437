import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectStatus, json, startApi } from './helpers.js';

const h = await startApi();

void test('the OpenAPI 3.1 document lists every registered route with its request and response schemas', async () => {
  const res = await h.client.anon('GET', '/v1/openapi.json');
  expectStatus(res, 200);
  const doc = json(res);
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(typeof doc.info.title, 'string');
  assert.ok(doc.components.securitySchemes.apiKey);

  const registered = h.app.registeredRoutes
    .filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/v1/docs'))
    .map((r) => `${r.method} ${r.url.replace(/:([A-Z]+)/gi, '{$1}')}`)
    .sort();
  const documented: string[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      documented.push(`${method.toUpperCase()} ${path}`);
      const where = `${method.toUpperCase()} ${path}`;
      assert.ok(op.summary, `${where} has a summary`);
      assert.ok(op.tags?.length, `${where} has tags`);
      const ok = Object.entries<any>(op.responses).filter(([code]) => /^2/.test(code));
      assert.ok(ok.length > 0, `${where} documents a success response`);
      for (const [code, r] of ok) if (code !== '204') assert.ok(r.content, `${where} ${code} has a schema`);
      if (
        path.startsWith('/v1/') &&
        !path.startsWith('/v1/openapi') &&
        path !== '/v1/auth/login' &&
        path !== '/v1/auth/logout'
      ) {
        assert.ok(op.responses['4XX'] ?? op.responses['4xx'], `${where} documents its errors`);
      }
      for (const param of path.match(/\{[A-Z]+\}/gi) ?? []) {
        const name = param.slice(1, -1);
        assert.ok(
          op.parameters?.some((p: any) => p.in === 'path' && p.name === name),
          `${where} documents path parameter ${name}`,
        );
      }
      const upload = op.requestBody?.content['multipart/form-data']?.schema;
      if (upload) {
        // Greeting uploads: one binary part named "file".
        assert.deepEqual(upload.required, ['file'], `${where} documents its file field`);
        assert.equal(upload.properties.file.format, 'binary', `${where} documents a binary file`);
      } else if (['POST', 'PATCH', 'PUT'].includes(method.toUpperCase()) && op.requestBody) {
        const schema = op.requestBody.content['application/json'].schema;
        assert.equal(schema.additionalProperties, false, `${where} rejects unknown fields`);
      }
    }
  }
  assert.deepEqual(documented.sort(), registered, 'every registered route is documented and nothing else');
  for (const path of ['/v1/auth/login', '/healthz', '/readyz', '/metrics', '/v1/openapi.json']) {
    const op = doc.paths[path].get ?? doc.paths[path].post;
    assert.deepEqual(op.security, [], `${path} needs no credentials`);
  }
  assert.equal(
    doc.paths['/v1/tenants'].get.security,
    undefined,
    'other routes inherit the global requirement',
  );
  assert.equal(res.headers['cache-control'], 'no-store');

  // Unique, generator-friendly operation ids.
  const ids = Object.values<Record<string, any>>(doc.paths).flatMap((item) =>
    Object.values<any>(item).map((op) => op.operationId as string),
  );
  assert.equal(new Set(ids).size, ids.length, `duplicate operationIds: ${ids.join()}`);
  for (const id of ids) assert.match(id, /^[a-z][A-Za-z]+$/);
  const expected: Array<[string, string, string]> = [
    ['get', '/v1/tenants', 'listTenants'],
    ['post', '/v1/tenants/{tenantId}/extensions', 'createExtension'],
    ['post', '/v1/tenants/{tenantId}/extensions/{extensionId}/reset-password', 'resetExtensionPassword'],
    ['patch', '/v1/tenants/{tenantId}/extensions/{extensionId}/settings', 'updateExtensionSettings'],
    ['get', '/v1/tenants/{tenantId}/voicemail-boxes/{boxId}/messages', 'listVoicemailBoxMessages'],
    [
      'get',
      '/v1/tenants/{tenantId}/voicemail-boxes/{boxId}/messages/{messageId}/audio',
      'getVoicemailBoxMessageAudio',
    ],
    ['delete', '/v1/tenants/{tenantId}/ivr-menus/{menuId}', 'deleteIvrMenu'],
  ];
  for (const [method, path, id] of expected) assert.equal(doc.paths[path][method].operationId, id);
  const bodies = [
    'POST /v1/tenants/{tenantId}/extensions',
    'PATCH /v1/tenants/{tenantId}/ivr-menus/{menuId}',
    'POST /v1/auth/login',
  ];
  for (const b of bodies) {
    const [method = '', path = ''] = b.split(' ');
    assert.ok(doc.paths[path][method.toLowerCase()].requestBody, `${b} documents its body`);
  }
});

void test('the interactive docs are served', async () => {
  const res = await h.client.anon('GET', '/v1/docs/');
  expectStatus(res, 200);
  assert.match(res.body, /swagger/i);
});
