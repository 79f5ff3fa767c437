// The mod_xml_curl lookups as Fastify routes, over raw TCP: FreeSWITCH's exact bytes, requests split anywhere,
// malformed requests, metrics. Real controller, real PostgreSQL and Redis.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dialplanRequest, sipAuthRequest } from '@pbx/freeswitch-double/xml-curl';
import { createTestDatabase, exchange, type Reply } from '@pbx/testing';
import {
  createExtension,
  createTenant,
  startController,
  lookupBytes,
  XML_AUTH,
  type Running,
} from './helpers.js';

const db = await createTestDatabase();

/** A call from 1001 to 1002 of acme.test as mod_xml_curl posts it, with any extra channel variables. */
function dialplanBytes(port: number, extra: [string, string][] = []): Buffer {
  return lookupBytes(
    port,
    '/freeswitch/dialplan',
    dialplanRequest({
      uuid: '6c1f0b0e-8f5c-4a4c-9d0e-6c1f0b0e8f5c',
      destination: '1002',
      context: 'acme.test',
      user: '1001',
      domain: 'acme.test',
      callerIdName: 'Alice',
      callerIdNumber: '1001',
      directoryVariables: [['user_context', 'acme.test'], ...extra],
    }),
  );
}

const header = (r: Reply, name: string) => new RegExp(`^${name}: *(.*)$`, 'im').exec(r.head)?.[1]?.trim();

