// Replays every captured mod_xml_curl request of the real FreeSWITCH run against the controller, with a seeded
// acme.test tenant (1001/secret1001, 1002/secret1002, IVR 5000), and checks what FreeSWITCH would get back.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  encodeBody,
  parseFsDocument,
  parseXml,
  requestBytes,
  sendRaw,
  splitBody,
  type XmlElement,
} from '@pbx/freeswitch-double/xml-curl';
import { createTestDatabase } from '@pbx/testing';
import { fsUrlDecode } from '@pbx/esl';
import {
  actionsOf,
  app,
  createExtension,
  createTenant,
  digestMatches,
  startController,
  userOf,
  XML_PASSWORD,
  XML_USER,
  type Running,
} from './helpers.js';

const DIR = new URL('../../../tests/fixtures/freeswitch/xml_curl/', import.meta.url);
const requests = readdirSync(DIR)
  .filter((f) => f.endsWith('.request.http'))
  .sort();
const db = await createTestDatabase();
const AUTH = `Authorization: Basic ${Buffer.from(`${XML_USER}:${XML_PASSWORD}`).toString('base64')}\r\n`;

/** The captured bytes, with the Authorization header libcurl adds for `gateway-credentials` (after Host). */
function withAuth(raw: Buffer): Buffer {
  const s = raw.toString('latin1');
  const hostEnd = s.indexOf('\r\n', s.indexOf('\r\nHost:') + 2) + 2;
  return Buffer.from(s.slice(0, hostEnd) + AUTH + s.slice(hostEnd), 'latin1');
}

/** Every element path of a document, e.g. document/section/domain/groups/group/users/user/params/param. */
function shape(el: XmlElement, prefix = '', out = new Set<string>()): Set<string> {
  const path = prefix ? `${prefix}/${el.name}` : el.name;
  out.add(`${path}[${Object.keys(el.attrs).sort().join(',')}]`);
  for (const c of el.children) shape(c, path, out);
  return out;
}
const bodyOf = (raw: string) => raw.slice(raw.indexOf('\r\n\r\n') + 4);

const fieldsOf = (raw: Buffer) => {
  const s = raw.toString('latin1');
  return splitBody(s.slice(s.indexOf('\r\n\r\n') + 4));
};

