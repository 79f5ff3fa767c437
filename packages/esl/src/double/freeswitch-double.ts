// A process-local FreeSWITCH 1.10 stand-in for tests: an inbound event socket, outbound `socket`
// connections, a shared channel table, registrations, scripted callers and fault injection.
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { runApi, type ApiHost, type ApiResult } from './api.js';
import { applySofiaInviteVars, type Channel } from './channel.js';
import type { SwitchContext, Timing } from './context.js';
import { CallRuntime } from './engine.js';
import { defaultFaults, type Faults } from './faults.js';
import { EventFactory, ORIGINS, type FsEvent, type NodeIdentity } from './fs-event.js';
import { InboundSession } from './inbound-session.js';
import { OutboundSession, type SocketTarget } from './outbound-session.js';
import { contactOf, storedExpires, type Registration } from './registrations.js';
import type { SessionHost } from './session-host.js';
import { UserCache } from './user-cache.js';

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
}

export interface PlaceCallOptions {
  from: string;
  to: string;
  domain?: string;
  callerName?: string;
  /** Directory `effective_caller_id_name`. */
  effectiveCallerIdName?: string;
  context?: string;
  profile?: string;
  accountcode?: string;
  networkIp?: string;
  networkPort?: number;
  userAgent?: string;
  /** The dialplan answers before handing the call to the socket (the 5000 capture); default false (5001). */
  answer?: boolean;
  /** Connect outbound like `socket host:port async full`. Without it the call is parked. */
  socket?: SocketTarget;
  /** Digits the caller presses, ms after the call starts. */
  digits?: ReadonlyArray<{ digit: string; atMs: number }>;
  /** Dialplan applications run before `socket` (or instead of it), e.g. [['bridge', 'user/1002@acme.test']]. */
  apps?: ReadonlyArray<readonly [app: string, data: string]>;
  /** The caller hangs up this many ms after the call starts. */
  hangupAfterMs?: number;
}

export interface DoubleCall {
  readonly uuid: string;
  readonly channel: Channel;
  /** Resolves when the outbound socket is connected (if `socket` was given). */
  readonly connected: Promise<void>;
  /** Resolves after CHANNEL_HANGUP_COMPLETE / DESTROY. */
  readonly ended: Promise<void>;
  /** The commands the controller sent on the outbound socket. */
  readonly outboundCommands: readonly string[];
  press(digits: string, gapMs?: number): Promise<void>;
  /** The caller hangs up (BYE). */
  hangup(cause?: string): void;
}

export interface RegisterPhoneOptions {
  user: string;
  domain: string;
  profile?: string;
  expiresSec?: number;
  networkIp?: string;
  networkPort?: number;
  userAgent?: string;
  callId?: string;
  directoryVars?: Record<string, string>;
  /** Digest realm, when it differs from `domain` (the To host the registration is filed under). */
  realm?: string;
  /** The From header's host, when it differs from `domain`. */
  fromHost?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class FreeswitchDouble implements SwitchContext, SessionHost, ApiHost {
  readonly faults: Faults = defaultFaults();
  readonly identity: NodeIdentity;
  readonly factory: EventFactory;
  readonly timing: Timing;
  readonly password: string;
  readonly hostname: string;
  readonly startedAt = Date.now();
  readonly globalVars: Map<string, string>;
  readonly userCache = new UserCache();
  private readonly server: Server;
  private readonly runtimes = new Map<string, CallRuntime>();
  private readonly regs = new Map<string, Registration>();
  private readonly inbound = new Set<InboundSession>();
  private readonly outbound = new Set<OutboundSession>();
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
    for (const o of this.outbound) o.wire.destroy();
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
    for (const s of this.outbound) s.deliver(ev);
  }

  nextSessionId(): number {
    return ++this.sessionCounter;
  }

  findRegistration(user: string, domain: string): Registration | undefined {
    return this.regs.get(`${user}@${domain}`);
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
    return [...this.regs.values()];
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
    const sp = line.indexOf(' ');
    const e = this.factory.create('API', ORIGINS.API);
    e.add('API-Command', sp === -1 ? line : line.slice(0, sp));
    e.add('API-Command-Argument', sp === -1 ? undefined : line.slice(sp + 1));
    this.broadcast(e);
  }

