// Issue #14 item 3: a PostgreSQL connection that goes silent (black-holed: no answer, no reset) must not stall
// CDR writing. A TCP proxy between the controller and PostgreSQL stops forwarding without closing anything;
// the write in flight fails (FreeSWITCH retries), the connection is destroyed, and once the path is back the
// CDR path works again without a restart. /metrics shows it all.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createDb, type DbHandle } from '@pbx/db';
import { createTestDatabase, waitFor } from '@pbx/testing';
import { buildController, type Controller } from '../src/app.js';
import { postCdr, seedTenant } from './events-harness.js';
import { TEST_SETTINGS, XML_PASSWORD, XML_USER } from './helpers.js';

const DIR = fileURLToPath(new URL('../../../tests/fixtures/freeswitch/json_cdr/', import.meta.url));
const CAPTURE = readdirSync(DIR)
  .filter((f) => f.endsWith('.request.http'))
  .sort()[1];

/** A TCP proxy to PostgreSQL that can stop forwarding in both directions while keeping every socket open. */
class Blackhole {
  private server: Server;
  private holed = false;
  /** Connections made while black-holed, or still open from then: they never carry a byte again. */
  private readonly dead = new Set<Socket>();
  private readonly all = new Set<Socket>();

  constructor(private readonly upstream: { host: string; port: number }) {
    this.server = createServer((client) => this.accept(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** From now on nothing passes, on open connections and new ones alike; nothing is closed either. */
  blackhole(): void {
    this.holed = true;
    for (const s of this.all) this.dead.add(s);
  }

  /** New connections work again; the ones that went silent stay silent (what a lost NAT entry does). */
  restore(): void {
    this.holed = false;
  }

  private accept(client: Socket): void {
    this.all.add(client);
    client.on('close', () => this.all.delete(client));
    client.on('error', () => undefined);
    if (this.holed) {
      this.dead.add(client);
      return;
    }
    const server = connect(this.upstream.port, this.upstream.host);
    server.on('error', () => client.destroy());
    client.on('close', () => server.destroy());
    server.on('close', () => {
      if (!this.dead.has(client)) client.destroy();
    });
    client.on('data', (b: Buffer) => {
      if (!this.dead.has(client)) server.write(b);
    });
    server.on('data', (b: Buffer) => {
      if (!this.dead.has(client)) client.write(b);
    });
  }

  async close(): Promise<void> {
    for (const s of this.all) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

void describe('a black-holed database connection (issue #14 item 3)', () => {
  const db = createTestDatabase();
  let proxy: Blackhole;
  let handle: DbHandle;
  let direct: DbHandle;
  let ctl: Controller;
  let port: number;

  before(async () => {
    const { url } = await db;
    const u = new URL(url);
    proxy = new Blackhole({ host: u.hostname, port: Number(u.port || 5432) });
    const viaProxy = new URL(url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(await proxy.listen());
    direct = createDb({ databaseUrl: url, poolSize: 1 });
    await seedTenant(direct.prisma, 'acme.test');
    // The time-out is configuration, not a margin the test waits out: the test waits on outcomes only.
    handle = createDb({ databaseUrl: viaProxy.toString(), poolSize: 2, queryTimeoutMs: 500 });
    ctl = await buildController({
      settings: { ...TEST_SETTINGS, redisPrefix: 'unused' },
      prisma: handle.prisma,
      dbHealth: handle.health,
    });
    await ctl.app.listen({ host: '127.0.0.1', port: 0 });
    port = (ctl.app.server.address() as AddressInfo).port;
  });
  after(async () => {
    await ctl.app.close();
    await handle.close();
    await direct.close();
    await proxy.close();
  });

  const cdr = (uuid: string): string => {
    const raw = readFileSync(DIR + (CAPTURE ?? ''), 'latin1').split('\r\n\r\n')[1] ?? '';
    const body = JSON.parse(raw) as {
      variables: Record<string, string>;
      callflow: Array<{ caller_profile: Record<string, string> }>;
    };
    body.variables.uuid = uuid;
    const profile = body.callflow[0]?.caller_profile;
    if (profile) profile.uuid = uuid;
    return JSON.stringify(body);
  };
  const metrics = async () =>
    (
      await fetch(`http://127.0.0.1:${port}/metrics`, {
        headers: { authorization: `Basic ${Buffer.from(`${XML_USER}:${XML_PASSWORD}`).toString('base64')}` },
      })
    ).text();
  const metric = (text: string, name: string): number =>
    Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);

  test('the write in flight fails instead of hanging, and the CDR path recovers once the path is back', async (t) => {
    const before = '0badc0de-0000-4000-8000-00000000aa01';
    assert.equal((await postCdr(port, before, cdr(before))).status, 200);

    proxy.blackhole();
    const stalled = '0badc0de-0000-4000-8000-00000000aa02';
    // Answered (so mod_json_cdr retries later), not left hanging on the silent connection.
    const during = await postCdr(port, stalled, cdr(stalled));
    assert.equal(during.status, 503, during.text);
    const m1 = await metrics();
    assert.ok(metric(m1, 'pbx_db_silent_connections_destroyed_total') >= 1, m1);
    assert.ok(metric(m1, 'pbx_cdr_rows_failed_total') >= 1, m1);

    proxy.restore();
    // mod_json_cdr's retry: the same leg again until a 2xx. Connections that went silent are never used again.
    await waitFor(
      'the CDR path to work again',
      async () => (await postCdr(port, stalled, cdr(stalled))).status === 200,
      t.signal,
    );
    assert.equal(await direct.prisma.cdr.count({ where: { callUuid: stalled } }), 1);
    const m2 = await metrics();
    assert.equal(metric(m2, 'pbx_cdr_writer_pending'), 0);
    assert.match(m2, /^pbx_db_connections\{state="waiting"\} 0$/m);
    assert.ok(metric(m2, 'pbx_db_connections\\{state="total"\\}') >= 1, m2);
  });
});
