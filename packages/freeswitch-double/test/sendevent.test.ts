// sendevent MESSAGE_WAITING: a real FreeSWITCH accepts one without Sofia-Profile and then keeps the sofia profile
// locked (docs/freeswitch-facts.md §9.3); the double refuses it so that the controller's tests catch it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { double } from './helpers.js';

void test('MESSAGE_WAITING without Sofia-Profile is refused and flagged; with it, accepted', async (t) => {
  const fs = await double(t);
  const mwi = (extra: Array<[string, string]>) =>
    new Map<string, string>([
      ['mwi-messages-waiting', 'yes'],
      ['mwi-message-account', 'sip:1001@acme.test'],
      ['mwi-voice-message', '1/0 (0/0)'],
      ...extra,
    ]);
  assert.match(fs.sendevent('MESSAGE_WAITING', mwi([])), /^-ERR MESSAGE_WAITING without Sofia-Profile/);
  assert.equal(fs.refusedEvents.length, 1);
  assert.equal(fs.sentEvents.length, 0);
  assert.match(fs.sendevent('MESSAGE_WAITING', mwi([['sofia-profile', 'internal']])), /^\+OK /);
  assert.equal(fs.sentEvents.length, 1);
  assert.match(fs.sendevent('CUSTOM', new Map()), /^\+OK /);
});
