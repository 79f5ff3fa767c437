// A client that announces a body and stops sending, or never finishes its head, is cut off after the configured
// time-out (issue #14, finding 11: the API used to wait for such a body indefinitely). Real TCP; no sleeps: the
// test waits for the server to close, bounded by the test's own time-out.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { cutOff, exchange, sendShortBody } from '@pbx/testing';
import { startApi } from './helpers.js';

const h = await startApi({ API_REQUEST_TIMEOUT_MS: '1000', API_HEADERS_TIMEOUT_MS: '1000' });
await h.app.listen({ host: '127.0.0.1', port: 0 });
const port = (h.app.server.address() as AddressInfo).port;

void test('a body that stops short of its Content-Length is closed', { timeout: 15_000 }, async () => {
  const r = await sendShortBody(port, '/v1/auth/login', 'Content-Type: application/json\r\n');
  assert.ok(cutOff(r), r.raw.slice(0, 60));
});

void test('a head that never ends is closed', { timeout: 15_000 }, async () => {
  const r = await exchange(port, ['GET /healthz HTTP/1.1\r\nHost: x\r\n'], { untilClose: true });
  assert.ok(cutOff(r), r.raw.slice(0, 60));
});

void test('the time-outs are configuration, checked at start-up', () => {
  assert.equal(h.config.API_REQUEST_TIMEOUT_MS, 1000);
  assert.equal(h.app.server.requestTimeout, 1000);
  assert.equal(h.app.server.headersTimeout, 1000);
  assert.equal(h.app.server.keepAliveTimeout, 72_000);
});
