// The SIP side of the double: phones send digest-authenticated REGISTER, INVITE and SUBSCRIBE, and the double
// does what sofia does with them: look the user up (through the core's user cache, then mod_xml_curl), check the
// digest against the answer, and file a REGISTER under its To user and host (sofia_reg.c sofia_reg_parse_auth,
// sofia_reg_handle_register_token; docs/freeswitch-facts.md §3).
import { createHash, randomUUID } from 'node:crypto';
import type { FreeswitchDouble } from './freeswitch-double.js';
import type { Registration } from './registrations.js';
import type { CachedUser } from './user-cache.js';
import type { XmlCurlClient } from './xml-curl/client.js';
import type { FsDocument, NameValue } from './xml-curl/documents.js';
import { sipAuthRequest, userCallRequest } from './xml-curl/directory-requests.js';

export type SipRequest = {
  method: 'REGISTER' | 'INVITE' | 'SUBSCRIBE';
  /** The Authorization username and realm (the realm is the domain FreeSWITCH looks the user up in). */
  user: string;
  realm: string;
  password: string;
  /** The request's own headers; each defaults to the realm / user, as an honest phone sends them. */
  toUser?: string;
  toHost?: string;
  fromHost?: string;
  requestHost?: string;
  profile?: string;
  callId?: string;
  networkIp?: string;
  networkPort?: number;
  expiresSec?: number;
};

export type SipAnswer = {
  status: 200 | 403;
  /** A REGISTER's registration, as `show registrations` lists it. */
  registration?: Registration;
};

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/**
 * The user as switch_xml_locate_user finds it in an answer: the `<domain name>` (compared case-insensitively,
 * switch_xml_find_child) holding `<user id>`, with the domain's params and variables merged under the user's own
 * (switch_xml_merge_user). Anything else is "no user" (FreeSWITCH would fall back to its empty static directory).
 */
export function userOfDocument(doc: FsDocument | null, user: string, domain: string): CachedUser | null {
  if (doc?.kind !== 'directory') return null;
  const d = doc.domains.find((x) => x.name.toLowerCase() === domain.toLowerCase());
  const u = d?.users.find((x) => x.id === user);
  if (!d || !u) return null;
  const merge = (own: NameValue[], inherited: NameValue[]) => [
    ...own,
    ...inherited.filter((i) => !own.some((o) => o.name.toLowerCase() === i.name.toLowerCase())),
  ];
  return {
    domain: d.name,
    user: { ...u, params: merge(u.params, d.params), variables: merge(u.variables, d.variables) },
  };
}

/** Phones in front of one FreeswitchDouble, whose directory is the controller behind `client`. */
export class SipPhones {
  /** Directory requests sent to the controller (cache misses). */
  lookups = 0;

  constructor(
    private readonly fs: FreeswitchDouble,
    private readonly client: XmlCurlClient,
  ) {}

  /** One authenticated request (the phone already answered the 401/407 challenge). */
  async send(r: SipRequest): Promise<SipAnswer> {
    const toHost = r.toHost ?? r.realm;
    const toUser = r.toUser ?? r.user;
    const nonce = randomUUID();
    const cnonce = randomUUID().slice(0, 8);
    const nc = '00000001';
    const uri = `sip:${r.method === 'REGISTER' ? '' : `${toUser}@`}${r.requestHost ?? toHost}`;
    const digest = (ha1: string) => md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${md5(`${r.method}:${uri}`)}`);
    const response = digest(md5(`${r.user}:${r.realm}:${r.password}`));
    const ip = r.networkIp ?? '127.0.0.1';
    const found = await this.fs.userCache.locate('id', r.user, r.realm, async () => {
      this.lookups++;
      const res = await this.client.send(
        sipAuthRequest({
          method: r.method,
          user: r.user,
          domain: r.realm,
          toUser,
          toHost,
          ...(r.fromHost !== undefined ? { fromHost: r.fromHost } : {}),
          ...(r.requestHost !== undefined ? { requestHost: r.requestHost } : {}),
          profile: r.profile ?? 'internal',
          nonce,
          uri,
          cnonce,
          nc,
          response,
          callId: r.callId ?? `${r.method.toLowerCase()}-${r.user}@${randomUUID().slice(0, 8)}.invalid`,
          ip,
          clientPort: r.networkPort ?? 5070,
        }),
      );
      return userOfDocument(res.document, r.user, r.realm);
    });
    const param = (name: string) => found?.user.params.find((p) => p.name === name)?.value;
    const a1 =
      param('a1-hash') ??
      (param('password') !== undefined ? md5(`${r.user}:${r.realm}:${param('password')}`) : undefined);
    if (!found || a1 === undefined || digest(a1) !== response) {
      // registration-type names REGISTER or INVITE only (sofia_reg.c); the double sends no event for SUBSCRIBE.
      if (r.method !== 'SUBSCRIBE')
        this.fs.failRegistration({
          user: toUser,
          domain: toHost,
          networkIp: ip,
          networkPort: r.networkPort ?? 5070,
          registrationType: r.method,
        });
      return { status: 403 };
    }
    if (r.method !== 'REGISTER') return { status: 200 };
    // Filed under the To user and host, whatever the realm was (docs/freeswitch-facts.md §3); the event says both.
    const registration = this.fs.registerPhone({
      user: toUser,
      domain: toHost,
      realm: r.realm,
      fromHost: r.fromHost ?? toHost,
      profile: r.profile ?? 'internal',
      networkIp: ip,
      networkPort: r.networkPort ?? 5070,
      ...(r.callId !== undefined ? { callId: r.callId } : {}),
      ...(r.expiresSec !== undefined ? { expiresSec: r.expiresSec } : {}),
      directoryVars: {
        sip_number_alias: r.user,
        sip_auth_username: r.user,
        sip_auth_realm: r.realm,
        number_alias: r.user,
        user_name: r.user,
        domain_name: r.realm,
        ...Object.fromEntries(found.user.variables.map((v) => [v.name, v.value])),
      },
    });
    return { status: 200, registration };
  }

  register(r: Omit<SipRequest, 'method'>): Promise<SipAnswer> {
    return this.send({ ...r, method: 'REGISTER' });
  }

  /**
   * The user lookup of `bridge user/<user>@<domain>` (mod_dptools.c user_outgoing_channel): the same cache key as
   * the auth lookups, so a user cached by a REGISTER answers it without asking the controller.
   */
  async userCall(user: string, domain: string): Promise<CachedUser | null> {
    return this.fs.userCache.locate('id', user, domain, async () => {
      this.lookups++;
      return userOfDocument(
        (await this.client.send(userCallRequest({ user, domain }))).document,
        user,
        domain,
      );
    });
  }
}
