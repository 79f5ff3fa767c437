// Which events an outbound (`socket` app) connection receives, as mod_event_socket.c's event_handler decides:
// with `myevents` only its own channel's; with `event …` and no `myevents`, every channel's (that is FreeSWITCH's
// behaviour, and why the controller sends `myevents`).
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { double, exec } from './helpers.js';

interface Controller {
  port: number;
  /** Everything received on the connections so far. */
  text(): string;
  /** Resolves once `check` holds over what was received. */
  until(check: (text: string) => boolean): Promise<void>;
}

/** A minimal controller: answers each `socket` connection with `connect` and then `subscribe`. */
async function controller(t: TestContext, subscribe: string): Promise<Controller> {
  let received = '';
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      for (const w of [...waiters]) w();
    });
    s.write(`connect\n\n${subscribe}\n\n`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });
  return {
    port: (server.address() as AddressInfo).port,
    text: () => received,
    until: (check) =>
      new Promise<void>((resolve) => {
        const w = () => {
          if (!check(received)) return;
          waiters.delete(w);
          resolve();
        };
        waiters.add(w);
        w();
      }),
  };
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

void test('a myevents socket gets only its own channel; a socket without myevents gets every channel', async (t) => {
  const fs = await double(t);
  const mine = await controller(t, 'myevents');
  const any = await controller(t, 'event plain CHANNEL_EXECUTE_COMPLETE');
  const a = fs.placeCall({
    from: '1001',
    to: '5000',
    answer: true,
    socket: { host: '127.0.0.1', port: mine.port },
  });
  const b = fs.placeCall({
    from: '1002',
    to: '5000',
    answer: true,
    socket: { host: '127.0.0.1', port: any.port },
  });
  await Promise.all([a.connected, b.connected]);
  await mine.until((x) => x.includes('+OK Events Enabled'));
  await any.until((x) => x.includes('+OK event listener enabled plain'));

  await exec(fs, b, 'sleep', '10');
  await exec(fs, a, 'sleep', '10');
  // The socket of b (no myevents) sees a's application complete: FreeSWITCH offers it every channel's events.
  await any.until((x) => x.includes(`Unique-ID: ${a.uuid}`));
  // a's socket saw its own completion; b's event, fired before it on the same connection, never came.
  await mine.until((x) => count(x, 'Event-Name: CHANNEL_EXECUTE_COMPLETE') >= 1);
  assert.ok(mine.text().includes(`Unique-ID: ${a.uuid}`));
  assert.ok(!mine.text().includes(b.uuid), 'a myevents socket received another channel event');
  assert.equal(fs.outboundSockets.all.size, 2);
});
