// The guard on modesl's internals (src/adapter/modesl-internals.ts): the exact version, every private member
// the adapter calls or overrides, and the behaviour of modesl's constructors that the subclasses in
// src/adapter/modesl.ts depend on. Upgrading modesl makes this file fail before anything subtler does.
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import {
  installedModeslVersion,
  missingMembers,
  MODESL_VERSION,
  RawConnection,
  RawEvent,
  RawParser,
  type ModeslEvent,
} from '../src/adapter/modesl-internals.js';

const fakeSocket = () => new EventEmitter() as unknown as Socket;

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function tcpPair(t: TestContext): Promise<{ client: Socket; server: Socket }> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  t.after(() => srv.close());
  const { port } = srv.address() as AddressInfo;
  const accepted = once(srv, 'connection') as Promise<[Socket]>;
  const client = connect(port, '127.0.0.1');
  const [server] = await accepted;
  t.after(() => {
    client.destroy();
    server.destroy();
  });
  return { client, server };
}

describe('modesl internals the adapter relies on', () => {
  test('the installed modesl is exactly the version package.json pins and modesl-internals.ts describes', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    assert.equal(pkg.dependencies['modesl'], MODESL_VERSION);
    assert.equal(installedModeslVersion, MODESL_VERSION);
  });

  test('every member the adapter calls or overrides exists, and a missing one is reported by name', () => {
    assert.deepEqual(missingMembers({ Parser: RawParser, Event: RawEvent, Connection: RawConnection }), []);
    const proto = Object.create(RawParser.prototype as object) as Record<string, unknown>;
    proto['_parseHeaderText'] = undefined;
    assert.deepEqual(
      missingMembers({ Parser: { prototype: proto }, Event: RawEvent, Connection: RawConnection }),
      ['Parser.prototype._parseHeaderText'],
    );
  });

  test("Parser's constructor sends every socket chunk to the subclass's _onData", () => {
    const chunks: Buffer[] = [];
    class Probe extends RawParser {
      override _onData(chunk: Buffer): void {
        chunks.push(chunk);
      }
    }
    const socket = fakeSocket();
    new Probe(socket);
    socket.emit('data', Buffer.from('Content-Type: auth/request\n\n'));
    assert.deepEqual(chunks.map(String), ['Content-Type: auth/request\n\n']);
  });

  test('Parser._parseEvent(headers, body) emits esl::event with an Event, the headers and the body', () => {
    const parser = new RawParser(fakeSocket());
    const seen: Array<[ModeslEvent, Record<string, unknown>, unknown]> = [];
    parser.on('esl::event', (e: ModeslEvent, h: Record<string, unknown>, b: unknown) => seen.push([e, h, b]));
    const headers = { 'Content-Type': 'api/response', 'Content-Length': 3 };
    parser._parseEvent(headers, '+OK');
    assert.equal(seen.length, 1);
    const [event, h, body] = seen[0] ?? [];
    assert.equal(h, headers);
    assert.equal(body, '+OK');
    assert.equal(event?.getBody(), '+OK');
    assert.equal(event?.getHeader('Content-Type'), 'api/response');
    assert.deepEqual(parser._parseHeaderText('Content-Length: 12\nContent-Type: text/event-plain'), {
      'Content-Length': 12,
      'Content-Type': 'text/event-plain',
    });
  });

  test("Event's constructor assigns headers and body through the subclass's accessors", () => {
    const assigned: string[] = [];
    class Probe extends RawEvent {
      override set headers(v: ModeslEvent['headers']) {
        assigned.push(`headers=${JSON.stringify(v)}`);
      }
      override get headers(): ModeslEvent['headers'] {
        return [];
      }
      override set body(v: string) {
        assigned.push(`body=${JSON.stringify(v)}`);
      }
      override get body(): string {
        return '';
      }
    }
    const e = new Probe();
    assert.deepEqual(assigned, ['headers=[]', 'body=""']);
    assert.equal(e.type, '');
  });

  test('an outbound Connection runs _onConnect, sends connect, then subscribe; frames reach _onEvent', async (t) => {
    const { client, server } = await tcpPair(t);
    const calls: string[] = [];
    const subscribed = signal();
    class Probe extends RawConnection {
      override _onConnect(): void {
        calls.push('_onConnect');
        super._onConnect();
      }
      override _onEvent(event: ModeslEvent, headers: Record<string, unknown>, body?: string): void {
        calls.push(`_onEvent ${String(headers['Content-Type'])}`);
        super._onEvent(event, headers, body);
      }
      override subscribe(_events: unknown, cb?: () => void): void {
        calls.push('subscribe');
        cb?.();
        subscribed.resolve();
      }
    }
    const conn = new Probe(server);
    conn.on('error', () => undefined);
    const [first] = (await once(client, 'data')) as [Buffer];
    assert.equal(String(first), 'connect\n\n');
    client.write('Content-Type: command/reply\nReply-Text: +OK\n\n');
    await subscribed.promise;
    assert.deepEqual(calls, ['_onConnect', '_onEvent command/reply', 'subscribe']);
  });

  test('an inbound Connection runs _onConnect on connect and auth() on the auth request', async (t) => {
    const srv = createServer((s) => s.write('Content-Type: auth/request\n\n'));
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    t.after(() => srv.close());
    const calls: string[] = [];
    const authed = signal();
    class Probe extends RawConnection {
      override _onConnect(): void {
        calls.push('_onConnect');
        super._onConnect();
      }
      override auth(): void {
        calls.push('auth');
        authed.resolve();
      }
    }
    const conn = new Probe('127.0.0.1', (srv.address() as AddressInfo).port, 'ClueCon');
    conn.on('error', () => undefined);
    t.after(() => conn.socket?.destroy());
    await authed.promise;
    assert.deepEqual(calls, ['_onConnect', 'auth']);
  });
});
