// EventHeaders (the lazily decoded header block of a plain event) must answer exactly what a full,
// eager parse of the same text answers, for every event FreeSWITCH 1.10.12 sent in the captures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventHeaders, fsUrlDecode } from '../src/index.js';
import { capture, header, splitFrames } from './helpers.js';

/** The reference: every line split at the first ': ', decoded, the last of a repeated name kept (as modesl). */
function eagerParse(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of block.split('\n')) {
    if (line === '') continue;
    const at = line.indexOf(': ');
    const name = at === -1 ? line : line.slice(0, at);
    out[name] = at === -1 ? '' : fsUrlDecode(line.slice(at + 2));
  }
  return out;
}

function plainEventBlocks(): string[] {
  return splitFrames(capture('esl_inbound', 'esl-inbound-event-plain-ALL'))
    .filter((f) => header(f, 'Content-Type') === 'text/event-plain')
    .map((f) => {
      const text = f.body.toString('utf8');
      const end = text.indexOf('\n\n');
      return end === -1 ? text : text.slice(0, end);
    });
}

describe('EventHeaders', () => {
  const blocks = plainEventBlocks();

  it('reads every header and variable of every captured event as an eager parse does', () => {
    assert.ok(blocks.length > 250, `only ${blocks.length} events in the capture`);
    let variables = 0;
    for (const block of blocks) {
      const expected = eagerParse(block);
      const h = EventHeaders.parse(block);
      for (const [name, value] of Object.entries(expected)) {
        assert.equal(h.get(name), value, `${expected['Event-Name']}: ${name}`);
        if (name.startsWith('variable_')) {
          variables++;
          assert.equal(h.variable(name.slice('variable_'.length)), value);
        }
      }
      assert.deepEqual(h.toRecord(), expected);
      const vars = Object.fromEntries(
        Object.entries(expected)
          .filter(([n]) => n.startsWith('variable_'))
          .map(([n, v]) => [n.slice('variable_'.length), v]),
      );
      assert.deepEqual(EventHeaders.parse(block).variables(), vars);
      assert.equal(h.get('No-Such-Header'), undefined);
      assert.equal(h.variable('no_such_variable'), undefined);
    }
    assert.ok(variables > 5_000, `only ${variables} variables checked`);
  });

  it('finds a header that sits among the variables, and a variable after other headers', () => {
    const h = EventHeaders.parse(
      [
        'Event-Name: CHANNEL_EXECUTE',
        'Unique-ID: 1',
        'variable_a: 1',
        'Odd-Header: in%20between',
        'variable_b: 2',
        'Application: playback',
        'variable_c: 3%25',
      ].join('\n'),
    );
    assert.equal(h.get('Odd-Header'), 'in between');
    assert.equal(h.get('Application'), 'playback');
    assert.deepEqual(h.variables(), { a: '1', b: '2', c: '3%' });
    assert.equal(h.variable('c'), '3%');
    assert.equal(h.get('variable_b'), '2');
  });

  it('does not confuse a variable whose name is a prefix of another, or a value that looks like a header', () => {
    const h = EventHeaders.parse(
      ['Event-Name: CUSTOM', 'variable_sip_from_user_stripped: 1001', 'variable_sip_from_user: 1002'].join(
        '\n',
      ),
    );
    assert.equal(h.variable('sip_from_user'), '1002');
    assert.equal(h.variable('sip_from'), undefined);
    const tricky = EventHeaders.parse(
      ['Event-Name: CUSTOM', 'variable_x: a%0Avariable_y%3A%20b', 'variable_y: real'].join('\n'),
    );
    assert.equal(tricky.variable('x'), 'a\nvariable_y: b');
    assert.equal(tricky.variable('y'), 'real');
  });

  it('keeps the last of a repeated header (as modesl does), decodes non-UTF-8 escapes without throwing', () => {
    const h = EventHeaders.parse(
      'Event-Name: CHANNEL_HANGUP_COMPLETE\nHangup-Cause: OTHER\nCaller-Caller-ID-Name: Jos%E9\nHangup-Cause: NORMAL_CLEARING',
    );
    assert.equal(h.get('Hangup-Cause'), 'NORMAL_CLEARING');
    assert.equal(h.get('Caller-Caller-ID-Name'), 'Jos\uFFFD');
    assert.deepEqual(h.names(), ['Event-Name', 'Hangup-Cause', 'Caller-Caller-ID-Name']);
    assert.equal(EventHeaders.parse('Event-Name: X\nvariable_a: 1\nvariable_a: 2').variable('a'), '2');
  });

  it('wraps an already decoded record (json events) without decoding it again', () => {
    const h = EventHeaders.fromRecord({ 'Event-Name': 'CHANNEL_CREATE', 'A-B': '50%25', variable_v: '%41' });
    assert.equal(h.get('A-B'), '50%25');
    assert.equal(h.variable('v'), '%41');
    assert.equal(h.get('variable_v'), '%41');
    assert.deepEqual(h.variables(), { v: '%41' });
    assert.deepEqual(h.toRecord(), { 'Event-Name': 'CHANNEL_CREATE', 'A-B': '50%25', variable_v: '%41' });
  });

  it('tells apart names that share an index bucket, even hundreds of them (crafted names)', () => {
    // Same length and last character: the index files them all in one bucket.
    const alike = (i: number) => `variable_x${String(i).padStart(4, '0')}_end`;
    for (const count of [3, 40, 600]) {
      const lines = ['Event-Name: CUSTOM'];
      for (let i = 0; i < count; i++) lines.push(`${alike(i)}: v${i}`);
      lines.push(`${alike(0)}: last`);
      const h = EventHeaders.parse(lines.join('\n'));
      assert.equal(h.get(alike(0)), 'last');
      for (let i = 1; i < count; i++) assert.equal(h.get(alike(i)), `v${i}`);
      assert.equal(h.variable(alike(1).slice('variable_'.length)), 'v1');
      assert.equal(h.get(alike(count + 30)), undefined);
      assert.equal(h.get(''), undefined);
    }
  });

  it('grows its index for an event with thousands of headers', () => {
    const lines = ['Event-Name: CHANNEL_DATA'];
    for (let i = 0; i < 5000; i++) lines.push(`variable_v${i}: ${i}`);
    const h = EventHeaders.parse(lines.join('\n'));
    assert.equal(h.variable('v0'), '0');
    assert.equal(h.variable('v4999'), '4999');
    assert.equal(h.variable('v5000'), undefined);
    assert.equal(Object.keys(h.variables()).length, 5000);
  });

  it('reads Event-Name off undecoded bytes, decodes the rest on demand, and finds the body after the block', () => {
    const body = 'row 1\n\nrow 2 \u00e9';
    const frame = Buffer.from(
      `Event-Name: BACKGROUND_JOB\nJob-UUID: j1\nCaller-Caller-ID-Name: Jos%C3%A9\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`,
    );
    const h = EventHeaders.fromBytes(frame);
    assert.equal(h.eventName(), 'BACKGROUND_JOB');
    assert.equal(h.get('Job-UUID'), 'j1');
    assert.equal(h.get('Caller-Caller-ID-Name'), 'Jos\u00e9');
    assert.equal(h.trailer(), body);
    assert.deepEqual(h.names(), ['Event-Name', 'Job-UUID', 'Caller-Caller-ID-Name', 'Content-Length']);
    assert.equal(h.get('row 1'), undefined, 'the body is not part of the block');
    const plain = EventHeaders.fromBytes(Buffer.from('Event-Name: HEARTBEAT\nUp-Time: 1\n\n'));
    assert.equal(plain.trailer(), '');
    assert.deepEqual(plain.toRecord(), { 'Event-Name': 'HEARTBEAT', 'Up-Time': '1' });
  });
});
