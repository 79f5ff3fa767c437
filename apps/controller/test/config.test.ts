import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '@pbx/config';
import { allowListOf, parseCidrList } from '../src/allow-list.js';
import { loadConfig } from '../src/config.js';

const base = {
  XML_CURL_USER: 'freeswitch',
  XML_CURL_PASSWORD: 'a-long-enough-secret',
  ESL_PASSWORD: 'an-esl-secret',
};

void test('defaults', () => {
  const c = loadConfig(base);
  assert.equal(c.CONTROLLER_HTTP_PORT, 8099);
  assert.equal(c.CONTROLLER_HTTP_HOST, '127.0.0.1');
  assert.equal(c.XML_CURL_ALLOW, '127.0.0.1/32,::1/128');
  assert.equal(c.OUTBOUND_SOCKET_ADDRESS, '127.0.0.1:8084');
  assert.equal(c.NEGATIVE_CACHE_SEC, 30);
  assert.equal(
    loadConfig({ XML_CURL_PASSWORD: 'a-long-enough-secret', ESL_PASSWORD: 'x' }).XML_CURL_USER,
    'freeswitch',
  );
  assert.deepEqual(c.ESL_NODES, [{ name: '127.0.0.1:8021', host: '127.0.0.1', port: 8021 }]);
});

void test('bad values are named, secrets are not echoed', () => {
  assert.throws(
    () => loadConfig({ XML_CURL_USER: 'fs' }),
    (e: unknown) => e instanceof ConfigError && e.message.includes('XML_CURL_PASSWORD'),
  );
  assert.throws(() => loadConfig({ ...base, XML_CURL_USER: 'a:b' }), /XML_CURL_USER/);
  assert.throws(
    () => loadConfig({ ...base, XML_CURL_PASSWORD: 'short' }),
    (e: unknown) =>
      e instanceof ConfigError && !e.message.includes('short') && e.message.includes('XML_CURL_PASSWORD'),
  );
  assert.throws(() => loadConfig({ ...base, XML_CURL_ALLOW: '10.0.0.0/33' }), /XML_CURL_ALLOW/);
  assert.throws(
    () => loadConfig({ ...base, OUTBOUND_SOCKET_ADDRESS: '127.0.0.1 async' }),
    /OUTBOUND_SOCKET_ADDRESS/,
  );
  assert.throws(() => loadConfig({ ...base, RECORDINGS_DIR: 'relative/${x}' }), /RECORDINGS_DIR/);
});

void test('allow-list matches IPv4, IPv6 and IPv4-mapped peers', () => {
  const allowed = allowListOf(parseCidrList('127.0.0.1/32, 10.1.0.0/16, fd00::/8'));
  assert.equal(allowed('127.0.0.1'), true);
  assert.equal(allowed('::ffff:10.1.2.3'), true);
  assert.equal(allowed('10.2.0.1'), false);
  assert.equal(allowed('fd12::1'), true);
  assert.equal(allowed('::1'), false);
  assert.equal(allowed(undefined), false);
});

void test('ESL_NODES: host:port or name@host:port, comma-separated; ESL_PASSWORD required', () => {
  assert.deepEqual(
    loadConfig({ ...base, ESL_NODES: 'fs-01@10.0.0.5:8021, fs2.example.net:9021,[::1]:8021' }).ESL_NODES,
    [
      { name: 'fs-01', host: '10.0.0.5', port: 8021 },
      { name: 'fs2.example.net:9021', host: 'fs2.example.net', port: 9021 },
      { name: '[::1]:8021', host: '::1', port: 8021 },
    ],
  );
  for (const bad of [
    '',
    ' , ',
    '10.0.0.5',
    '10.0.0.5:0',
    '10.0.0.5:70000',
    'a b@h:1',
    'h:1,x@h:2,x@h:3',
    'h:1,h:1',
  ])
    assert.throws(
      () => loadConfig({ ...base, ESL_NODES: bad }),
      (e: unknown) => e instanceof ConfigError && e.message.includes('ESL_NODES'),
      bad,
    );
  const { ESL_PASSWORD: _, ...noPassword } = base;
  assert.throws(
    () => loadConfig(noPassword),
    (e: unknown) => e instanceof ConfigError && e.message.includes('ESL_PASSWORD'),
  );
  assert.throws(
    () => loadConfig({ ...base, ESL_PASSWORD: 'pass\nevent plain ALL' }),
    (e: unknown) =>
      e instanceof ConfigError && e.message.includes('ESL_PASSWORD') && !e.message.includes('event plain'),
  );
});

void test('the published example secrets are refused unless NODE_ENV is development or test', () => {
  for (const [name, value] of [
    ['ESL_PASSWORD', 'ClueCon'],
    ['XML_CURL_PASSWORD', 'local-dev-xml-curl-password'],
  ] as const) {
    for (const NODE_ENV of [undefined, 'production'])
      assert.throws(
        () => loadConfig({ ...base, [name]: value, ...(NODE_ENV ? { NODE_ENV } : {}) }),
        (e: unknown) =>
          e instanceof ConfigError &&
          e.message.includes(`${name}: is the published example value`) &&
          !e.message.includes(value) &&
          !e.message.includes('\n'),
        `${name} with NODE_ENV ${NODE_ENV ?? 'unset'}`,
      );
    for (const NODE_ENV of ['development', 'test'])
      assert.equal(loadConfig({ ...base, [name]: value, NODE_ENV })[name], value);
  }
  assert.throws(
    () => loadConfig({ ...base, NODE_ENV: 'prod' }),
    /NODE_ENV: expected development, test or production/,
  );
});

void test('DIRECTORY_CACHE_MS: default 30 min, at most 2147483 ms (FreeSWITCH int overflow), at least 1', () => {
  assert.equal(loadConfig(base).DIRECTORY_CACHE_MS, 1_800_000);
  assert.equal(loadConfig({ ...base, DIRECTORY_CACHE_MS: '2147483' }).DIRECTORY_CACHE_MS, 2_147_483);
  assert.throws(
    () => loadConfig({ ...base, DIRECTORY_CACHE_MS: '3600000' }),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.message.includes('DIRECTORY_CACHE_MS') &&
      e.message.includes('2147483') &&
      e.message.includes('caches nothing'),
  );
  assert.throws(() => loadConfig({ ...base, DIRECTORY_CACHE_MS: '0' }), /DIRECTORY_CACHE_MS/);
  assert.throws(() => loadConfig({ ...base, DIRECTORY_CACHE_MS: '1.5' }), /DIRECTORY_CACHE_MS/);
});
