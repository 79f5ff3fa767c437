// A process-local FreeSWITCH 1.10 stand-in for tests: an inbound event socket, outbound `socket`
// connections, a shared channel table, registrations, scripted callers and fault injection.
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { runApi, type ApiHost, type ApiResult } from './api.js';
import { SofiaGatewayTable } from './sofia-gateways.js';
import { gatewayAddedEvent, gatewayStateEvent } from './gateway-events.js';
import type { Timing } from './context.js';
import type { CallRuntime } from './engine.js';
import { defaultFaults, type Faults } from './faults.js';
import { EventFactory, type FsEvent, type NodeIdentity } from './fs-event.js';
import { apiEvent, backgroundJobEvent } from './api-events.js';
import { defaultMedia, type MediaOptions } from './applications/media.js';
import { InboundSession } from './inbound-session.js';
import { sendmsg } from './sendmsg.js';
import { OutboundRouting } from './outbound-routing.js';
import { placeCall, type CallHost, type DoubleCall, type PlaceCallOptions } from './place-call.js';
import { heartbeatEvent } from './heartbeat.js';
import { PhoneRegistry } from './phone-registry.js';
import type { RegisterPhoneOptions } from './registration-events.js';
import type { Registration } from './registrations.js';
import { UserCache } from './user-cache.js';

export type { DoubleCall, PlaceCallOptions } from './place-call.js';
export type { RegisterPhoneOptions } from './registration-events.js';

export interface FreeswitchDoubleOptions {
  password?: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  hostname?: string;
  coreUuid?: string;
  timing?: Partial<Timing>;
  /** Sofia profiles listed by `sofia status`, with their SIP ports. */
  profiles?: Record<string, number>;
  globalVars?: Record<string, string>;
  /** Where played files are looked up and whether a missing one is FILE NOT FOUND (default: not checked). */
  media?: Partial<MediaOptions>;
}

export class FreeswitchDouble implements CallHost, ApiHost {
  readonly faults: Faults = defaultFaults();
  readonly identity: NodeIdentity;
  readonly factory: EventFactory;
  readonly timing: Timing;
  /** Can be changed at any time, like `faults`. */
  readonly media: MediaOptions;
  readonly password: string;
  readonly hostname: string;
  readonly startedAt = Date.now();
  readonly globalVars: Map<string, string>;
  readonly userCache = new UserCache();
  /** The sofia profiles' gateways (startgw / killgw / `sofia status gateway`); set `trunks.fetcher` to load any. */
  readonly trunks = new SofiaGatewayTable();
  private readonly server: Server;
  private readonly runtimes = new Map<string, CallRuntime>();
  private readonly phones: PhoneRegistry;
  private readonly inbound = new Set<InboundSession>();
  /** The outbound (`socket` app) connections, indexed as mod_event_socket would filter their events. */
  readonly outboundSockets = new OutboundRouting();
  private readonly sockets = new Set<Socket>();
  private readonly profilePorts: Record<string, number>;
  private sessionCounter = 0;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** All inbound sessions ever accepted (tests inspect the commands each one received). */
  readonly inboundHistory: InboundSession[] = [];
  port = 0;

  constructor(o: FreeswitchDoubleOptions = {}) {
    this.password = o.password ?? 'ClueCon';
    this.hostname = o.hostname ?? 'vm';
    this.identity = {
      coreUuid: o.coreUuid ?? randomUUID(),
      hostname: this.hostname,
      ipv4: '192.0.2.2',
      ipv6: 'fd00::2',
    };
    this.factory = new EventFactory(this.identity);
    this.phones = new PhoneRegistry(this.factory, (ev) => this.broadcast(ev));
    this.trunks.onState = (g) => this.broadcast(gatewayStateEvent(this.factory, g));
    this.trunks.onAdded = (g, deleted) => this.broadcast(gatewayAddedEvent(this.factory, g, deleted));
    this.media = { ...defaultMedia(), ...o.media };
    this.timing = { playbackMs: 100, bridgeAnswerMs: 50, heartbeatMs: 0, recordMs: 1000, ...o.timing };
    this.profilePorts = o.profiles ?? { internal: 5060 };
    this.globalVars = new Map(
      Object.entries({
        local_ip_v4: '127.0.0.1',
        hostname: this.hostname,
        domain: '127.0.0.1',
        ...o.globalVars,
      }),
    );
    this.server = createServer((s) => this.accept(s));
  }

  async listen(host = '127.0.0.1', port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    if (this.timing.heartbeatMs > 0)
      this.heartbeatTimer = setInterval(() => this.heartbeat(), this.timing.heartbeatMs);
    return this;
  }

  private closing: Promise<void> | undefined;

  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    for (const s of this.sockets) s.destroy();
    for (const o of this.outboundSockets.all) o.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Drops every inbound connection at once (a restart or network cut). */
  dropConnections(): void {
    for (const s of this.inbound) s.wire.destroy();
  }

