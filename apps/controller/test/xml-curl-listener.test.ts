// The lookup listener in front of Fastify: lookups read straight off the socket, strictly; every other request
// handed to node:http with its bytes intact. Real controller, real PostgreSQL and Redis, raw TCP.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { dialplanRequest, requestBytes, sipAuthRequest } from '@pbx/freeswitch-double/xml-curl';
import { createTestDatabase } from '@pbx/testing';
import {
  createExtension,
  createTenant,
  startController,
  XML_PASSWORD,
  XML_USER,
  type Running,
} from './helpers.js';

const db = await createTestDatabase();
const AUTH = `Basic ${Buffer.from(`${XML_USER}:${XML_PASSWORD}`).toString('base64')}`;

type Reply = { status: number; head: string; body: string; raw: string; closed: boolean };

/**
 * Writes `parts` one by one (a pause between them lets each arrive as its own TCP segment) and reads until the
 * server closes or `waitMs` passes.
 */
function exchange(port: number, parts: (string | Buffer)[], o: { gapMs?: number; waitMs?: number } = {}) {
  return new Promise<Reply>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks).toString('utf8');
      // Interim 1xx answers come first, each a head alone.
      let final = raw;
      while (/^HTTP\/1\.1 1\d\d /.test(final)) final = final.slice(final.indexOf('\r\n\r\n') + 4);
      const sep = final.indexOf('\r\n\r\n');
      resolve({
        status: sep > 0 ? Number(final.slice(9, 12)) : 0,
        head: final.slice(0, sep),
        body: final.slice(sep + 4),
        raw,
        closed,
      });
    };
    const timer = setTimeout(done, o.waitMs ?? 3000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      closed = true;
      done();
    });
    void (async () => {
      for (const p of parts) {
        if (socket.destroyed) return;
        socket.write(p);
        if (o.gapMs) await new Promise((r) => setTimeout(r, o.gapMs));
      }
    })();
  });
}