  runBgapi(line: string, jobUuid: string, ownerUuid: string | undefined): void {
    setImmediate(() => {
      const result = this.runApi(line);
      this.apiEvent(line);
      const sp = line.indexOf(' ');
      const e = this.factory.create('BACKGROUND_JOB', ORIGINS.BACKGROUND_JOB);
      e.add('Job-UUID', jobUuid);
      e.add('Job-Owner-UUID', ownerUuid);
      e.add('Job-Command', sp === -1 ? line : line.slice(0, sp));
      e.add('Job-Command-Arg', sp === -1 ? undefined : line.slice(sp + 1));
      e.body = result.body;
      this.broadcast(e);
      result.after?.();
    });
  }

  sendmsg(uuid: string, headers: Map<string, string>, body: string | undefined): string {
    const rt = this.runtimes.get(uuid);
    if (!rt) return `-ERR invalid session id [${uuid}]`;
    const command = headers.get('call-command');
    if (command === 'execute') {
      const app = headers.get('execute-app-name') ?? '';
      const arg =
        headers.get('execute-app-arg') ?? (headers.get('content-type') === 'text/plain' ? (body ?? '') : '');
      const appUuid = headers.get('event-uuid') ?? randomUUID();
      // The reply is written first; the app runs from the park loop afterwards.
      setImmediate(() => rt.enqueue({ app, data: arg, appUuid, viaSendmsg: true }));
    } else if (command === 'hangup') {
      const cause = headers.get('hangup-cause') ?? 'NORMAL_CLEARING';
      setImmediate(() => rt.hangup(cause));
    }
    return '+OK';
  }

  /** Every `sendevent` received on an inbound socket (header names lower-cased), oldest first. */
  readonly sentEvents: Array<{ name: string; headers: Map<string, string> }> = [];

  sendevent(name: string, headers: Map<string, string>): string {
    // FreeSWITCH fires the event into its core (mod_sofia turns MESSAGE_WAITING into NOTIFYs); the double records it.
    this.sentEvents.push({ name, headers });
    return `+OK ${randomUUID()}`;
  }

  // ---- scenarios ----

  /** A caller dials a number: the channel is created, routed, optionally answered, then parked or handed to a socket. */
  placeCall(o: PlaceCallOptions): DoubleCall {
    const domain = o.domain ?? 'acme.test';
    const callerName = o.callerName ?? `Ext ${o.from}`;
    const networkIp = o.networkIp ?? '127.0.0.1';
    const profileName = o.profile ?? 'internal';
    const rt = new CallRuntime(this, {
      direction: 'inbound',
      username: o.from,
      callerIdName: callerName,
      callerIdNumber: o.from,
      networkAddr: networkIp,
      destinationNumber: o.to,
      context: o.context ?? 'default',
      channelName: `sofia/${profileName}/${o.from}@${domain}`,
    });
    const sessionId = this.nextSessionId();
    applySofiaInviteVars(rt.ch, {
      callerNumber: o.from,
      callerName,
      destination: o.to,
      domain,
      context: o.context ?? 'default',
      profile: profileName,
      networkIp,
      networkPort: o.networkPort ?? 5070,
      userAgent: o.userAgent ?? 'SIPp-capture',
      accountcode: o.accountcode,
      effectiveCallerIdName: o.effectiveCallerIdName ?? `Extension ${o.from}`,
      sessionId,
      identity: this.identity,
      eventSequence: 0,
    });
    rt.start();
    if (o.answer) rt.enqueue({ app: 'answer', data: '', appUuid: randomUUID(), viaSendmsg: false });
    for (const [app, data] of o.apps ?? [])
      rt.enqueue({ app, data, appUuid: randomUUID(), viaSendmsg: false });
    let session: OutboundSession | undefined;
    let connected: Promise<void> = Promise.resolve();
    if (o.socket) {
      const target = o.socket;
      // The dialplan's answer (if any) runs first, then socket.
      connected = rt.afterQueue(async () => {
        const data = `${target.host}:${target.port}${target.async === false ? '' : ' async'}${target.full === false ? '' : ' full'}`;
        rt.startSocketApp(data);
        const s = new OutboundSession(this, rt, this.factory, target, () => this.outbound.delete(s));
        session = s;
        this.outbound.add(s);
        await s.ready;
        rt.park();
      });
      connected.catch(() => undefined);
    } else if (!o.apps?.length) {
      rt.park();
    }
    const started = Date.now();
    for (const d of o.digits ?? []) {
      setTimeout(() => rt.press(d.digit), Math.max(0, d.atMs - (Date.now() - started))).unref();
    }
    if (o.hangupAfterMs !== undefined)
      setTimeout(() => rt.hangup('NORMAL_CLEARING', true), o.hangupAfterMs).unref();
    return {
      uuid: rt.uuid,
      channel: rt.ch,
      connected,
      ended: rt.done,
      get outboundCommands(): readonly string[] {
        return session?.commands ?? [];
      },
      press: async (digits, gapMs = 100) => {
        for (const d of digits) {
          rt.press(d);
          await sleep(gapMs);
        }
      },
      hangup: (cause = 'NORMAL_CLEARING') => rt.hangup(cause, true),
    };
  }

