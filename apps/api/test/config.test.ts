import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '@pbx/config';
import { loadConfig } from '../src/config.js';

void test('defaults suit local development', () => {
  const c = loadConfig({});
  assert.equal(c.API_PORT, 3000);
  assert.equal(c.SIP_TRANSPORT, 'udp');
  assert.equal(c.SESSION_COOKIE_SECURE, false);
  assert.equal(c.SIP_REGISTRAR_HOST, undefined);
  assert.equal(c.TRUST_PROXY, false);
  assert.equal(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY, true);
  assert.equal(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).TRUST_PROXY, '127.0.0.1, 10.0.0.0/8');
});

void test('a bad value gives a one-line ConfigError naming the variable', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ API_PORT: 'abc' }, 'API_PORT'],
    [{ API_PORT: '70000' }, 'API_PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ SIP_TRANSPORT: 'sctp' }, 'SIP_TRANSPORT'],
    [{ SESSION_COOKIE_SECURE: 'maybe' }, 'SESSION_COOKIE_SECURE'],
    [{ LOGIN_MAX_FAILURES: '0' }, 'LOGIN_MAX_FAILURES'],
    [{ SIP_REGISTRAR_HOST: 'bad host!' }, 'SIP_REGISTRAR_HOST'],
    [{ TRUST_PROXY: 'everyone' }, 'TRUST_PROXY'],
  ];
  for (const [env, name] of cases) {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.ok(error.message.includes(name), error.message);
        assert.ok(!error.message.includes('\n'), 'one line');
        return true;
      },
    );
  }
});
