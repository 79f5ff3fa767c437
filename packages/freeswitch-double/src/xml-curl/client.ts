import { connect } from 'node:net';
import { parseFsDocument, type FsDocument } from './documents.js';
import { encodeBody } from './fields.js';
import { dialplanRequest, type DialplanCall } from './dialplan-request.js';
import {
  gatewaysRequest,
  sipAuthRequest,
  userCallRequest,
  type SipAuthOptions,
} from './directory-requests.js';
import { sofiaGatewayConfigRequest } from './configuration-request.js';
import type { XmlCurlRequest } from './request-common.js';
import type { EventStamp, FsIdentity } from './fields.js';

export type HttpTarget = { host: string; port: number; path: string; user?: string; password?: string };

/**
 * The exact bytes mod_xml_curl (libcurl) writes: request line, then Host,
 * [Authorization,] User-Agent, Accept, Content-Length, Content-Type, CRLF
 * line ends, no Expect and no Connection header.
 */
export function requestBytes(target: HttpTarget, req: XmlCurlRequest): Buffer {
  const body = Buffer.from(encodeBody(req.fields), 'latin1');
  const auth =
    target.user !== undefined
      ? `Authorization: Basic ${Buffer.from(`${target.user}:${target.password ?? ''}`).toString('base64')}\r\n`
      : '';
  const head =
    `POST ${target.path} HTTP/1.1\r\n` +
    `Host: ${target.host}:${target.port}\r\n` +
    auth +
    'User-Agent: freeswitch-xml/1.0\r\n' +
    'Accept: */*\r\n' +
    `Content-Length: ${body.length}\r\n` +
    'Content-Type: application/x-www-form-urlencoded\r\n\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

export type XmlCurlResponse = { status: number; headers: Record<string, string>; body: string };

/** One request on a new TCP connection, as FreeSWITCH does for every lookup. */
export function sendRaw(target: HttpTarget, bytes: Buffer, timeoutMs = 3000): Promise<XmlCurlResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (err: Error | null, res?: XmlCurlResponse) => {
      if (done) return;
      done = true;
      socket.destroy();
      if (err) reject(err);
      else if (res) resolve(res);
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`xml_curl request timed out after ${timeoutMs} ms`)));
    socket.on('error', (e) => finish(e));
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const res = tryParse(Buffer.concat(chunks), false);
      if (res) finish(null, res);
    });
    socket.on('end', () => {
      const res = tryParse(Buffer.concat(chunks), true);
      finish(res ? null : new Error('connection closed before a complete HTTP response'), res ?? undefined);
    });
    socket.write(bytes);
  });
}

function tryParse(buf: Buffer, ended: boolean): XmlCurlResponse | null {
  const sep = buf.indexOf('\r\n\r\n');
  if (sep < 0) return null;
  const lines = buf.subarray(0, sep).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? NaN);
  if (!Number.isFinite(status)) throw new Error(`bad status line: ${lines[0] ?? ''}`);
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const c = l.indexOf(':');
    if (c > 0) headers[l.slice(0, c).trim().toLowerCase()] = l.slice(c + 1).trim();
  }
  let rest = buf.subarray(sep + 4);
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    const parts: Buffer[] = [];
    for (;;) {
      const eol = rest.indexOf('\r\n');
      if (eol < 0) return null;
      const size = parseInt(rest.subarray(0, eol).toString('latin1'), 16);
      if (size === 0) return { status, headers, body: Buffer.concat(parts).toString('utf8') };
      if (rest.length < eol + 2 + size + 2) return null;
      parts.push(rest.subarray(eol + 2, eol + 2 + size));
      rest = rest.subarray(eol + 2 + size + 2);
    }
  }
  const len = headers['content-length'];
  if (len !== undefined) {
    const n = Number(len);
    return rest.length >= n ? { status, headers, body: rest.subarray(0, n).toString('utf8') } : null;
  }
  return ended ? { status, headers, body: rest.toString('utf8') } : null;
}

export type LookupResult = XmlCurlResponse & {
  /** The answer as FreeSWITCH would read it; null when FreeSWITCH would ignore it (non-200 status). */
  document: FsDocument | null;
};

export type XmlCurlClientOptions = {
  /** e.g. http://127.0.0.1:8099/freeswitch (the binding's gateway-url without /directory or /dialplan) */
  baseUrl: string;
  user?: string;
  password?: string;
  identity?: FsIdentity;
};

/**
 * The mod_xml_curl side of the FreeSWITCH double: asks the controller what
 * FreeSWITCH 1.10 would ask, byte for byte, and reads the answer with the
 * same structural rules FreeSWITCH applies.
 */
export class XmlCurlClient {
  private sequence = 400;

  constructor(private readonly options: XmlCurlClientOptions) {}

  private stamp(): EventStamp {
    this.sequence += 1;
    return { date: new Date(), sequence: this.sequence };
  }

  private common() {
    return { stamp: this.stamp(), ...(this.options.identity ? { identity: this.options.identity } : {}) };
  }

  target(section: XmlCurlRequest['section']): HttpTarget {
    const url = new URL(this.options.baseUrl);
    return {
      host: url.hostname,
      port: Number(url.port || 80),
      path: `${url.pathname.replace(/\/$/, '')}/${section}`,
      ...(this.options.user !== undefined ? { user: this.options.user } : {}),
      ...(this.options.password !== undefined ? { password: this.options.password } : {}),
    };
  }

  async send(req: XmlCurlRequest): Promise<LookupResult> {
    const res = await sendRaw(this.target(req.section), requestBytes(this.target(req.section), req));
    return { ...res, document: res.status === 200 ? parseFsDocument(res.body) : null };
  }

  /** What FreeSWITCH gets back when `user@domain` sends an authenticated REGISTER. */
  register(user: string, domain: string, extra: Partial<SipAuthOptions> = {}): Promise<LookupResult> {
    return this.send(sipAuthRequest({ ...this.common(), ...extra, method: 'REGISTER', user, domain }));
  }

  /** The sip_auth lookup of an authenticated INVITE from `user@domain` to `toUser`. */
  invite(
    user: string,
    domain: string,
    toUser: string,
    extra: Partial<SipAuthOptions> = {},
  ): Promise<LookupResult> {
    return this.send(sipAuthRequest({ ...this.common(), ...extra, method: 'INVITE', user, domain, toUser }));
  }

  /** The sip_auth lookup of an authenticated SUBSCRIBE from `user@domain` watching `toUser` (presence, MWI). */
  subscribe(
    user: string,
    domain: string,
    toUser: string,
    extra: Partial<SipAuthOptions> = {},
  ): Promise<LookupResult> {
    return this.send(
      sipAuthRequest({ ...this.common(), ...extra, method: 'SUBSCRIBE', user, domain, toUser }),
    );
  }

  /** The lookup `bridge user/<user>@<domain>` makes. */
  userCall(user: string, domain: string): Promise<LookupResult> {
    return this.send(userCallRequest({ ...this.common(), user, domain }));
  }

  /** What `sofia profile <profile> startgw <gateway>` fetches (`_all_` for every gateway). */
  sofiaGateways(profile: string, gateway: string): Promise<LookupResult> {
    return this.send(sofiaGatewayConfigRequest({ ...this.common(), profile, gateway }));
  }

  gateways(profile: string): Promise<LookupResult> {
    return this.send(gatewaysRequest({ ...this.common(), profile }));
  }

  /** The dialplan lookup for a call. */
  dialplan(call: Omit<DialplanCall, 'stamp' | 'identity'>): Promise<LookupResult> {
    return this.send(dialplanRequest({ ...this.common(), ...call }));
  }
}