  /** The call runtime behind a uuid (bridged B legs included). */
  runtime(uuid: string): CallRuntime | undefined {
    return this.runtimes.get(uuid);
  }

  /** Every channel (bridged B legs included) is visible to show channels, uuid_kill and sendmsg. */
  track(rt: CallRuntime): void {
    this.runtimes.set(rt.uuid, rt);
  }

  private registrationEvent(
    kind: 'pre_register' | 'register_attempt' | 'register' | 'unregister' | 'expire',
    r: Registration,
  ): FsEvent {
    const origin =
      kind === 'register'
        ? ORIGINS.REGISTER
        : kind === 'unregister'
          ? ORIGINS.UNREGISTER
          : kind === 'expire'
            ? ORIGINS.EXPIRE
            : {
                file: 'sofia_reg.c',
                func: 'sofia_reg_handle_register_token',
                line: kind === 'pre_register' ? 1810 : 1606,
              };
    const e = this.factory.create('CUSTOM', origin, `sofia::${kind}`);
    const contact = contactOf(r);
    if (kind === 'expire') {
      e.add('profile-name', r.profile)
        .add('call-id', r.callId)
        .add('user', r.user)
        .add('username', r.user)
        .add('host', r.domain);
      e.add('contact', contact)
        .add('expires', storedExpires(r))
        .add('user-agent', r.userAgent)
        .add('realm', r.realm ?? r.domain);
      e.add('network-ip', r.networkIp).add('network-port', r.networkPort);
      return e;
    }
    if (kind === 'unregister') {
      e.add('profile-name', r.profile)
        .add('username', r.user)
        .add('from-user', r.user)
        .add('from-host', r.domain);
      e.add('contact', contact)
        .add('call-id', r.callId)
        .add('rpid', 'unknown')
        .add('realm', r.realm ?? r.domain);
      e.add('network-ip', r.networkIp)
        .add('network-port', r.networkPort)
        .add('user-agent', r.userAgent)
        .add('expires', '0');
      for (const [k, v] of Object.entries(r.directoryVars)) e.add(k, v);
      return e;
    }
    e.add('profile-name', r.profile).add('from-user', r.user).add('from-host', r.domain);
    if (kind === 'register') e.add('presence-hosts', 'n/a');
    e.add('contact', contact)
      .add('call-id', r.callId)
      .add('rpid', 'unknown')
      .add('status', 'Registered(UDP)');
    // The naming trap of sofia_reg.c: from-* hold the To (AOR), to-* the From header (facts.md §3.1).
    e.add('expires', r.expiresSec)
      .add('to-user', r.user)
      .add('to-host', r.fromHost ?? r.domain);
    e.add('network-ip', r.networkIp).add('network-port', r.networkPort);
    if (kind !== 'pre_register') e.add('username', r.user).add('realm', r.realm ?? r.domain);
    e.add('user-agent', r.userAgent);
    if (kind === 'register_attempt') e.add('auth-result', 'SUCCESS');
    if (kind === 'register') for (const [k, v] of Object.entries(r.directoryVars)) e.add(k, v);
    return e;
  }

