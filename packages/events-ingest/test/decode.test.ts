import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fsUrlDecode } from '../src/index.js';
import { splitFrames, fixture } from './support.js';

test('FreeSWITCH URL decoding: %XX escapes, `+` kept, bad UTF-8 never throws', () => {
  assert.equal(fsUrlDecode('Extension%201001'), 'Extension 1001');
  assert.equal(fsUrlDecode('%2B4930123456'), '+4930123456');
  assert.equal(fsUrlDecode('a+b'), 'a+b');
  assert.equal(fsUrlDecode('Jos%C3%A9'), 'José');
  assert.equal(fsUrlDecode('Jos%E9'), 'Jos\uFFFD'); // Latin-1 caller name (modesl crashes here)
  assert.equal(fsUrlDecode('50%25%20off'), '50% off');
  assert.equal(fsUrlDecode('100%'), '100%');
  assert.equal(fsUrlDecode('tone_stream%3A//%25(500'), 'tone_stream://%(500');
});

test('the frame splitter consumes the whole plain-ALL capture exactly', () => {
  const frames = splitFrames(fixture('esl_inbound/esl-inbound-event-plain-ALL.rx.raw'));
  const tsv = fixture('esl_inbound/esl-inbound-event-plain-ALL.frames.tsv')
    .toString('utf8')
    .trim()
    .split('\n')
    .slice(1);
  assert.equal(frames.length, tsv.length);
  assert.deepEqual(
    frames.map((f) => f.headers['Content-Type']),
    tsv.map((line) => line.split('\t')[3]),
  );
});
