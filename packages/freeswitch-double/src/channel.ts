// The double's channel: a caller profile, basic channel data and an ordered variable list, serialised
// into events with FreeSWITCH's header order (switch_channel_event_set_data). Setting a variable moves
// it to the end, as switch_channel_set_variable does; that is what gives the captures their order.
import { randomUUID } from 'node:crypto';
import type { EventFactory, FsEvent } from './fs-event.js';
import { ORIGINS, type EventOrigin, type Header } from './fs-event.js';

export type ChannelStateName =
  | 'CS_NEW'
  | 'CS_INIT'
  | 'CS_ROUTING'
  | 'CS_EXECUTE'
  | 'CS_EXCHANGE_MEDIA'
  | 'CS_HANGUP'
  | 'CS_REPORTING'
  | 'CS_DESTROY';

const STATE_NUMBER: Record<ChannelStateName, number> = {
  CS_NEW: 0,
  CS_INIT: 1,
  CS_ROUTING: 2,
  CS_EXECUTE: 4,
  CS_EXCHANGE_MEDIA: 5,
  CS_HANGUP: 10,
  CS_REPORTING: 11,
  CS_DESTROY: 12,
};

export interface CallerProfile {
  direction: 'inbound' | 'outbound';
  username: string;
  callerIdName: string;
  callerIdNumber: string;
  /** The caller id before any change (a B leg shows the A leg's effective name but the original one here). */
  origCallerIdName?: string;
  calleeIdName?: string;
  calleeIdNumber?: string;
  networkAddr: string;
  destinationNumber: string;
  context: string;
  channelName: string;
}

export interface ChannelTimes {
  created: number;
  answered: number;
  progress: number;
  progressMedia: number;
  hangup: number;
  bridged: number;
}

/** Variables that are encoded on the wire even when looked up raw; kept as plain strings here. */
export class VarList {
  private readonly map = new Map<string, string>();

  set(name: string, value: string | number | undefined): void {
    this.map.delete(name);
    if (value === undefined || value === '') return;
    this.map.set(name, String(value));
  }

  unset(name: string): void {
    this.map.delete(name);
  }

  get(name: string): string | undefined {
    return this.map.get(name);
  }

  entries(): Array<[string, string]> {
    return [...this.map.entries()];
  }
}

export interface ChannelEventOptions {
  variables?: boolean;
  /** False for a channel that is not initialised yet (CS_NEW): no codec and no caller profile. */
  profile?: boolean;
  before?: Header[];
  after?: Header[];
  origin?: EventOrigin;
}

export class Channel {
  readonly uuid: string;
  readonly vars = new VarList();
  readonly times: ChannelTimes;
  profile: CallerProfile;
  state: ChannelStateName = 'CS_NEW';
  /** Channel-State-Number follows the "running" state except during hang-up (FreeSWITCH reports 10 while still CS_EXECUTE). */
  stateNumber = 0;
  callState: 'DOWN' | 'RINGING' | 'ACTIVE' | 'HANGUP' = 'DOWN';
  answerState: 'ringing' | 'early' | 'answered' | 'hangup' = 'ringing';
  hangupCause: string | undefined;
  hitDialplan = true;
  callUuid: string;
  otherLeg: { type: 'originator' | 'originatee'; channel: Channel } | undefined;
  /** Set while the socket app controls the channel. */
  socketApp: { data: string } | undefined;

  constructor(profile: CallerProfile, createdUs: number, uuid: string = randomUUID()) {
    this.uuid = uuid;
    this.callUuid = uuid;
    this.profile = profile;
    this.times = { created: createdUs, answered: 0, progress: 0, progressMedia: 0, hangup: 0, bridged: 0 };
  }

  setState(s: ChannelStateName): void {
    this.state = s;
    this.stateNumber = STATE_NUMBER[s];
  }

  get isUp(): boolean {
    return this.answerState !== 'hangup';
  }

  basicHeaders(): Header[] {
    const h: Array<Header | undefined> = [
      ['Channel-State', this.state],
      ['Channel-Call-State', this.callState],
      ['Channel-State-Number', String(this.stateNumber)],
      ['Channel-Name', this.profile.channelName],
      ['Unique-ID', this.uuid],
      ['Call-Direction', this.profile.direction],
      ['Presence-Call-Direction', this.profile.direction],
      ['Channel-HIT-Dialplan', String(this.hitDialplan)],
      ['Channel-Call-UUID', this.callUuid],
      ['Answer-State', this.answerState],
      this.hangupCause ? ['Hangup-Cause', this.hangupCause] : undefined,
      ['Channel-Read-Codec-Name', 'PCMU'],
      ['Channel-Read-Codec-Rate', '8000'],
      ['Channel-Read-Codec-Bit-Rate', '64000'],
      ['Channel-Write-Codec-Name', 'PCMU'],
      ['Channel-Write-Codec-Rate', '8000'],
      ['Channel-Write-Codec-Bit-Rate', '64000'],
    ];
    return h.filter((x): x is Header => x !== undefined);
  }

