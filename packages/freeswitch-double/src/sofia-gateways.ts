// Gateways (carrier trunks) of the double's sofia profiles, loaded the way mod_sofia 1.10 loads them on
// `sofia profile <p> startgw <name|_all_>` (sofia.c: config_gateway, parse_gateways) and dropped on `killgw`
// (mod_sofia.c, the `sofia profile` command).
import type { FsDocument } from './xml-curl/documents.js';
import type { SofiaGateway } from './xml-curl/sofia-config.js';

/** What startgw asks the controller (mod_xml_curl's configuration binding); tests pass an XmlCurlClient's. */
export type SofiaConfigFetcher = (profile: string, gateway: string) => Promise<FsDocument | null>;

/** sofia_state_string (sofia_reg.c): the registration state of a gateway. */
export type GatewayRegState =
  | 'UNREGED'
  | 'TRYING'
  | 'REGISTER'
  | 'REGED'
  | 'UNREGISTER'
  | 'FAILED'
  | 'FAIL_WAIT'
  | 'EXPIRED'
  | 'NOREG'
  | 'DOWN'
  | 'TIMEOUT';
/** sofia_gateway_status_name (sofia_reg.c): the OPTIONS-ping status. */
export type GatewayPingStatus = 'UP' | 'DOWN' | 'INVALID';

export type LoadedGateway = {
  profile: string;
  name: string;
  /** REG_STATE as `sofia status gateway` prints it: NOREG for a trunk that does not register, else REGED at load. */
  state: GatewayRegState;
  /** The ping status; a gateway whose status is DOWN refuses calls with GATEWAY_DOWN (mod_sofia.c). */
  status: GatewayPingStatus;
  params: Record<string, string>;
  variables: Record<string, string>;
};

/** sofia.c parse_gateways: `^[\w\.\-\_]+$`. */
const NAME_RE = /^[\w.-]+$/;
const isTrue = (v: string | undefined) =>
  v !== undefined && /^(?:true|yes|on|1|enabled|active|allow)$/i.test(v);

export class SofiaGatewayTable {
  readonly gateways = new Map<string, LoadedGateway>();
  /** Every startgw/killgw, in order, with what it did. */
  readonly log: string[] = [];
  fetcher: SofiaConfigFetcher | null = null;
  /** Fires sofia::gateway_state (set by the double: sofia_reg.c sofia_reg_fire_custom_gateway_state_event). */
  onState: ((g: LoadedGateway) => void) | null = null;
  /** Fires sofia::gateway_add (added) / sofia::gateway_delete (killed). */
  onAdded: ((g: LoadedGateway, deleted: boolean) => void) | null = null;
  private pending = new Set<Promise<void>>();
  /** Causes the carrier answers the next INVITEs through a gateway with, oldest first (tests script them). */
  private readonly failures = new Map<string, string[]>();

  /**
   * A test moves a loaded gateway to a registration state and/or ping status, as sofia's registration and ping
   * threads do; the gateway_state event fires as FreeSWITCH fires it on every such change.
   */
  setState(name: string, state: GatewayRegState, status?: GatewayPingStatus): void {
    const g = this.gateways.get(name);
    if (!g) throw new Error(`no gateway ${name}`);
    g.state = state;
    if (status) g.status = status;
    this.onState?.(g);
  }

  /** The carrier answers the next `count` calls through `name` with `cause` (e.g. NORMAL_TEMPORARY_FAILURE for a 503). */
  failCalls(name: string, cause: string, count = 1): void {
    const q = this.failures.get(name) ?? [];
    for (let i = 0; i < count; i++) q.push(cause);
    this.failures.set(name, q);
  }

  /**
   * What happens to an INVITE through `name` (mod_sofia.c sofia_outgoing_channel): INVALID_GATEWAY when the node
   * has no such gateway, GATEWAY_DOWN when its ping status is DOWN (no channel is created for either), else the
   * scripted carrier answer (a cause) or null: the carrier connects the call.
   */
  outcome(name: string): { cause: string; created: boolean } | null {
    const g = this.gateways.get(name);
    if (!g) return { cause: 'INVALID_GATEWAY', created: false };
    if (g.status === 'DOWN') return { cause: 'GATEWAY_DOWN', created: false };
    const cause = this.failures.get(name)?.shift();
    return cause ? { cause, created: true } : null;
  }

  /** Resolves when every startgw fetch started so far has been applied. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** killgw: the gateway is marked deleted (unregistered, then reaped); the double drops it at once. */
  kill(name: string): string {
    const g = this.gateways.get(name);
    const found = this.gateways.delete(name);
    if (g) this.onAdded?.(g, true);
    this.log.push(`killgw ${name} ${found ? 'ok' : 'missing'}`);
    return found ? '+OK gateway marked for deletion.\n' : '-ERR no such gateway.\n';
  }

  /**
   * startgw: fetches sofia.conf (profile, reconfig=true, gateway) and adds the profile's gateways from the answer,
   * `_all_` or only the named one. FreeSWITCH blocks the api until the fetch is done; the double answers +OK at once
   * and applies the answer when it arrives (await `idle()`).
   */
  start(profile: string, name: string): string {
    const fetcher = this.fetcher;
    if (!fetcher) return '+OK\n';
    const p = fetcher(profile, name)
      .then((doc) => this.apply(profile, name, doc))
      .catch((e: unknown) => this.log.push(`startgw ${name} fetch failed: ${String(e)}`))
      .then(() => undefined);
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return '+OK\n';
  }

  private apply(profile: string, only: string, doc: FsDocument | null): void {
    // "not found" or no answer: the static sofia.conf, whose external profile has no gateways in this project.
    if (!doc || doc.kind !== 'sofia') return void this.log.push(`startgw ${only} no configuration`);
    const p = doc.profiles.find((x) => x.name === profile);
    for (const g of p?.gateways ?? []) {
      if (!NAME_RE.test(g.name)) {
        this.log.push(`ignored invalid name ${g.name}`);
        continue;
      }
      if (only !== '_all_' && g.name !== only) continue;
      if (this.gateways.has(g.name)) {
        this.log.push(`ignored duplicate ${g.name}`);
        continue;
      }
      const loaded = this.load(profile, g);
      if (loaded) {
        this.gateways.set(g.name, loaded);
        this.onAdded?.(loaded, false);
        // A registering gateway reaches REGED through state changes, each announced; a NOREG one starts in its state.
        if (loaded.state === 'REGED') this.onState?.(loaded);
      }
    }
  }

  private load(profile: string, g: SofiaGateway): LoadedGateway | null {
    const params = Object.fromEntries(g.params.map((x) => [x.name, x.value]));
    // register defaults to "true"; a registering gateway without username or password is skipped.
    const register = isTrue(params.register ?? 'true');
    if (register && (!params.username || !params.password)) {
      this.log.push(`skipped ${g.name}: ${params.username ? 'password' : 'username'} param is REQUIRED`);
      return null;
    }
    const transport = params['register-transport'];
    if (transport !== undefined && !/^(?:udp|tcp)$/i.test(transport)) {
      this.log.push(`skipped ${g.name}: unsupported transport`);
      return null;
    }
    this.log.push(`loaded ${g.name}`);
    return {
      profile,
      name: g.name,
      state: register ? 'REGED' : 'NOREG',
      status: 'UP',
      params,
      variables: Object.fromEntries(
        g.variables.filter((v) => v.direction !== 'inbound').map((v) => [v.name, v.value]),
      ),
    };
  }
}
