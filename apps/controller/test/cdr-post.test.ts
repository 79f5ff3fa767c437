import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createDb } from '@pbx/db';
import { createTestDatabase } from '@pbx/testing';
import { buildController } from '../src/app.js';
import { postCdr, seedTenant } from './events-harness.js';
import { startController, TEST_SETTINGS, XML_AUTH, type Running } from './helpers.js';

const DIR = fileURLToPath(new URL('../../../tests/fixtures/freeswitch/json_cdr/', import.meta.url));
const CAPTURES = readdirSync(DIR)
  .filter((f) => f.endsWith('.request.http'))
  .sort();
const AUTH = `Authorization: ${XML_AUTH}\r\n`;

/** Writes raw bytes on a fresh TCP connection and returns the raw HTTP answer. */
function rawRequest(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    // HTTP/1.1 keeps the connection open: read one whole answer (headers + Content-Length), then hang up.
    const s = connect(port, '127.0.0.1', () => s.write(bytes));
    s.on('data', (c: Buffer) => {
      got = Buffer.concat([got, c]);
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(got.toString('latin1', 0, end))?.[1] ?? 0);
      if (got.length >= end + 4 + length) {
        s.destroy();
        resolve(got.toString('latin1'));
      }
    });
    s.on('error', reject);
  });
}

/** The captured request with one Authorization line after the request line; every other byte as captured. */
function withAuth(raw: Buffer): Buffer {
  const eol = raw.indexOf('\r\n') + 2;
  return Buffer.concat([raw.subarray(0, eol), Buffer.from(AUTH, 'latin1'), raw.subarray(eol)]);
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);

void describe('POST /freeswitch/cdr (mod_json_cdr)', () => {
  let c: Running;
  let tenantId: string;
  const db = createTestDatabase();
  before(async () => {
    const { url } = await db;
    c = await startController(url);
    ({ tenantId } = await seedTenant(c.prisma, 'acme.test'));
  });
  after(async () => {
    await c.close();
  });

  test('the captured posts, byte for byte: refused without credentials (the capture had none), stored with them', async () => {
    assert.ok(CAPTURES.length >= 7);
    for (const file of CAPTURES) {
      const raw = readFileSync(DIR + file);
      const uuid = /uuid=([0-9a-f-]{36})/.exec(raw.toString('latin1', 0, 200))?.[1] ?? '';
      assert.equal(statusOf(await rawRequest(c.port, raw)), 401, file);
      assert.equal(await c.prisma.cdr.count({ where: { callUuid: uuid } }), 0, file);
      const answer = await rawRequest(c.port, withAuth(raw));
      assert.equal(statusOf(answer), 200, `${file}: ${answer}`);
      const row = await c.prisma.cdr.findUniqueOrThrow({ where: { callUuid: uuid } });
      assert.equal(row.tenantId, tenantId, file);
      // FreeSWITCH re-posting the same leg (it retries on any doubt) changes nothing.
      assert.equal(statusOf(await rawRequest(c.port, withAuth(raw))), 200, file);
    }
    assert.equal(await c.prisma.cdr.count(), CAPTURES.length);
    const a = await c.prisma.cdr.findUniqueOrThrow({
      where: { callUuid: 'd58f6fa4-d4f6-4d30-ab94-4a78be9cac38' },
    });
    assert.equal(a.fromNumber, '1001');
    assert.equal(a.toNumber, '1002');
    assert.equal(a.hangupCause, 'NORMAL_CLEARING');
    assert.ok(a.answeredAt);
  });

  test('4xx for what retrying cannot fix, 2xx only for a stored row, large bodies accepted', async () => {
    const body = JSON.parse(readFileSync(DIR + (CAPTURES[1] ?? ''), 'latin1').split('\r\n\r\n')[1] ?? '') as {
      variables: Record<string, string>;
      callflow: Array<{ caller_profile: Record<string, string> }>;
    };
    const uuid = '0badc0de-0000-4000-8000-000000000001';
    const vars = body.variables;
    vars.uuid = uuid;
    const profile = body.callflow[0]?.caller_profile;
    assert.ok(profile);
    profile.uuid = uuid;
    assert.equal((await postCdr(c.port, uuid, 'not json')).status, 400);
    assert.equal((await postCdr(c.port, uuid, '{"variables":{}}')).status, 400);
    const stranger = structuredClone(body);
    for (const k of [
      'pbx_tenant_id',
      'domain_name',
      'dialed_domain',
      'sip_from_host',
      'sip_to_host',
      'sip_req_host',
      'pbx_did',
    ])
      delete stranger.variables[k];
    stranger.variables.domain_name = 'nobody.test';
    const unknown = await postCdr(c.port, uuid, JSON.stringify(stranger));
    assert.equal(unknown.status, 422, unknown.text);
    assert.equal(await c.prisma.cdr.count({ where: { callUuid: uuid } }), 0);
    // A leg with a huge variable (long SIP headers, app_log) still goes in: several MB are allowed.
    vars.pbx_padding = 'x'.repeat(3 * 1024 * 1024);
    const big = await postCdr(c.port, uuid, JSON.stringify(body));
    assert.equal(big.status, 200, big.text);
    assert.equal(await c.prisma.cdr.count({ where: { callUuid: uuid } }), 1);
    const metrics = await (
      await fetch(`http://127.0.0.1:${c.port}/metrics`, { headers: { authorization: XML_AUTH } })
    ).text();
    assert.match(metrics, /pbx_cdr_posts_total\{status="422"\} 1/);
    assert.match(metrics, /pbx_cdr_write_seconds_count\{source="json_cdr"\} \d+/);
  });

  test('503 when the database fails, so FreeSWITCH retries', async () => {
    // Nothing listens on port 1: every query fails the way a database outage does.
    const broken = createDb({ databaseUrl: 'postgresql://root@127.0.0.1:1/pbx', poolSize: 1 });
    const ctl = await buildController({
      settings: { ...TEST_SETTINGS, xmlCurlAllow: '127.0.0.1/32', redisPrefix: 'unused' },
      prisma: broken.prisma,
    });
    await ctl.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const port = (ctl.app.server.address() as { port: number }).port;
      const raw = readFileSync(DIR + (CAPTURES[0] ?? ''));
      const answer = await rawRequest(port, withAuth(raw));
      assert.equal(statusOf(answer), 503, answer);
    } finally {
      await ctl.app.close();
      await broken.close();
    }
  });
});