  callerHeaders(prefix: string, withIndex = true): Header[] {
    const p = this.profile;
    const t = this.times;
    const h: Array<[string, string | undefined]> = [
      ['Direction', p.direction],
      ['Logical-Direction', p.direction],
      ['Username', p.username],
      ['Dialplan', 'XML'],
      ['Caller-ID-Name', p.callerIdName],
      ['Caller-ID-Number', p.callerIdNumber],
      ['Orig-Caller-ID-Name', p.origCallerIdName ?? p.callerIdName],
      ['Orig-Caller-ID-Number', p.callerIdNumber],
      ['Callee-ID-Name', p.calleeIdName],
      ['Callee-ID-Number', p.calleeIdNumber],
      ['Network-Addr', p.networkAddr],
      ['ANI', p.callerIdNumber],
      ['Destination-Number', p.destinationNumber],
      ['Unique-ID', this.uuid],
      ['Source', 'mod_sofia'],
      ['Context', p.context],
      ['Channel-Name', p.channelName],
      ['Profile-Index', withIndex ? '1' : undefined],
      ['Profile-Created-Time', String(t.created)],
      ['Channel-Created-Time', String(t.created)],
      ['Channel-Answered-Time', String(t.answered)],
      ['Channel-Progress-Time', String(t.progress)],
      ['Channel-Progress-Media-Time', String(t.progressMedia)],
      ['Channel-Hangup-Time', String(t.hangup)],
      ['Channel-Transfer-Time', '0'],
      ['Channel-Resurrect-Time', '0'],
      ['Channel-Bridged-Time', String(t.bridged)],
      ['Channel-Last-Hold', '0'],
      ['Channel-Hold-Accum', '0'],
      ['Screen-Bit', 'true'],
      ['Privacy-Hide-Name', 'false'],
      ['Privacy-Hide-Number', 'false'],
    ];
    return h
      .filter((x): x is [string, string] => x[1] !== undefined && x[1] !== '')
      .map(([n, v]) => [prefix + n, v] as const);
  }

  variableHeaders(): Header[] {
    return this.vars.entries().map(([n, v]) => [`variable_${n}`, v] as const);
  }

  /** A channel event: core headers, `before`, basic data, caller profile, other leg, variables, `after`. */
  event(factory: EventFactory, name: string, o: ChannelEventOptions = {}): FsEvent {
    const origin = o.origin ??
      (ORIGINS as Record<string, EventOrigin>)[name] ?? {
        file: 'switch_channel.c',
        func: 'switch_channel_event_set_data',
        line: 2657,
      };
    const e = factory.create(name, origin);
    e.addAll(o.before ?? []);
    if (o.profile === false) {
      e.addAll(this.basicHeaders().filter(([n]) => !n.includes('-Codec-')));
      return e;
    }
    e.addAll(this.basicHeaders());
    e.addAll(this.callerHeaders('Caller-'));
    if (this.otherLeg) {
      e.add('Other-Type', this.otherLeg.type);
      e.addAll(this.otherLeg.channel.callerHeaders('Other-Leg-', false));
    }
    if (o.variables !== false) e.addAll(this.variableHeaders());
    e.addAll(o.after ?? []);
    return e;
  }

  /** The reply to `connect` on an outbound socket: CHANNEL_DATA with no Content-Length. */
  channelData(factory: EventFactory, socketMode: 'async' | 'static', full: boolean): Buffer {
    const e = factory.create('CHANNEL_DATA', ORIGINS.CHANNEL_DATA);
    e.addAll(this.callerHeaders('Channel-'));
    e.addAll(this.basicHeaders());
    e.addAll(this.callerHeaders('Caller-'));
    e.addAll(this.variableHeaders());
    e.add('Content-Type', 'command/reply');
    e.add('Reply-Text', '+OK\n');
    e.add('Socket-Mode', socketMode);
    e.add('Control', full ? 'full' : 'single-channel');
    // toPlain() encodes every value; Content-Type etc. have nothing to encode, Reply-Text becomes %2BOK%0A.
    return e.toPlain();
  }
}
