import type { Db } from '@pbx/db';
import { decryptSecret } from '@pbx/domain';
import type { Form } from '../form.js';
import { attr, document, leaf, NOT_FOUND, open, close, wrap } from '../xml.js';

/** The sofia profile carrier trunks live in (freeswitch-conf/autoload_configs/sofia.conf.xml). */
export const TRUNK_PROFILE = 'external';

export type TrunkRow = {
  fsName: string;
  enabled: boolean;
  register: boolean;
  host: string;
  port: number | null;
  transport: 'UDP' | 'TCP';
  realm: string | null;
  fromDomain: string | null;
  username: string | null;
  passwordEnc: string | null;
  codecs: string[];
  expireSeconds: number;
  retrySeconds: number;
  pingSeconds: number | null;
};

type Log = { warn: (obj: object, msg: string) => void };

/** sofia ignores any other name (sofia.c, parse_gateways: `^[\w\.\-\_]+$`); the API allows a subset. */
const NAME_RE = /^[\w.-]{1,64}$/;

/**
 * The `<gateway>` of one trunk, with the parameters sofia.c's parse_gateways reads (FreeSWITCH 1.10). A registering
 * trunk whose password cannot be decrypted (no or another GATEWAY_SECRET_KEY) is left out: sofia would skip it
 * anyway ("password param is REQUIRED"), and nothing half-configured reaches FreeSWITCH.
 */
export function renderTrunk(g: TrunkRow, key: Buffer | null, log: Log): string | null {
  if (!NAME_RE.test(g.fsName) || !g.host) return null;
  const params: [string, string][] = [
    ['proxy', g.port ? `${g.host}:${g.port}` : g.host],
    // register defaults to true in sofia: always said explicitly.
    ['register', g.register ? 'true' : 'false'],
    ['register-transport', g.transport.toLowerCase()],
    // Our caller ID goes into the From user (the carrier's usual way to receive it).
    ['caller-id-in-from', 'true'],
    ['expire-seconds', String(g.expireSeconds)],
    ['retry-seconds', String(g.retrySeconds)],
  ];
  if (g.realm) params.push(['realm', g.realm]);
  if (g.fromDomain) params.push(['from-domain', g.fromDomain]);
  if (g.pingSeconds) params.push(['ping', String(g.pingSeconds)]);
  if (g.username) params.push(['username', g.username]);
  if (g.passwordEnc) {
    const password = key ? decryptSecret(key, g.passwordEnc) : null;
    if (password === null) {
      log.warn({ gateway: g.fsName }, 'trunk password cannot be decrypted with GATEWAY_SECRET_KEY');
      if (g.register) return null;
    } else params.push(['password', password]);
  }
  const body =
    open(6, 'params') +
    params.map(([n, v]) => leaf(7, 'param', attr('name', n) + attr('value', v))).join('') +
    close(6, 'params') +
    (g.codecs.length
      ? wrap(
          6,
          'variables',
          '',
          leaf(
            7,
            'variable',
            attr('name', 'absolute_codec_string') +
              attr('value', g.codecs.join(',')) +
              attr('direction', 'outbound'),
          ),
        )
      : '');
  return wrap(5, 'gateway', attr('name', g.fsName), body);
}

/** The sofia.conf answer holding only the external profile's gateways (no settings: see sofiaConfigLookup). */
export function renderSofiaGateways(trunks: readonly TrunkRow[], key: Buffer | null, log: Log): string {
  const gateways = trunks
    .filter((g) => g.enabled)
    .map((g) => renderTrunk(g, key, log))
    .filter((x): x is string => x !== null)
    .join('');
  const profile = wrap(3, 'profile', attr('name', TRUNK_PROFILE), wrap(4, 'gateways', '', gateways));
  const cfg = wrap(
    2,
    'configuration',
    attr('name', 'sofia.conf') + attr('description', 'carrier trunks'),
    wrap(3, 'profiles', '', profile),
  );
  return document(wrap(1, 'section', attr('name', 'configuration'), cfg));
}

const SELECT = {
  fsName: true,
  enabled: true,
  register: true,
  host: true,
  port: true,
  transport: true,
  realm: true,
  fromDomain: true,
  username: true,
  passwordEnc: true,
  codecs: true,
  expireSeconds: true,
  retrySeconds: true,
  pingSeconds: true,
} as const;

/**
 * POST /freeswitch/configuration: mod_xml_curl's `configuration` binding. Only the one request that loads trunks is
 * answered: `sofia profile external startgw <name|_all_>` (sofia.c, config_gateway: `profile`, `reconfig=true`,
 * `gateway`), which parses nothing but the profile's gateways. Every other fetch — sofia.conf at start-up, `rescan`,
 * `restart`, and every other module's configuration — gets "not found", so FreeSWITCH reads its static files: a
 * rescan re-applies the profile's settings (its ACLs included) from what it is given, so the profile's settings stay
 * in freeswitch-conf and never depend on the controller.
 */
export function sofiaConfigLookup(deps: { prisma: Db; key: Buffer | null; log: Log }) {
  return async (form: Form): Promise<string> => {
    const gateway = form.get('gateway');
    if (
      form.get('key_value') !== 'sofia.conf' ||
      form.get('profile') !== TRUNK_PROFILE ||
      form.get('reconfig') !== 'true' ||
      gateway === undefined
    )
      return NOT_FOUND;
    if (gateway !== '_all_' && !NAME_RE.test(gateway)) return NOT_FOUND;
    const trunks = await deps.prisma.gateway.findMany({
      where: gateway === '_all_' ? {} : { fsName: gateway },
      select: SELECT,
      orderBy: { fsName: 'asc' },
    });
    return renderSofiaGateways(trunks, deps.key, deps.log);
  };
}
