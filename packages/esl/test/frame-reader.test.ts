// The adapter's framing must cut FreeSWITCH's byte stream into exactly the frames a whole-buffer split
// gives, however TCP chunks it: at every byte, inside the header block, exactly where a body starts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameReader } from '../src/wire/frame-reader.js';
import { capture, randomChunks, splitFrames } from './helpers.js';

type Seen = { head: string; body: string };

function read(chunks: Buffer[]): { frames: Seen[]; buffered: number } {
  const frames: Seen[] = [];
  const reader = new FrameReader((head, length, body) => {
    assert.equal(length, body?.length ?? 0);
    frames.push({ head, body: body ? body.toString('latin1') : '' });
  });
  for (const c of chunks) reader.push(c);
  return { frames, buffered: reader.buffered };
}

function expected(data: Buffer): Seen[] {
  return splitFrames(data).map((f) => ({ head: f.headerText, body: f.body.toString('latin1') }));
}

describe('FrameReader', () => {
  const stream = Buffer.concat([
    capture('esl_inbound', 'esl-inbound-event-plain-ALL'),
    capture('esl_inbound', 'esl-inbound-bgapi'),
    capture('esl_inbound', 'esl-inbound-misc-replies'),
  ]);
  const want = expected(stream);

  it('reads the captures whole, in random chunks, and one byte at a time', () => {
    assert.ok(want.length > 300, `only ${want.length} frames`);
    assert.deepEqual(read([stream]).frames, want);
    for (const max of [1, 7, 64, 1500, 65_536]) {
      const got = read(randomChunks(stream, max));
      assert.deepEqual(got.frames, want, `chunks up to ${max} bytes`);
      assert.equal(got.buffered, 0);
    }
  });

  it('splits at every offset of a frame: in the headers, at the blank line, where the body starts', () => {
    const two = Buffer.concat([
      Buffer.from('Content-Type: command/reply\nReply-Text: +OK\n\n'),
      Buffer.from('Content-Length: 11\nContent-Type: api/response\n\nhello\n\nworld'),
      Buffer.from('Content-Type: auth/request\n\n'),
    ]);
    const whole = expected(two);
    assert.equal(whole.length, 3);
    for (let at = 1; at < two.length; at++) {
      assert.deepEqual(read([two.subarray(0, at), two.subarray(at)]).frames, whole, `split at ${at}`);
    }
  });

  it('holds an incomplete frame, and takes a body with a blank line in it whole', () => {
    const body = 'line one\n\nContent-Length: 99\n\nnot a header';
    const frame = Buffer.from(`Content-Length: ${body.length}\nContent-Type: api/response\n\n${body}`);
    const partial = read([frame.subarray(0, frame.length - 3)]);
    assert.deepEqual(partial.frames, []);
    assert.ok(partial.buffered > 0);
    assert.deepEqual(read([frame]).frames, [
      { head: `Content-Length: ${body.length}\nContent-Type: api/response`, body },
    ]);
  });

  it('skips blank lines between frames and treats a bad Content-Length as no body', () => {
    const got = read([Buffer.from('\n\nContent-Type: a\n\n\nContent-Length: x1\nContent-Type: b\n\n')]);
    assert.deepEqual(got.frames, [
      { head: 'Content-Type: a', body: '' },
      { head: 'Content-Length: x1\nContent-Type: b', body: '' },
    ]);
  });

  it('stays in step with the stream when its consumer throws on a frame', () => {
    const heads: string[] = [];
    const errors: unknown[] = [];
    const reader = new FrameReader(
      (head) => {
        heads.push(head);
        if (head === 'Content-Type: b') throw new Error('consumer bug');
      },
      (err) => errors.push(err),
    );
    const data = Buffer.from(
      'Content-Type: a\n\nContent-Type: b\n\nContent-Length: 2\nContent-Type: c\n\nokContent-Type: d\n\n',
    );
    reader.push(data.subarray(0, 40));
    reader.push(data.subarray(40));
    assert.deepEqual(heads, [
      'Content-Type: a',
      'Content-Type: b',
      'Content-Length: 2\nContent-Type: c',
      'Content-Type: d',
    ]);
    assert.equal(errors.length, 1);
  });
});