void describe('replay of the captured FreeSWITCH requests', () => {
  let c: Running;
  before(async () => {
    c = await startController(db.url);
    const acme = await createTenant(c.prisma, 'acme.test');
    await createExtension(c.prisma, acme, '1001', { password: 'secret1001', displayName: 'Extension 1001' });
    await createExtension(c.prisma, acme, '1002', { password: 'secret1002', displayName: 'Extension 1002' });
    await c.prisma.ivrMenu.create({
      data: {
        tenantId: acme.id,
        name: 'Main',
        number: '5000',
        timeoutDestType: 'HANGUP',
        invalidDestType: 'HANGUP',
      },
    });
  });
  after(async () => c.close());

  const send = (bytes: Buffer) => sendRaw({ host: '127.0.0.1', port: c.port, path: '' }, bytes);

  for (const name of requests) {
    void test(name, async () => {
      const raw = readFileSync(new URL(name, DIR));
      const res = await send(withAuth(raw));
      assert.equal(res.status, 200, res.body);
      const doc = parseFsDocument(res.body);
      const f = new Map(fieldsOf(raw).map(([k, v]) => [k, fsUrlDecode(v)]));
      if (name.includes('-directory-')) {
        const user = f.get('user') ?? '';
        if (f.get('purpose') === 'gateways' || !['1001', '1002'].includes(user))
          return assert.equal(doc.kind, 'not-found');
        const u = userOf({ ...res, document: doc });
        assert.equal(u.id, user);
        assert.equal(u.domain, 'acme.test');
        assert.equal(u.variables.get('user_context'), 'acme.test');
        if (f.get('action') === 'user_call')
          return assert.ok(u.domainParams.get('dial-string')?.includes('sofia_contact'));
        // FreeSWITCH checks the captured digest against the a1-hash we return: 004 used a wrong password.
        assert.equal(
          digestMatches(u.params.get('a1-hash') ?? '', f),
          !name.startsWith('004-'),
          'digest check',
        );
        return;
      }
      // The capture harness put its phones in context "default"; ours are in the tenant's context, so the
      // unmodified lookup is cleanly refused in the context FreeSWITCH asked for.
      assert.deepEqual(app(actionsOf({ ...res, document: doc }, 'default'), 'hangup'), [
        'UNALLOCATED_NUMBER',
      ]);
    });
  }

  void test('answers have the same element structure as the captured answers FreeSWITCH accepted (003, 009)', async () => {
    const captured = (n: string) => shape(parseXml(bodyOf(readFileSync(new URL(n, DIR)).toString('utf8'))));
    const dir = await send(
      withAuth(readFileSync(new URL('003-directory-sip_auth-REGISTER-1001@acme.test.request.http', DIR))),
    );
    // One addition to what the capture harness served: `cacheable` on <user> (FreeSWITCH's user cache, facts §9.1).
    const ourDirectory = [...shape(parseXml(dir.body))].map((p) =>
      p.endsWith('/user[cacheable,id]') ? p.replace('[cacheable,id]', '[id]') : p,
    );
    assert.ok(shape(parseXml(dir.body)).has('document/section/domain/groups/group/users/user[cacheable,id]'));
    assert.deepEqual(
      ourDirectory.sort(),
      [...captured('003-directory-sip_auth-REGISTER-1001@acme.test.response.http')].sort(),
    );
    const dp = await c.client.dialplan({
      uuid: 'd58f6fa4-d4f6-4d30-ab94-4a78be9cac38',
      destination: '1002',
      context: 'acme.test',
      user: '1001',
      domain: 'acme.test',
      callerIdName: 'Ext 1001',
      callerIdNumber: '1001',
    });
    const ours = [...shape(parseXml(dp.body))].map((p) =>
      p.replace('action[application]', 'action[application,data]'),
    );
    assert.deepEqual(
      [...new Set(ours)].sort(),
      [...captured('009-dialplan-default-1002.response.http')].sort(),
    );
  });

  void test('captured dialplan lookups in the tenant context get the routes the capture harness served', async () => {
    const expected: Record<string, (a: { application: string; data: string | null }[]) => void> = {
      '1002': (a) =>
        assert.deepEqual(app(a, 'bridge'), ['{leg_timeout=25}[pbx_extension=1002]user/1002@acme.test']),
      '5000': (a) => {
        assert.equal(
          a.findIndex((x) => x.application === 'answer') < a.findIndex((x) => x.application === 'socket'),
          true,
        );
        assert.deepEqual(app(a, 'socket'), ['127.0.0.1:8084 async full']);
      },
      '9999': (a) => assert.deepEqual(app(a, 'hangup'), ['UNALLOCATED_NUMBER']),
    };
    for (const name of requests.filter((n) => n.includes('-dialplan-'))) {
      const raw = readFileSync(new URL(name, DIR));
      // What a real FreeSWITCH sends once our directory has put 1001 in context acme.test.
      const fields = fieldsOf(raw).map(
        ([k, v]) =>
          [
            k,
            k === 'Hunt-Context' || k === 'Caller-Context' || k === 'variable_user_context'
              ? 'acme.test'
              : fsUrlDecode(v),
          ] as const,
      );
      const req = { section: 'dialplan' as const, fields };
      const bytes = requestBytes(
        {
          host: '127.0.0.1',
          port: 8099,
          path: '/freeswitch/dialplan',
          user: XML_USER,
          password: XML_PASSWORD,
        },
        req,
      );
      assert.ok(bytes.toString('latin1').includes(encodeBody(req.fields)));
      const res = await send(bytes);
      const a = actionsOf({ ...res, document: parseFsDocument(res.body) }, 'acme.test');
      const dest = fields.find(([k]) => k === 'Caller-Destination-Number')?.[1] ?? '';
      (expected[dest] ?? expected['9999'])?.(a);
    }
  });
});
