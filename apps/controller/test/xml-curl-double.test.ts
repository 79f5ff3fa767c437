// The mod_xml_curl side of the FreeSWITCH double, checked against the captures of a real FreeSWITCH 1.10.12.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import {
  dialplanRequest,
  fsUrlEncode,
  gatewaysRequest,
  parseFsDocument,
  requestBytes,
  sipAuthRequest,
  userCallRequest,
  XmlCurlClient,
  type EventStamp,
  type FsIdentity,
  type XmlCurlRequest,
} from '@pbx/freeswitch-double/xml-curl';
import { XML_CURL_CAPTURES, capturedFields } from './captures.js';

const DIR = XML_CURL_CAPTURES;
const files = readdirSync(DIR);
const read = (name: string) => readFileSync(new URL(name, DIR));
const requestFiles = files.filter((f) => f.endsWith('.request.http'));

/** Rebuilds a captured request from only the values that legitimately vary between runs. */
function rebuild(name: string, f: Map<string, string>): XmlCurlRequest {
  const g = (k: string) => {
    const v = f.get(k);
    if (v === undefined) throw new Error(`${name}: no ${k}`);
    return v;
  };
  const identity: FsIdentity = {
    hostname: g('hostname'),
    coreUuid: g('Core-UUID'),
    ipv4: g('FreeSWITCH-IPv4'),
    ipv6: g('FreeSWITCH-IPv6'),
  };
  const stampOf = (prefix: string): EventStamp => {
    const us = g(`${prefix}Event-Date-Timestamp`);
    return {
      date: new Date(Number(us.slice(0, -3))),
      sequence: Number(g(`${prefix}Event-Sequence`)),
      timestampUs: us,
    };
  };
  const stamp = stampOf('');
  if (f.get('purpose') === 'gateways') return gatewaysRequest({ identity, stamp, profile: g('profile') });
  if (f.get('action') === 'user_call')
    return userCallRequest({ identity, stamp, user: g('user'), domain: g('domain') });
  if (f.get('action') === 'sip_auth') {
    return sipAuthRequest({
      identity,
      stamp,
      method: g('sip_auth_method') as 'REGISTER' | 'INVITE',
      user: g('user'),
      domain: g('domain'),
      profile: g('sip_profile'),
      userAgent: g('sip_user_agent'),
      nonce: g('sip_auth_nonce'),
      uri: g('sip_auth_uri'),
      contactHost: g('sip_contact_host'),
      toUser: g('sip_to_user'),
      callId: g('sip_call_id'),
      cnonce: g('sip_auth_cnonce'),
      nc: g('sip_auth_nc'),
      response: g('sip_auth_response'),
      clientPort: Number(g('client_port')),
      ip: g('ip'),
    });
  }
  const directoryVariables = [
    'user_context',
    'effective_caller_id_name',
    'effective_caller_id_number',
    'accountcode',
  ].map((n) => [n, g(`variable_${n}`)] as const);
  return dialplanRequest({
    identity,
    stamp,
    authStamp: stampOf('variable_'),
    uuid: g('Unique-ID'),
    destination: g('Caller-Destination-Number'),
    context: g('Hunt-Context'),
    user: g('Caller-Username'),
    domain: g('variable_domain_name'),
    callerIdName: g('Caller-Caller-ID-Name'),
    callerIdNumber: g('Caller-Caller-ID-Number'),
    directoryVariables,
    callId: g('variable_sip_call_id'),
    fromTag: g('variable_sip_from_tag'),
    viaBranch: /branch=([^;]+)/.exec(g('variable_sip_full_via'))?.[1] ?? '',
    userAgent: g('variable_sip_user_agent'),
    sessionId: Number(g('variable_session_id')),
    mediaPort: Number(g('variable_remote_media_port')),
    sdp: g('variable_switch_r_sdp'),
  });
}

