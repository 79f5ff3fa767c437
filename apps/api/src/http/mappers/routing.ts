import type * as C from '@pbx/contracts';
import type * as Db from '@pbx/db';
import {
  toDestination,
  toOptionalDestination,
  type GatewayView,
  type IvrMenuWithOptions,
  type RingGroupWithMembers,
  type TimeConditionFull,
} from '@pbx/domain';
import type { ApiConfig } from '../../config.js';
import { iso, storedGreeting } from './shared.js';

// Call routing: extensions, IVR menus, inbound numbers, caller IDs, ring groups, time conditions, trunks. Rows → API shapes; secret columns (hashes) are never copied.

export const extensionDto = (config: ApiConfig, domain: string, e: Db.Extension): C.Extension => ({
  id: e.id,
  tenantId: e.tenantId,
  number: e.number,
  displayName: e.displayName,
  callerIdName: e.callerIdName,
  callerIdNumber: e.callerIdNumber,
  emergencyCallerIdNumber: e.emergencyCallerIdNumber,
  emergencyLocation: e.emergencyLocation,
  enabled: e.enabled,
  voicemailEnabled: e.voicemailEnabled,
  voicemailBoxId: e.voicemailBoxId,
  recordingPolicy: e.recordingPolicy,
  outboundPolicy: e.outboundPolicy,
  ringTimeoutSec: e.ringTimeoutSec,
  dnd: e.dnd,
  forwardAlways: toOptionalDestination(e.forwardAlwaysType, e.forwardAlwaysValue),
  forwardBusy: toOptionalDestination(e.forwardBusyType, e.forwardBusyValue),
  forwardNoAnswer: toOptionalDestination(e.forwardNoAnswerType, e.forwardNoAnswerValue),
  passwordSetAt: iso(e.passwordSetAt),
  sip: {
    username: e.number,
    domain,
    registrar: config.SIP_REGISTRAR_HOST ?? domain,
    transport: config.SIP_TRANSPORT,
  },
  createdAt: iso(e.createdAt),
  updatedAt: iso(e.updatedAt),
});

export const ivrMenuDto = (m: IvrMenuWithOptions): C.IvrMenu => ({
  id: m.id,
  tenantId: m.tenantId,
  name: m.name,
  number: m.number,
  greeting: storedGreeting(m.greetingUpdatedAt),
  timeoutSec: m.timeoutSec,
  interDigitTimeoutMs: m.interDigitTimeoutMs,
  maxFailures: m.maxFailures,
  directDial: m.directDial,
  timeoutDestination: toDestination(m.timeoutDestType, m.timeoutDestValue),
  invalidDestination: toDestination(m.invalidDestType, m.invalidDestValue),
  options: m.options.map((o) => ({ digits: o.digits, destination: toDestination(o.destType, o.destValue) })),
  createdAt: iso(m.createdAt),
  updatedAt: iso(m.updatedAt),
});

export const inboundNumberDto = (n: Db.InboundNumber): C.InboundNumber => ({
  id: n.id,
  tenantId: n.tenantId,
  e164: n.e164,
  description: n.description,
  enabled: n.enabled,
  destination: toDestination(n.destType, n.destValue),
  createdAt: iso(n.createdAt),
  updatedAt: iso(n.updatedAt),
});

export const verifiedCallerIdDto = (v: Db.VerifiedCallerId): C.VerifiedCallerId => ({
  id: v.id,
  tenantId: v.tenantId,
  e164: v.e164,
  note: v.note,
  createdAt: iso(v.createdAt),
});

export const ringGroupDto = (g: RingGroupWithMembers): C.RingGroup => ({
  id: g.id,
  tenantId: g.tenantId,
  name: g.name,
  number: g.number,
  strategy: g.strategy,
  ringTimeoutSec: g.ringTimeoutSec,
  fallback: toDestination(g.fallbackDestType, g.fallbackDestValue),
  members: g.members.map((m) => ({ extensionId: m.extensionId, timeoutSec: m.timeoutSec })),
  createdAt: iso(g.createdAt),
  updatedAt: iso(g.updatedAt),
});

export const timeConditionDto = (t: TimeConditionFull): C.TimeCondition => ({
  id: t.id,
  tenantId: t.tenantId,
  name: t.name,
  match: toDestination(t.matchDestType, t.matchDestValue),
  noMatch: toDestination(t.noMatchDestType, t.noMatchDestValue),
  ranges: t.ranges.map((r) => ({
    dayOfWeek: r.dayOfWeek,
    startMinute: r.startMinute,
    endMinute: r.endMinute,
  })),
  holidays: t.holidays.map((h) => ({ date: h.date.toISOString().slice(0, 10), name: h.name })),
  createdAt: iso(t.createdAt),
  updatedAt: iso(t.updatedAt),
});

export const gatewayDto = (g: GatewayView, status: C.GatewayNodeState[] = []): C.Gateway => ({
  id: g.id,
  name: g.fsName,
  description: g.description,
  tenantId: g.tenantId,
  enabled: g.enabled,
  register: g.register,
  host: g.host,
  port: g.port,
  transport: g.transport,
  realm: g.realm,
  fromDomain: g.fromDomain,
  username: g.username,
  hasPassword: g.hasPassword,
  numberFormat: g.numberFormat,
  callerIdFormat: g.callerIdFormat,
  prefix: g.prefix,
  codecs: g.codecs,
  expireSeconds: g.expireSeconds,
  retrySeconds: g.retrySeconds,
  pingSeconds: g.pingSeconds,
  locationHeader: g.locationHeader,
  emergencyFallback: g.emergencyFallback,
  tenantCount: g.tenantCount,
  status,
  createdAt: iso(g.createdAt),
  updatedAt: iso(g.updatedAt),
});
