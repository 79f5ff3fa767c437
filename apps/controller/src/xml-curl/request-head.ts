/**
 * The head of one HTTP/1.x request to the lookup endpoints, parsed strictly. Only what mod_xml_curl (libcurl) sends
 * has to pass: a request line, `Name: value` lines ended by CRLF, a Content-Length. Anything a proxy or another
 * parser could read differently (folded lines, bare LF, conflicting lengths, a transfer coding) is refused.
 */
export type RequestHead = {
  method: string;
  /** The request target without its query string. */
  path: string;
  authorization: string | undefined;
  contentLength: number | undefined;
  /** `Expect: 100-continue`: the client waits for an interim answer before it sends the body. */
  expectContinue: boolean;
};

export type HeadError = { status: 400 | 417 | 501 | 505; reason: string };

// Both patterns exist to keep control characters out, so they have to name them.
// eslint-disable-next-line no-control-regex
const REQUEST_LINE_RE = /^([A-Z]{1,16}) ([^\s\0-\x1f\x7f]{1,8190}) HTTP\/(\d\.\d)$/;
// RFC 9110 token, then the value: visible characters, spaces and tabs only.
// eslint-disable-next-line no-control-regex
const FIELD_RE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([^\0-\x08\x0a-\x1f\x7f]*?)[ \t]*$/;
const LENGTH_RE = /^\d{1,10}$/;

const fail = (status: HeadError['status'], reason: string): HeadError => ({ status, reason });

/** `head` is everything before the blank line, decoded as latin1 (one character per byte). */
export function parseRequestHead(head: string): RequestHead | HeadError {
  const lines = head.split('\r\n');
  const m = REQUEST_LINE_RE.exec(lines[0] ?? '');
  if (!m) return fail(400, 'malformed request line');
  const [, method = '', target = '', version] = m;
  if (version !== '1.1' && version !== '1.0') return fail(505, 'only HTTP/1.0 and HTTP/1.1 are spoken here');
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  let authorization: string | undefined;
  let contentLength: number | undefined;
  let expectContinue = false;
  for (let i = 1; i < lines.length; i++) {
    const f = FIELD_RE.exec(lines[i] ?? '');
    // Also catches obs-fold (a line starting with a space) and a lone LF or CR inside the head.
    if (!f) return fail(400, 'malformed header line');
    const name = (f[1] ?? '').toLowerCase();
    const value = f[2] ?? '';
    switch (name) {
      case 'authorization':
        if (authorization !== undefined) return fail(400, 'more than one Authorization header');
        authorization = value;
        break;
      case 'content-length': {
        if (!LENGTH_RE.test(value)) return fail(400, 'bad Content-Length');
        const n = Number(value);
        if (contentLength !== undefined && contentLength !== n)
          return fail(400, 'conflicting Content-Length');
        contentLength = n;
        break;
      }
      case 'transfer-encoding':
        return fail(501, 'transfer codings are not supported; send a Content-Length');
      case 'expect': {
        // mod_xml_curl sends an empty Expect header to turn libcurl's 100-continue off.
        const v = value.toLowerCase();
        if (v === '100-continue') expectContinue = true;
        else if (v !== '') return fail(417, `cannot meet the expectation ${JSON.stringify(value)}`);
        break;
      }
    }
  }
  return { method, path, authorization, contentLength, expectContinue };
}
