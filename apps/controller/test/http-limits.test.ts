// A stranger cannot freeze the controller's HTTP server: slow heads and bodies are cut off after the configured
// time-outs, and one address cannot hold more than its share of connections while FreeSWITCH (another address)
// keeps being answered. Real TCP on loopback (127.0.0.1 and 127.0.0.2); no sleeps: each test waits for the close
// or the answer, bounded by the test's own time-out.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { sipAuthRequest } from '@pbx/freeswitch-double/xml-curl';
import { createTestDatabase, cutOff, exchange, sendShortBody, untilClosed } from '@pbx/testing';
import {
  createExtension,
  createTenant,
  startController,
  lookupBytes,
  XML_AUTH,
  type Running,
} from './helpers.js';

const db = await createTestDatabase();
const BOUND = { timeout: 15_000 };

const registerOf = (port: number) =>
  lookupBytes(
    port,
    '/freeswitch/directory',
    sipAuthRequest({ method: 'REGISTER', user: '1001', domain: 'acme.test' }),
  );

const open = (port: number, localAddress = '127.0.0.1') =>
  new Promise<Socket>((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1', localAddress }, () => resolve(s));
    s.once('error', reject);
  });

void describe('controller HTTP limits', () => {
  let c: Running;

  before(async () => {
    c = await startController(db.url, {
      xmlCurlAllow: '127.0.0.0/8',
      // Short enough for a test, long enough for a lookup on a busy machine.
      timeouts: { requestTimeoutMs: 1_000, headersTimeoutMs: 1_000, keepAliveTimeoutMs: 60_000 },
      maxConnectionsPerAddress: 3,
    });
    const acme = await createTenant(c.prisma, 'acme.test');
    await createExtension(c.prisma, acme, '1001');
  });
  after(async () => c.close());

  void test('a body that stops short of its Content-Length is closed', BOUND, async () => {
    for (const path of ['/freeswitch/dialplan', '/explain', '/freeswitch/cdr']) {
      const type = path === '/freeswitch/dialplan' ? 'application/x-www-form-urlencoded' : 'application/json';
      const r = await sendShortBody(c.port, path, `Authorization: ${XML_AUTH}\r\nContent-Type: ${type}\r\n`);
      // node:http answers 408 when it gives up on a request.
      assert.ok(cutOff(r), `${path}: ${r.raw.slice(0, 60)}`);
    }
  });

  void test('a head that never ends, and a connection that sends nothing, are closed', BOUND, async () => {
    const head = await exchange(c.port, [`POST /freeswitch/directory HTTP/1.1\r\nHost: x\r\n`], {
      untilClose: true,
    });
    assert.ok(cutOff(head), head.raw.slice(0, 60));
    const silent = await open(c.port);
    await untilClosed(silent);
  });

  void test('one address holds at most the cap; another address is still answered', BOUND, async () => {
    // Three kept-alive connections the server has certainly accepted: each has had an answer.
    const held: Socket[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await open(c.port);
      held.push(s);
      await new Promise<void>((resolve) => {
        s.once('data', () => resolve());
        s.write(`GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: ${XML_AUTH}\r\n\r\n`);
      });
    }
    const register = registerOf(c.port);
    const refused = await exchange(c.port, [register]);
    assert.ok(refused.closed);
    assert.equal(refused.status, 0, refused.raw.slice(0, 60));

    const other = await exchange(c.port, [register], { localAddress: '127.0.0.2' });
    assert.equal(other.status, 200);
    assert.match(other.body, /<user id="1001"[ >]/);

    const metrics = await exchange(
      c.port,
      [`GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: ${XML_AUTH}\r\n\r\n`],
      { localAddress: '127.0.0.2' },
    );
    assert.match(metrics.body, /^pbx_http_connections_refused_total\{reason="per_address_cap"\} [1-9]/m);

    // A closed connection gives its slot back (the server sees the close a moment after the client).
    const gone = held.pop() as Socket;
    gone.destroy();
    await untilClosed(gone);
    let again = await exchange(c.port, [register]);
    for (let tries = 0; again.status !== 200 && tries < 100; tries++) {
      await new Promise((r) => setImmediate(r));
      again = await exchange(c.port, [register]);
    }
    assert.equal(again.status, 200);
    for (const s of held) s.destroy();
  });
});
