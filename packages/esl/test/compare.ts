// Compares what the double sends with a capture: same frames, same header names in the same order,
// same encoding and framing; only values that legitimately differ between runs are normalised.
import assert from 'node:assert/strict';
import { header, normaliseValue, splitFrames, type RawFrame } from './helpers.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Run-specific values inside header values and bodies. */
export function normaliseText(s: string): string {
  return s
    .replace(UUID, '<uuid>')
    .replace(/(127\.0\.0\.1(?:%3A|:))\d{4,5}(?=%20async|\s|$)/g, '$1<port>')
    .replace(/\d+/g, '<n>');
}

function normalise(name: string, value: string): string {
  const v = normaliseValue(name, value);
  if (
    /session_id|DTMF-Duration|^variable_rtp_audio_|socket_host|current_application_data|^Application-Data$|^variable_last_arg$/.test(
      name,
    )
  )
    return normaliseText(v);
  return v.replace(/(127\.0\.0\.1%3A)\d+(%20async)/, '$1<port>$2');
}

export function eventLines(text: string): { headers: Array<[string, string]>; body: string | undefined } {
  const end = text.indexOf('\n\n');
  const head = end === -1 ? text : text.slice(0, end);
  const headers = head
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const at = l.indexOf(': ');
      return [l.slice(0, at), l.slice(at + 2)] as [string, string];
    });
  const cl = headers.find(([n]) => n === 'Content-Length');
  return {
    headers: headers.filter(([n]) => n !== 'Content-Length'),
    body: cl ? text.slice(end + 2) : undefined,
  };
}

/** cJSON flat objects; keeps duplicate keys and order (JSON.parse would not). */
export function jsonPairs(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const re = /"((?:[^"\\]|\\.)*)":"((?:[^"\\]|\\.)*)"/g;
  for (const m of text.matchAll(re))
    out.push([JSON.parse(`"${m[1] ?? ''}"`) as string, JSON.parse(`"${m[2] ?? ''}"`) as string]);
  return out;
}

export interface CompareOptions {
  /** Header names whose presence/order is not compared (documented gaps of the double). */
  ignoreHeaders?: RegExp;
  /** Compare event variables (variable_*) too. Default true. */
  variables?: boolean;
}

function compareHeaderList(
  where: string,
  actual: Array<[string, string]>,
  expected: Array<[string, string]>,
  o: CompareOptions,
): void {
  const keep = ([n]: [string, string]) =>
    !(o.ignoreHeaders?.test(n) ?? false) && (o.variables !== false || !n.startsWith('variable_'));
  const a = actual.filter(keep);
  const e = expected.filter(keep);
  assert.deepEqual(
    a.map(([n]) => n),
    e.map(([n]) => n),
    `${where}: header names and order`,
  );
  assert.deepEqual(
    a.map(([n, v]) => `${n}: ${normalise(n, v)}`),
    e.map(([n, v]) => `${n}: ${normalise(n, v)}`),
    `${where}: header values`,
  );
}

export function compareFrame(where: string, a: RawFrame, e: RawFrame, o: CompareOptions = {}): void {
  const ct = header(e, 'Content-Type');
  assert.deepEqual(
    a.headers.map(([n]) => n),
    e.headers.map(([n]) => n),
    `${where}: frame header names and order (${ct})`,
  );
  // Framing: Content-Length is the body's byte length.
  const cl = header(a, 'Content-Length');
  if (cl !== undefined) assert.equal(Number(cl), a.body.length, `${where}: Content-Length in bytes`);
  if (header(e, 'Event-Name') && !header(e, 'Content-Length')) {
    // The outbound connect reply: the whole channel in the frame header.
    compareHeaderList(where, a.headers, e.headers, o);
    return;
  }
  compareHeaderList(
    where,
    a.headers.filter(([n]) => n !== 'Content-Length'),
    e.headers.filter(([n]) => n !== 'Content-Length'),
    o,
  );
  if (ct === 'text/event-plain') {
    const ea = eventLines(a.body.toString('utf8'));
    const ee = eventLines(e.body.toString('utf8'));
    compareHeaderList(
      `${where} ${header(e, 'Event-Name') ?? ee.headers[0]?.[1] ?? ''}`,
      ea.headers,
      ee.headers,
      o,
    );
    assert.equal(ea.body === undefined, ee.body === undefined, `${where}: event body presence`);
    if (ee.body !== undefined)
      assert.equal(normaliseText(ea.body ?? ''), normaliseText(ee.body), `${where}: event body`);
    assert.ok(
      a.body.toString('utf8').endsWith(e.body.toString('utf8').endsWith('\n\n') ? '\n\n' : ''),
      `${where}: event ends like FreeSWITCH's`,
    );
  } else if (ct === 'text/event-json') {
    const pa = jsonPairs(a.body.toString('utf8'));
    const pe = jsonPairs(e.body.toString('utf8'));
    compareHeaderList(
      `${where} json`,
      pa.filter(([n]) => n !== '_body' && n !== 'Content-Length'),
      pe.filter(([n]) => n !== '_body' && n !== 'Content-Length'),
      o,
    );
    const body = (p: Array<[string, string]>) => p.find(([n]) => n === '_body')?.[1];
    assert.equal(normaliseText(body(pa) ?? ''), normaliseText(body(pe) ?? ''), `${where}: json _body`);
  } else {
    assert.equal(
      normaliseText(a.body.toString('utf8')),
      normaliseText(e.body.toString('utf8')),
      `${where}: body`,
    );
  }
}

export function compareStreams(actual: Buffer, expected: Buffer, o: CompareOptions = {}): void {
  const a = splitFrames(actual);
  const e = splitFrames(expected);
  const sig = (f: RawFrame) => {
    const ct = header(f, 'Content-Type') ?? '';
    const body = f.body.toString('utf8');
    const name =
      /^Event-Name: (.*)$/m.exec(body)?.[1] ??
      /"Event-Name":"([^"]+)"/.exec(body)?.[1] ??
      header(f, 'Event-Name') ??
      '';
    return `${ct}${name ? ` ${name}` : ''}`;
  };
  assert.deepEqual(a.map(sig), e.map(sig), 'frame sequence');
  a.forEach((f, i) => compareFrame(`frame #${i + 1}`, f, e[i] as RawFrame, o));
}
