// The portal's server cuts off slow clients (issue #14, finding 11): a request forwarded to the API whose body
// stops short, a head that never ends, an idle connection. Real TCP; no sleeps: each test waits for the close,
// bounded by its own time-out.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cutOff, exchange, sendShortBody } from '@pbx/testing';
import { buildWebServer } from '../../apps/web/src/server/app.js';
import { loadWebConfig } from '../../apps/web/src/server/config.js';

const publicDir = await mkdtemp(join(tmpdir(), 'pbx-web-slow-'));
await writeFile(join(publicDir, 'index.html'), '<!doctype html><title>portal</title>');
// Stands in for the API: answers once it has read a whole body, as the API would.
const api = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
const web = buildWebServer({
  apiUrl: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
  publicDir,
  timeouts: { requestMs: 1000, headersMs: 1000, keepAliveMs: 1000 },
});
await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
const port = (web.address() as AddressInfo).port;
after(async () => {
  for (const s of [web, api]) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  await rm(publicDir, { recursive: true, force: true });
});

const BOUND = { timeout: 15_000 };

void test('a forwarded body that stops short of its Content-Length is closed', BOUND, async () => {
  const r = await sendShortBody(port, '/v1/auth/login', 'Content-Type: application/json\r\n');
  assert.ok(cutOff(r), r.raw.slice(0, 60));
});

void test('a head that never ends is closed', BOUND, async () => {
  const r = await exchange(port, ['GET / HTTP/1.1\r\nHost: x\r\n'], { untilClose: true });
  assert.ok(cutOff(r), r.raw.slice(0, 60));
});

void test('an idle kept-alive connection is closed after its answer', BOUND, async () => {
  const r = await exchange(port, ['GET / HTTP/1.1\r\nHost: x\r\n\r\n'], { untilClose: true });
  assert.equal(r.status, 200);
  assert.ok(r.closed);
});

void test('the time-outs are configuration, refused when out of range', () => {
  const c = loadWebConfig({ WEB_REQUEST_TIMEOUT_MS: '2500' });
  assert.equal(c.WEB_REQUEST_TIMEOUT_MS, 2500);
  assert.equal(c.WEB_HEADERS_TIMEOUT_MS, 15_000);
  assert.throws(
    () => loadWebConfig({ WEB_HEADERS_TIMEOUT_MS: '10' }),
    /WEB_HEADERS_TIMEOUT_MS: expected at least 100/,
  );
});