void describe('xml_curl routes', () => {
  let c: Running;
  let register: Buffer;
  let call: Buffer;

  before(async () => {
    // With a logger, as in production (Fastify then takes the routes' child-logger factory).
    c = await startController(db.url, {}, { logger: { level: 'silent' } });
    const acme = await createTenant(c.prisma, 'acme.test');
    await createExtension(c.prisma, acme, '1001', { displayName: 'Alice' });
    await createExtension(c.prisma, acme, '1002');
    register = lookupBytes(
      c.port,
      '/freeswitch/directory',
      sipAuthRequest({ method: 'REGISTER', user: '1001', domain: 'acme.test' }),
    );
    call = dialplanBytes(c.port);
  });
  after(async () => c.close());

  void test('answers a lookup as text/xml with its length', async () => {
    const r = await exchange(c.port, [register]);
    assert.equal(r.status, 200);
    assert.match(header(r, 'content-type') ?? '', /^text\/xml/);
    assert.equal(Number(header(r, 'content-length')), Buffer.byteLength(r.body));
    assert.match(r.body, /<user id="1001"[ >]/);
  });

  void test('a request split anywhere gets the same answer; a 360 KB body in 20 segments too', async () => {
    const whole = await exchange(c.port, [call]);
    assert.match(whole.body, /application="bridge"/);
    const headEnd = call.indexOf('\r\n\r\n');
    // Inside the request line, inside the head, exactly at the body, inside the body.
    for (const at of [1, 5, 20, headEnd, headEnd + 2, headEnd + 4, headEnd + 5, call.length - 1]) {
      const r = await exchange(c.port, [call.subarray(0, at), call.subarray(at)], { gapMs: 5 });
      assert.equal(r.body, whole.body, `split at ${at}`);
    }
    const big = dialplanBytes(c.port, [['padding', 'é&='.repeat(30_000)]]);
    const pieces = Array.from({ length: 20 }, (_, i) =>
      big.subarray(Math.floor((i * big.length) / 20), Math.floor(((i + 1) * big.length) / 20)),
    );
    const large = await exchange(c.port, pieces, { gapMs: 2 });
    assert.equal(large.status, 200);
    assert.equal(large.body, whole.body);
  });

  void test('Expect: 100-continue gets the interim answer, then the lookup', async () => {
    const s = call.toString('latin1');
    const headEnd = s.indexOf('\r\n\r\n');
    const head = `${s.slice(0, headEnd)}\r\nExpect: 100-continue\r\n\r\n`;
    const r = await exchange(c.port, [head, s.slice(headEnd + 4)], { gapMs: 20 });
    assert.ok(r.raw.startsWith('HTTP/1.1 100 Continue\r\n'), r.raw.slice(0, 40));
    assert.equal(r.status, 200);
    assert.match(r.body, /application="bridge"/);
  });

  void test('malformed or refused requests get a clear 4xx/5xx, never a lookup', async () => {
    const post = (head: string, body = 'section=directory') =>
      `POST /freeswitch/directory HTTP/1.1\r\nHost: x\r\nAuthorization: ${XML_AUTH}\r\n` +
      `Content-Type: application/x-www-form-urlencoded\r\n${head}\r\n${body}`;
    const cases: [string, string, number][] = [
      ['conflicting lengths', post('Content-Length: 17\r\nContent-Length: 18\r\n'), 400],
      ['signed length', post('Content-Length: +17\r\n'), 400],
      ['too large', post(`Content-Length: ${2 * 1024 * 1024}\r\n`), 413],
      ['folded header', post('Content-Length: 17\r\nX-A: a\r\n b\r\n'), 400],
      ['GET', `GET /freeswitch/directory HTTP/1.1\r\nHost: x\r\nAuthorization: ${XML_AUTH}\r\n\r\n`, 404],
      [
        'no auth',
        `POST /freeswitch/dialplan HTTP/1.1\r\nHost: x\r\nContent-Length: 16\r\n\r\nsection=dialplan`,
        401,
      ],
      [
        'head too large',
        `POST /freeswitch/dialplan HTTP/1.1\r\nX-Pad: ${'a'.repeat(17 * 1024)}\r\n\r\n`,
        431,
      ],
    ];
    for (const [name, bytes, status] of cases) {
      const r = await exchange(c.port, [bytes]);
      assert.equal(r.status, status, `${name}: ${r.raw.slice(0, 80)}`);
      assert.ok(!r.body.includes('<document'), name);
    }
    const unauthorized = await exchange(c.port, [
      `POST /freeswitch/dialplan HTTP/1.1\r\nHost: x\r\nAuthorization: Basic eDp5\r\nContent-Length: 16\r\n\r\nsection=dialplan`,
    ]);
    assert.equal(unauthorized.status, 401);
    assert.equal(header(unauthorized, 'www-authenticate'), 'Basic realm="pbx-controller"');
  });

  void test('/metrics counts lookups by path and status, refusals included', async () => {
    const scrape = async () =>
      (
        await exchange(c.port, [
          `GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: ${XML_AUTH}\r\nConnection: close\r\n\r\n`,
        ])
      ).body;
    const count = (text: string, path: string, status: number) =>
      Number(
        new RegExp(`^pbx_xml_curl_lookups_total\\{path="${path}",status="${status}"\\} (\\d+)$`, 'm').exec(
          text,
        )?.[1] ?? 0,
      );
    const before = await scrape();
    await exchange(c.port, [register]);
    await exchange(c.port, [call]);
    await exchange(c.port, [call]);
    await exchange(c.port, [`POST /freeswitch/dialplan HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`]);
    // What Fastify answers by itself for the route (a body over the limit) is counted too.
    const tooLarge = await exchange(c.port, [
      `POST /freeswitch/dialplan HTTP/1.1\r\nHost: x\r\nAuthorization: ${XML_AUTH}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\nsection=dialplan`,
    ]);
    assert.equal(tooLarge.status, 413);
    const after = await scrape();
    assert.equal(count(after, '/freeswitch/directory', 200) - count(before, '/freeswitch/directory', 200), 1);
    assert.equal(count(after, '/freeswitch/dialplan', 200) - count(before, '/freeswitch/dialplan', 200), 2);
    assert.equal(count(after, '/freeswitch/dialplan', 401) - count(before, '/freeswitch/dialplan', 401), 1);
    assert.equal(count(after, '/freeswitch/dialplan', 413) - count(before, '/freeswitch/dialplan', 413), 1);
  });

  void test('a query string on the lookup path is still a lookup; lookups on a kept-alive connection too', async () => {
    const s = register.toString('latin1').replace('/freeswitch/directory ', '/freeswitch/directory?x=1 ');
    const r = await exchange(c.port, [s]);
    assert.equal(r.status, 200);
    assert.match(r.body, /<user id="1001"[ >]/);

    const twice = await exchange(
      c.port,
      [
        `GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: ${XML_AUTH}\r\n\r\n`,
        register.toString('latin1').replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'),
      ],
      { untilClose: true },
    );
    assert.ok(twice.closed);
    assert.deepEqual(
      [...twice.raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]),
      ['200', '200'],
    );
    assert.match(twice.raw, /<user id="1001"[ >]/);
  });

  void test('a body that is not a form is not a lookup', async () => {
    const json = '{"section":"directory"}';
    const r = await exchange(c.port, [
      `POST /freeswitch/directory HTTP/1.1\r\nHost: x\r\nAuthorization: ${XML_AUTH}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${json.length}\r\n\r\n${json}`,
    ]);
    assert.equal(r.status, 200);
    assert.match(r.body, /<result status="not found"\/>/);
  });
});