  /** A phone registers (pre_register, register_attempt, register) and shows up in `show registrations`. */
  registerPhone(o: RegisterPhoneOptions): Registration {
    const port = o.networkPort ?? 5070;
    const r: Registration = {
      user: o.user,
      domain: o.domain,
      profile: o.profile ?? 'internal',
      callId: o.callId ?? `reg-${o.user}@${randomUUID().slice(0, 8)}.invalid`,
      contactHost: o.networkIp ?? '127.0.0.1',
      contactPort: port,
      networkIp: o.networkIp ?? '127.0.0.1',
      networkPort: port,
      userAgent: o.userAgent ?? 'SIPp-capture',
      expiresSec: o.expiresSec ?? 3600,
      registeredAt: Math.floor(Date.now() / 1000),
      ...(o.realm !== undefined ? { realm: o.realm } : {}),
      ...(o.fromHost !== undefined ? { fromHost: o.fromHost } : {}),
      directoryVars: o.directoryVars ?? {
        sip_number_alias: o.user,
        sip_auth_username: o.user,
        sip_auth_realm: o.domain,
        number_alias: o.user,
        user_name: o.user,
        domain_name: o.domain,
        user_context: 'default',
        effective_caller_id_name: `Extension ${o.user}`,
        effective_caller_id_number: o.user,
      },
    };
    this.broadcast(this.registrationEvent('pre_register', r));
    this.broadcast(this.registrationEvent('register_attempt', r));
    this.regs.set(`${r.user}@${r.domain}`, r);
    this.broadcast(this.registrationEvent('register', r));
    return r;
  }

  /** REGISTER with Expires: 0. */
  unregisterPhone(user: string, domain: string): boolean {
    const r = this.regs.get(`${user}@${domain}`);
    if (!r) return false;
    this.regs.delete(`${user}@${domain}`);
    this.broadcast(this.registrationEvent('unregister', r));
    return true;
  }

  /** The registration timed out (or was flushed). */
  expireRegistration(user: string, domain: string): boolean {
    const r = this.regs.get(`${user}@${domain}`);
    if (!r) return false;
    this.regs.delete(`${user}@${domain}`);
    this.broadcast(this.registrationEvent('expire', r));
    return true;
  }

  /**
   * `sofia profile <p> flush_inbound_reg [<call-id>|<user@host>]` (mod_sofia.c; sofia_reg.c sofia_reg_expire_call_id
   * / sofia_reg_check_expire): each matching registration of the profile is dropped with a sofia::expire.
   */
  flushInboundReg(profile: string, target: string | undefined): void {
    for (const [key, r] of this.regs) {
      if (r.profile !== profile) continue;
      if (target !== undefined && target !== r.callId && target !== `${r.user}@${r.domain}`) continue;
      this.regs.delete(key);
      this.broadcast(this.registrationEvent('expire', r));
    }
  }

  /** A REGISTER answered 403 (wrong password, unknown user): sofia::register_failure. */
  failRegistration(o: {
    user: string;
    domain: string;
    profile?: string;
    networkIp?: string;
    networkPort?: number;
    userAgent?: string;
  }): void {
    const profile = o.profile ?? 'internal';
    const e = this.factory.create('CUSTOM', ORIGINS.REGISTER_FAILURE, 'sofia::register_failure');
    e.add('profile-name', profile)
      .add('to-user', o.user)
      .add('to-host', o.domain)
      .add('network-ip', o.networkIp ?? '127.0.0.1');
    e.add('user-agent', o.userAgent ?? 'SIPp-capture')
      .add('profile-name', profile)
      .add('network-port', o.networkPort ?? 5070);
    e.add('registration-type', 'REGISTER');
    this.broadcast(e);
  }

  heartbeat(): void {
    const e = this.factory.create('HEARTBEAT', ORIGINS.HEARTBEAT);
    const up = Date.now() - this.startedAt;
    const n = this.runtimes.size;
    e.add('Event-Info', 'System Ready');
    e.add(
      'Up-Time',
      `0 years, 0 days, 0 hours, ${Math.floor(up / 60000)} minutes, ${Math.floor(up / 1000) % 60} seconds, ${up % 1000} milliseconds, 0 microseconds`,
    );
    e.add('FreeSWITCH-Version', '1.10.12-release+git~20260821T141014Z~cc93a683ca~64bit');
    e.add('Uptime-msec', up).add('Session-Count', n).add('Max-Sessions', 2000).add('Session-Per-Sec', 200);
    e.add('Session-Per-Sec-Last', 0).add('Session-Per-Sec-Max', 0).add('Session-Per-Sec-FiveMin', 0);
    e.add('Session-Since-Startup', this.sessionCounter)
      .add('Session-Peak-Max', n)
      .add('Session-Peak-FiveMin', n)
      .add('Idle-CPU', '95.500000');
    this.broadcast(e);
  }
}

export async function startFreeswitchDouble(o: FreeswitchDoubleOptions = {}): Promise<FreeswitchDouble> {
  return new FreeswitchDouble(o).listen(o.host ?? '127.0.0.1', o.port ?? 0);
}