/** A call from 1001 to 1002 of acme.test as mod_xml_curl posts it, with any extra channel variables. */
function dialplanBytes(port: number, extra: [string, string][] = []): Buffer {
  return requestBytes(
    { host: '127.0.0.1', port, path: '/freeswitch/dialplan', user: XML_USER, password: XML_PASSWORD },
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

void describe('xml_curl listener', () => {
  let c: Running;
  let register: Buffer;
  let call: Buffer;

  before(async () => {
    c = await startController(db.url, { requestTimeoutMs: 400 });
    const acme = await createTenant(c.prisma, 'acme.test');
    await createExtension(c.prisma, acme, '1001', { displayName: 'Alice' });
    await createExtension(c.prisma, acme, '1002');
    register = requestBytes(
      {
        host: '127.0.0.1',
        port: c.port,
        path: '/freeswitch/directory',
        user: XML_USER,
        password: XML_PASSWORD,
      },
      sipAuthRequest({ method: 'REGISTER', user: '1001', domain: 'acme.test' }),
    );
    call = dialplanBytes(c.port);
  });
  after(async () => c.close());

  void test('answers a lookup and closes the connection', async () => {
    const r = await exchange(c.port, [register]);
    assert.equal(r.status, 200);
    assert.equal(header(r, 'content-type'), 'text/xml');
    assert.equal(Number(header(r, 'content-length')), Buffer.byteLength(r.body));
    assert.equal(header(r, 'connection'), 'close');
    assert.ok(header(r, 'date'));
    assert.match(r.body, /<user id="1001">/);
    assert.ok(r.closed);
  });

  void test('a request split anywhere, even byte by byte, gets the same answer', async () => {
    const whole = await exchange(c.port, [call]);
    assert.match(whole.body, /application="bridge"/);
    const headEnd = call.indexOf('\r\n\r\n');
    // Inside the request line (before the path is known), inside the head, exactly at the body, inside the body.
    for (const at of [1, 5, 20, headEnd, headEnd + 2, headEnd + 4, headEnd + 5, call.length - 1]) {
      const r = await exchange(c.port, [call.subarray(0, at), call.subarray(at)], { gapMs: 15 });
      assert.equal(r.body, whole.body, `split at ${at}`);
    }
    const head = call.subarray(0, headEnd + 4);
    const bytes = Array.from(head, (_, i) => head.subarray(i, i + 1));
    const r = await exchange(c.port, [...bytes, call.subarray(headEnd + 4)], { gapMs: 1 });
    assert.equal(r.body, whole.body);

    // A call with 360 KB of channel variables (encoded): its body arrives in many segments.
    const big = dialplanBytes(c.port, [['padding', 'é&='.repeat(30_000)]]);
    const pieces = Array.from({ length: 20 }, (_, i) =>
      big.subarray(Math.floor((i * big.length) / 20), Math.floor(((i + 1) * big.length) / 20)),
    );
    const large = await exchange(c.port, pieces, { gapMs: 5 });
    assert.equal(large.status, 200);
    assert.equal(large.body, whole.body);
  });

  void test('Expect: 100-continue gets the interim answer, then the lookup', async () => {
    const s = call.toString('latin1');
    const headEnd = s.indexOf('\r\n\r\n');
    const head = `${s.slice(0, headEnd)}\r\nExpect: 100-continue\r\n\r\n`;
    const r = await exchange(c.port, [head, s.slice(headEnd + 4)], { gapMs: 50 });
    assert.ok(r.raw.startsWith('HTTP/1.1 100 Continue\r\n\r\n'), r.raw.slice(0, 40));
    assert.equal(r.status, 200);
    assert.match(r.body, /application="bridge"/);
    // mod_xml_curl's own default: an empty Expect header.
    const empty = await exchange(c.port, [`${s.slice(0, headEnd)}\r\nExpect:\r\n${s.slice(headEnd + 2)}`]);
    assert.equal(empty.status, 200);
    assert.ok(!empty.raw.includes('100 Continue'));
  });

  void test('malformed or unsupported requests get a clear 4xx/5xx, never a lookup', async () => {
    const post = (head: string, body = 'section=directory') =>
      `POST /freeswitch/directory HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\n${head}\r\n${body}`;
    const cases: [string, string, number][] = [
      ['no length', post(''), 411],
      ['chunked', post('Transfer-Encoding: chunked\r\n', '11\r\nsection=directory\r\n0\r\n\r\n'), 501],
      ['conflicting lengths', post('Content-Length: 17\r\nContent-Length: 18\r\n'), 400],
      ['signed length', post('Content-Length: +17\r\n'), 400],
      ['too large', post(`Content-Length: ${2 * 1024 * 1024}\r\n`), 413],
      ['folded header', post('Content-Length: 17\r\nX-A: a\r\n b\r\n'), 400],
      ['bare LF', post('Content-Length: 17\nX-A: a\r\n'), 400],
      ['unknown expectation', post('Content-Length: 17\r\nExpect: teapot\r\n'), 417],
      ['GET', `GET /freeswitch/directory HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\n\r\n`, 405],
      ['HTTP/2.0', `POST /freeswitch/directory HTTP/2.0\r\nHost: x\r\n\r\n`, 505],
      ['no auth', `POST /freeswitch/dialplan HTTP/1.1\r\nContent-Length: 16\r\n\r\nsection=dialplan`, 401],
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
      assert.ok(r.closed, name);
    }
    const unauthorized = await exchange(c.port, [
      `POST /freeswitch/dialplan HTTP/1.1\r\nAuthorization: Basic eDp5\r\nContent-Length: 16\r\n\r\nsection=dialplan`,
    ]);
    assert.equal(header(unauthorized, 'www-authenticate'), 'Basic realm="pbx-controller"');
  });

  void test('/metrics counts lookups by path and status', async () => {
    const scrape = async () =>
      (
        await exchange(c.port, [
          `GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nConnection: close\r\n\r\n`,
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
    await exchange(c.port, [`POST /freeswitch/dialplan HTTP/1.1\r\nContent-Length: 0\r\n\r\n`]);
    const after = await scrape();
    assert.equal(count(after, '/freeswitch/directory', 200) - count(before, '/freeswitch/directory', 200), 1);
    assert.equal(count(after, '/freeswitch/dialplan', 200) - count(before, '/freeswitch/dialplan', 200), 2);
    assert.equal(count(after, '/freeswitch/dialplan', 401) - count(before, '/freeswitch/dialplan', 401), 1);
  });

  void test('a query string on the lookup path is still a lookup; bytes after the body are ignored', async () => {
    const s = register.toString('latin1').replace('/freeswitch/directory ', '/freeswitch/directory?x=1 ');
    const r = await exchange(c.port, [s + 'GET /metrics HTTP/1.1\r\n\r\n']);
    assert.equal(r.status, 200);
    assert.match(r.body, /<user id="1001">/);
    assert.ok(!r.raw.includes('# HELP'));
  });

  void test('every other request reaches Fastify with its bytes intact, however they arrive', async () => {
    const metrics = await exchange(
      c.port,
      ['GE', 'T /metr', `ics HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nConnection: close\r\n\r\n`],
      { gapMs: 20 },
    );
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /# HELP/);

    const json = JSON.stringify({ domain: 'acme.test', from: '1001', to: '1002', note: 'x'.repeat(100_000) });
    const explain =
      `POST /explain HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nContent-Type: application/json\r\n` +
      `Connection: close\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
    const pieces = [
      explain.slice(0, 3),
      explain.slice(3, 200),
      explain.slice(200, 50_000),
      explain.slice(50_000),
    ];
    const r = await exchange(c.port, pieces, { gapMs: 20 });
    assert.equal(r.status, 200, r.raw.slice(0, 200));
    assert.ok((JSON.parse(r.body) as { text: string[] }).text.length > 0);

    // Paths that name properties of a plain object are not lookups either.
    for (const path of ['constructor', '__proto__', '/freeswitch/toString', 'hasOwnProperty']) {
      const odd = await exchange(c.port, [
        `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nContent-Length: 2\r\n\r\n{}`,
      ]);
      assert.ok(odd.status >= 400 && odd.status < 500, `${path}: ${odd.raw.slice(0, 60)}`);
    }

    // Keep-alive still works for what node:http serves; a lookup is only recognised as a connection's first request.
    const lookup = register.toString('latin1').replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n');
    const twice = await exchange(c.port, [
      `GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\n\r\n`,
      `GET /nowhere HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\n\r\n`,
      lookup,
    ]);
    // Fastify's JSON bodies do not end with a newline: the next status line follows right after them.
    assert.deepEqual(
      [...twice.raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]),
      ['200', '404', '404'],
    );
    assert.match(twice.raw, /Route POST:\/freeswitch\/directory not found/);
  });

  void test('a client that stalls is cut off after the request time-out', async () => {
    const s = call.toString('latin1');
    const t0 = Date.now();
    const lookup = await exchange(c.port, [s.slice(0, s.length - 10)], { waitMs: 5000 });
    assert.ok(lookup.closed);
    assert.equal(lookup.status, 0);
    const silent = await exchange(c.port, [], { waitMs: 5000 });
    assert.ok(silent.closed);
    assert.ok(Date.now() - t0 < 4000, `${Date.now() - t0} ms`);
  });

  void test('closing the controller drops connections that are still sending', async () => {
    const other = await startController(db.url);
    const pending = exchange(other.port, [call.subarray(0, 100)], { waitMs: 5000 });
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await other.close();
    assert.ok((await pending).closed);
    assert.ok(Date.now() - t0 < 2000, `close took ${Date.now() - t0} ms`);
  });
});
