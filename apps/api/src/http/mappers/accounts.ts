import type * as C from '@pbx/contracts';
import type * as Db from '@pbx/db';
import { iso, isoOrNull } from './shared.js';

// Tenants, users, API keys and the audit log as the API shows them. Rows → API shapes; secret columns (hashes) are never copied.

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