void describe('mod_xml_curl requests', () => {
  void test('all captured request kinds are present', () => {
    assert.ok(requestFiles.length >= 20);
    assert.ok(requestFiles.some((f) => f.includes('dialplan')));
    assert.ok(requestFiles.some((f) => f.includes('user_call')));
  });

  for (const name of requestFiles) {
    void test(`rebuilds ${name} byte for byte`, () => {
      const raw = read(name);
      const section = name.includes('-dialplan-') ? 'dialplan' : 'directory';
      const req = rebuild(name, capturedFields(raw));
      const built = requestBytes({ host: '127.0.0.1', port: 8099, path: `/freeswitch/${section}` }, req);
      assert.equal(built.toString('latin1'), raw.toString('latin1'));
    });
  }

  void test('the client opens a new connection per lookup and sends exactly those bytes', async () => {
    const received: Buffer[] = [];
    let connections = 0;
    const reply = read('003-directory-sip_auth-REGISTER-1001@acme.test.response.http');
    const server = createServer((sock) => {
      connections++;
      const chunks: Buffer[] = [];
      sock.on('data', (c: Buffer) => {
        chunks.push(c);
        const all = Buffer.concat(chunks);
        const sep = all.indexOf('\r\n\r\n');
        const len = Number(/Content-Length: (\d+)/.exec(all.toString('latin1'))?.[1] ?? -1);
        if (sep > 0 && all.length >= sep + 4 + len) {
          received.push(all);
          sock.end(reply);
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const client = new XmlCurlClient({
        baseUrl: `http://127.0.0.1:${port}/freeswitch`,
        user: 'fs',
        password: 'pw',
      });
      const a = await client.register('1001', 'acme.test');
      const b = await client.register('1001', 'acme.test');
      assert.equal(connections, 2);
      assert.equal(a.document?.kind, 'directory');
      assert.equal(b.status, 200);
      const head = received[0]?.toString('latin1').split('\r\n\r\n')[0]?.split('\r\n') ?? [];
      assert.deepEqual(
        head.map((l) => l.split(':')[0]),
        [
          'POST /freeswitch/directory HTTP/1.1',
          'Host',
          'Authorization',
          'User-Agent',
          'Accept',
          'Content-Length',
          'Content-Type',
        ],
      );
      assert.equal(head[2], `Authorization: Basic ${Buffer.from('fs:pw').toString('base64')}`);
    } finally {
      server.close();
    }
  });
});

void describe('FreeSWITCH URL encoding', () => {
  void test('matches the captured and documented cases', () => {
    assert.equal(fsUrlEncode('Sun, 22 Nov 2026 22:49:50 GMT'), 'Sun,%2022%20Nov%202026%2022%3A49%3A50%20GMT');
    assert.equal(fsUrlEncode('sofia/internal/1001@acme.test'), 'sofia/internal/1001%40acme.test');
    assert.equal(fsUrlEncode('tone_stream://%(500,0,440)'), 'tone_stream%3A//%25(500,0,440)');
    assert.equal(fsUrlEncode('José'), 'Jos%C3%A9');
    assert.equal(fsUrlEncode('50% off'), '50%25%20off');
    assert.equal(fsUrlEncode('%41'), '%41');
    assert.equal(fsUrlEncode("+1 $x*~!'()"), "%2B1%20$x*~!'()");
    assert.equal(fsUrlEncode('a\r\nb#c'), 'a%0D%0Ab%23c');
  });
});

void describe('answer parser', () => {
  const responses = files.filter((f) => f.endsWith('.response.http'));
  for (const name of responses) {
    void test(`reads ${name} like FreeSWITCH`, () => {
      const raw = read(name).toString('utf8');
      const status = Number(raw.slice(9, 12));
      const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
      if (status !== 200) return assert.throws(() => parseFsDocument(body));
      const doc = parseFsDocument(body);
      if (name.includes('notfound')) assert.equal(doc.kind, 'not-found');
      else if (name.includes('-dialplan-')) {
        assert.equal(doc.kind, 'dialplan');
        if (doc.kind === 'dialplan') assert.equal(doc.contexts[0]?.name, 'default');
      } else {
        assert.equal(doc.kind, 'directory');
        if (doc.kind === 'directory') {
          assert.equal(doc.domains[0]?.name, 'acme.test');
          assert.ok(
            doc.domains[0]?.users[0]?.variables.some(
              (v) => v.name === 'user_context' && v.value === 'default',
            ),
          );
        }
      }
    });
  }

  void test('rejects documents FreeSWITCH would not use', () => {
    const bad = [
      '<document type="freeswitch/xml"><section name="directory"><domain name="a"><user/></domain></section></document>',
      '<document type="text/xml"><section name="result"><result status="not found"/></section></document>',
      '<document type="freeswitch/xml"><section name="dialplan"><context name="x"><extension name="e"><action application="a"/></extension></context></section></document>',
      '<document type="freeswitch/xml"><section name="dialplan"><context name="x"></section></document>',
      '<document type="freeswitch/xml"><section name="dialplan"><context name="a&b"/></section></document>',
      '<document type="freeswitch/xml"><section name="dialplan"><context name="a" name="b"/></section></document>',
      '<document type="freeswitch/xml"/><document type="freeswitch/xml"/>',
    ];
    for (const xml of bad) assert.throws(() => parseFsDocument(xml), xml);
  });

  void test('decodes entities in attributes', () => {
    const doc = parseFsDocument(
      '<?xml version="1.0"?><document type="freeswitch/xml"><section name="dialplan"><context name="c"><extension name="e"><condition><action application="set" data="x=Tom &amp; &quot;Jerry&quot; &lt;x&gt; &#36;"/></condition></extension></context></section></document>',
    );
    assert.equal(
      doc.kind === 'dialplan' ? doc.contexts[0]?.extensions[0]?.conditions[0]?.actions[0]?.data : null,
      'x=Tom & "Jerry" <x> $',
    );
  });
});