  get inboundSessions(): InboundSession[] {
    return [...this.inbound];
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const session = new InboundSession(socket, this);
    this.inbound.add(session);
    this.inboundHistory.push(session);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.inbound.delete(session);
    });
    socket.on('error', () => undefined);
  }

  // ---- SwitchContext ----

  broadcast(ev: FsEvent): void {
    for (const s of this.inbound) s.deliver(ev);
    this.outboundSockets.deliver(ev);
  }

  nextSessionId(): number {
    return ++this.sessionCounter;
  }

  findRegistration(user: string, domain: string): Registration | undefined {
    return this.phones.find(user, domain);
  }

  removeChannel(uuid: string): void {
    this.runtimes.delete(uuid);
  }

  // ---- ApiHost ----

  sessionsSinceStartup(): number {
    return this.sessionCounter;
  }

  calls(): CallRuntime[] {
    return [...this.runtimes.values()];
  }

  registrations(): Registration[] {
    return this.phones.all();
  }

  profiles(): Array<{ name: string; port: number }> {
    return Object.entries(this.profilePorts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, port]) => ({ name, port }));
  }

  // ---- SessionHost ----

  runApi(line: string): ApiResult {
    return runApi(this, line);
  }

  apiEvent(line: string): void {
    this.broadcast(apiEvent(this.factory, line));
  }

  runBgapi(line: string, jobUuid: string, ownerUuid: string | undefined): void {
    setImmediate(() => {
      const result = this.runApi(line);
      this.apiEvent(line);
      this.broadcast(backgroundJobEvent(this.factory, line, jobUuid, ownerUuid, result.body));
      result.after?.();
    });
  }

  sendmsg(uuid: string, headers: Map<string, string>, body: string | undefined): string {
    const rt = this.runtimes.get(uuid);
    if (!rt) return `-ERR invalid session id [${uuid}]`;
    return sendmsg(rt, headers, body);
  }

  /** Every `sendevent` received on an inbound socket (header names lower-cased), oldest first. */
  readonly sentEvents: Array<{ name: string; headers: Map<string, string> }> = [];

  /** `sendevent`s the double refused (see sendevent), oldest first. */
  readonly refusedEvents: Array<{ name: string; headers: Map<string, string>; reason: string }> = [];

  sendevent(name: string, headers: Map<string, string>): string {
    // A real FreeSWITCH accepts a MESSAGE_WAITING without Sofia-Profile and NOTIFYs the phone, but mod_sofia
    // (actual_sofia_presence_mwi_event_handler) then never releases its lock on the profile, which can no longer be
    // stopped or restarted (docs/freeswitch-facts.md §9.3). The double refuses it, so tests catch the mistake.
    if (name === 'MESSAGE_WAITING' && !headers.get('sofia-profile')) {
      const reason = 'MESSAGE_WAITING without Sofia-Profile would leave the sofia profile locked';
      this.refusedEvents.push({ name, headers, reason });
      return `-ERR ${reason}`;
    }
    // FreeSWITCH fires the event into its core (mod_sofia turns MESSAGE_WAITING into NOTIFYs); the double records it.
    this.sentEvents.push({ name, headers });
    return `+OK ${randomUUID()}`;
  }

  // ---- scenarios ----

  /** A caller dials a number: the channel is created, routed, optionally answered, then parked or handed to a socket. */
  placeCall(o: PlaceCallOptions): DoubleCall {
    return placeCall(this, o);
  }

  /** The call runtime behind a uuid (bridged B legs included). */
  runtime(uuid: string): CallRuntime | undefined {
    return this.runtimes.get(uuid);
  }

  /** Every channel (bridged B legs included) is visible to show channels, uuid_kill and sendmsg. */
  track(rt: CallRuntime): void {
    this.runtimes.set(rt.uuid, rt);
  }

  /** A phone registers (pre_register, register_attempt, register) and shows up in `show registrations`. */
  registerPhone(o: RegisterPhoneOptions): Registration {
    return this.phones.register(o);
  }

  /** REGISTER with Expires: 0. */
  unregisterPhone(user: string, domain: string): boolean {
    return this.phones.drop(user, domain, 'unregister');
  }

  /** The registration timed out (or was flushed). */
  expireRegistration(user: string, domain: string): boolean {
    return this.phones.drop(user, domain, 'expire');
  }

  /** `sofia profile <p> flush_inbound_reg [<call-id>|<user@host>]`. */
  flushInboundReg(profile: string, target: string | undefined): void {
    this.phones.flush(profile, target);
  }

  /** A REGISTER answered 403 (wrong password, unknown user): sofia::register_failure. */
  failRegistration(o: Parameters<PhoneRegistry['fail']>[0]): void {
    this.phones.fail(o);
  }

  heartbeat(): void {
    this.broadcast(
      heartbeatEvent(this.factory, {
        startedAt: this.startedAt,
        sessions: this.runtimes.size,
        sinceStartup: this.sessionCounter,
      }),
    );
  }
}

export async function startFreeswitchDouble(o: FreeswitchDoubleOptions = {}): Promise<FreeswitchDouble> {
  return new FreeswitchDouble(o).listen(o.host ?? '127.0.0.1', o.port ?? 0);
}
