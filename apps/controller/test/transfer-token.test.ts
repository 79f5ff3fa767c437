// The transfer token on its own (the lookups that use it: internal-destinations.test.ts): what it binds.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { transferTokens } from '../src/xml-curl/transfer-token.js';

const SECRET = 'a-long-enough-secret';
const tokens = transferTokens(SECRET);
const uuid = randomUUID();
const CONTINUATION = 'pbx-after-ext-1002-';

void test('a token opens its continuation, with a disposition after it, on its channel in its context', () => {
  const t = tokens.sign(uuid, 'a.example', CONTINUATION);
  assert.ok(t.startsWith(`${CONTINUATION}.`));
  assert.equal(tokens.verify(uuid, 'a.example', `${CONTINUATION}USER_BUSY`, t), true);
  assert.equal(tokens.verify(uuid, 'a.example', CONTINUATION, t), true);
  // Another controller of the cluster (same password) checks it too.
  assert.equal(transferTokens(SECRET).verify(uuid, 'a.example', `${CONTINUATION}NO_ANSWER`, t), true);
});

void test('it opens nothing else: another channel, tenant, target, suffix, key, or a changed tag', () => {
  const t = tokens.sign(uuid, 'a.example', CONTINUATION);
  const dot = t.lastIndexOf('.');
  const tag = t.slice(dot + 1);
  const flipped = `${t.slice(0, dot + 1)}${tag[0] === 'A' ? 'B' : 'A'}${tag.slice(1)}`;
  const refused: [string, string, string, string | undefined][] = [
    [randomUUID(), 'a.example', `${CONTINUATION}USER_BUSY`, t],
    [uuid, 'b.example', `${CONTINUATION}USER_BUSY`, t],
    [uuid, 'a.example', 'pbx-after-ext-1003-USER_BUSY', t],
    // The target is what the tag covers: a token for another target with this one's tag.
    [uuid, 'a.example', 'pbx-after-ext-1003-USER_BUSY', `pbx-after-ext-1003-.${tag}`],
    [uuid, 'a.example', `${CONTINUATION}user_busy`, t],
    [uuid, 'a.example', `${CONTINUATION}USER_BUSY`, flipped],
    [uuid, 'a.example', `${CONTINUATION}USER_BUSY`, `${CONTINUATION}.`],
    [uuid, 'a.example', `${CONTINUATION}USER_BUSY`, undefined],
    ['', 'a.example', `${CONTINUATION}USER_BUSY`, tokens.sign('', 'a.example', CONTINUATION)],
  ];
  for (const [u, context, destination, value] of refused)
    assert.equal(
      tokens.verify(u, context, destination, value),
      false,
      `${u} ${context} ${destination} ${value}`,
    );
  assert.equal(
    transferTokens('another-cluster-secret').verify(uuid, 'a.example', `${CONTINUATION}USER_BUSY`, t),
    false,
  );
});
