import type * as C from '@pbx/contracts';
import type * as Db from '@pbx/db';
import {
  pinLockState,
  toDestination,
  toOptionalDestination,
  type GatewayView,
  type IvrMenuWithOptions,
  type RingGroupWithMembers,
  type TimeConditionFull,
} from '@pbx/domain';
import type { ApiConfig } from '../config.js';
import { trunkAttemptsOf } from './trunk-attempts.js';

// Rows → API shapes. Secret columns (hashes) are never copied.

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export const tenantDto = (t: Db.Tenant): C.Tenant => ({
  id: t.id,
  name: t.name,
  domain: t.domain,
  timeZone: t.timeZone,
  country: t.country,
  status: t.status,
  maxExtensions: t.maxExtensions,
  maxConcurrentOutbound: t.maxConcurrentOutbound,
  allowInternational: t.allowInternational,
  allowPremium: t.allowPremium,
  recordingPolicy: t.recordingPolicy === 'ALWAYS' ? 'ALWAYS' : 'NEVER',
  recordingRetentionDays: t.recordingRetentionDays,
  voicemailRetentionDays: t.voicemailRetentionDays,
  emailFrom: t.emailFrom,
  defaultCallerIdNumber: t.defaultCallerIdNumber,
  emergencyCallerIdNumber: t.emergencyCallerIdNumber,
  emergencyLocation: t.emergencyLocation,
  purgeAt: isoOrNull(t.purgeAt),
  createdAt: iso(t.createdAt),
  updatedAt: iso(t.updatedAt),
});

export const userDto = (u: Db.User): C.User => ({
  id: u.id,
  tenantId: u.tenantId,
  email: u.email,
  name: u.name,
  role: u.role,
  extensionId: u.extensionId,
  disabled: u.disabled,
  lockedUntil: isoOrNull(u.lockedUntil),
  lastLoginAt: isoOrNull(u.lastLoginAt),
  createdAt: iso(u.createdAt),
  updatedAt: iso(u.updatedAt),
});

export const apiKeyDto = (k: Db.ApiKey): C.ApiKey => ({
  id: k.id,
  tenantId: k.tenantId,
  name: k.name,
  prefix: k.prefix,
  role: k.role,
  scopes: k.scopes,
  createdById: k.createdById,
  parentKeyId: k.parentKeyId,
  lastUsedAt: isoOrNull(k.lastUsedAt),
  expiresAt: isoOrNull(k.expiresAt),
  revokedAt: isoOrNull(k.revokedAt),
  createdAt: iso(k.createdAt),
});

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

const storedGreeting = (at: Date | null) => (at ? { updatedAt: iso(at) } : null);

export const voicemailBoxDto = (b: Db.VoicemailBox): C.VoicemailBox => ({
  id: b.id,
  tenantId: b.tenantId,
  number: b.number,
  name: b.name,
  greetings: {
    unavailable: storedGreeting(b.greetingUnavailableAt),
    busy: storedGreeting(b.greetingBusyAt),
    name: storedGreeting(b.greetingNameAt),
  },
  email: b.email,
  attachAudio: b.attachAudio,
  deleteAfterEmail: b.deleteAfterEmail,
  maxMessages: b.maxMessages,
  maxMessageSec: b.maxMessageSec,
  fallback: toDestination(b.fallbackDestType, b.fallbackDestValue),
  pinLock: (({ locked, lockedUntil, failedAttempts }) => ({
    locked,
    lockedUntil: isoOrNull(lockedUntil),
    failedAttempts,
  }))(pinLockState(b, new Date())),
  createdAt: iso(b.createdAt),
  updatedAt: iso(b.updatedAt),
});

export const voicemailMessageDto = (m: Db.VoicemailMessage): C.VoicemailMessage => ({
  id: m.id,
  boxId: m.boxId,
  callUuid: m.callUuid,
  callerIdName: m.callerIdName,
  callerIdNumber: m.callerIdNumber,
  durationSec: m.durationSec,
  format: m.format,
  sizeBytes: m.sizeBytes,
  read: m.readAt !== null,
  readAt: isoOrNull(m.readAt),
  email: {
    state: EMAIL_STATE[m.emailState],
    attempts: m.emailAttempts,
    error: m.emailError,
    messageId: m.emailMessageId,
    sentAt: m.emailState === 'SENT' ? isoOrNull(m.emailedAt) : null,
  },
  createdAt: iso(m.createdAt),
});

const EMAIL_STATE = {
  NOT_REQUIRED: 'not_required',
  PENDING: 'queued',
  SENDING: 'sending',
  RETRYING: 'retrying',
  SENT: 'sent',
  FAILED: 'failed',
} as const satisfies Record<Db.EmailDeliveryState, C.VoicemailMessage['email']['state']>;

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

export const recordingDto = (r: Db.CallRecording): C.Recording => ({
  id: r.id,
  tenantId: r.tenantId,
  callUuid: r.callUuid,
  extensionId: r.extensionId,
  format: r.format,
  durationSec: r.durationSec,
  sizeBytes: r.sizeBytes,
  state: r.state,
  expiresAt: isoOrNull(r.expiresAt),
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

export const cdrDto = (c: Db.Cdr): C.Cdr => ({
  id: c.id,
  tenantId: c.tenantId,
  callUuid: c.callUuid,
  bridgeUuid: c.bridgeUuid,
  direction: c.direction,
  fromNumber: c.fromNumber,
  fromName: c.fromName,
  toNumber: c.toNumber,
  did: c.did,
  extensionNumber: c.extensionNumber,
  startedAt: iso(c.startedAt),
  answeredAt: isoOrNull(c.answeredAt),
  endedAt: iso(c.endedAt),
  durationSec: c.durationSec,
  billsec: c.billsec,
  hangupCause: c.hangupCause,
  blockedReason: c.blockedReason,
  trunkAttempts: trunkAttemptsOf(c.trunkAttempts),
  recordingId: c.recordingId,
});

export const auditDto = (a: Db.AuditLog): C.AuditEntry => ({
  id: a.id,
  tenantId: a.tenantId,
  actorUserId: a.actorUserId,
  actorApiKeyId: a.actorApiKeyId,
  actorExtensionId: a.actorExtensionId,
  actorLabel: a.actorLabel,
  action: a.action,
  entityType: a.entityType,
  entityId: a.entityId,
  before: a.before,
  after: a.after,
  ip: a.ip,
  createdAt: iso(a.createdAt),
});

export const pageDto = <R, D>(
  page: { items: R[]; total: number; limit: number; offset: number },
  map: (r: R) => D,
) => ({
  items: page.items.map(map),
  total: page.total,
  limit: page.limit,
  offset: page.offset,
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
