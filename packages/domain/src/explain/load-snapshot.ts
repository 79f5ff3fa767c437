import type { Db } from '@pbx/db';

const dest = (type: string, value: string) => `json_build_object('type', ${type}, 'value', ${value})`;
const optDest = (type: string, value: string) =>
  `CASE WHEN ${type} IS NULL THEN NULL ELSE ${dest(type, value)} END`;
const list = (select: string) => `COALESCE((${select}), '[]'::json)`;

/**
 * One statement builds the whole snapshot as JSON in PostgreSQL: one round
 * trip per tenant instead of seven queries (a cold cache after a change, or a
 * thousand tenants after a restart, loads this many times). Its keys must be
 * exactly those of `TenantSnapshotSchema`; every load is parsed against it.
 */
const SNAPSHOT_SQL = `
SELECT json_build_object(
  'tenant', json_build_object('id', t."id", 'name', t."name", 'domain', t."domain", 'timeZone', t."timeZone", 'country', t."country", 'status', t."status",
    'maxConcurrentOutbound', t."maxConcurrentOutbound", 'allowInternational', t."allowInternational", 'allowPremium', t."allowPremium",
    'recordingPolicy', t."recordingPolicy", 'defaultCallerIdNumber', t."defaultCallerIdNumber",
    'emergencyCallerIdNumber', t."emergencyCallerIdNumber", 'emergencyLocation', t."emergencyLocation"),
  -- The tenant's first assigned trunk. A gateway dedicated to another tenant is never used, even if misconfigured.
  'gateway', (SELECT json_build_object('fsName', g."fsName", 'prefix', g."prefix", 'enabled', g."enabled",
                'numberFormat', g."numberFormat", 'callerIdFormat', g."callerIdFormat", 'locationHeader', g."locationHeader")
              FROM "TenantGateway" tg JOIN "Gateway" g ON g."id" = tg."gatewayId"
              WHERE tg."tenantId" = t."id" AND (g."tenantId" IS NULL OR g."tenantId" = t."id")
              ORDER BY tg."position" LIMIT 1),
  -- The platform's emergency trunk: enabled, flagged, and dedicated to no tenant (first by name if several).
  'emergencyGateway', (SELECT json_build_object('fsName', g."fsName", 'prefix', g."prefix", 'enabled', g."enabled",
                'numberFormat', g."numberFormat", 'callerIdFormat', g."callerIdFormat", 'locationHeader', g."locationHeader")
              FROM "Gateway" g WHERE g."emergencyFallback" AND g."enabled" AND g."tenantId" IS NULL
              ORDER BY g."fsName" LIMIT 1),
  -- Every assigned trunk, first choice first: an outbound call fails over along this list.
  'gateways', ${list(`SELECT json_agg(json_build_object('fsName', g."fsName", 'prefix', g."prefix", 'enabled', g."enabled",
                'numberFormat', g."numberFormat", 'callerIdFormat', g."callerIdFormat", 'locationHeader', g."locationHeader") ORDER BY tg."position")
              FROM "TenantGateway" tg JOIN "Gateway" g ON g."id" = tg."gatewayId"
              WHERE tg."tenantId" = t."id" AND (g."tenantId" IS NULL OR g."tenantId" = t."id")`)},
  'extensions', ${list(`SELECT json_agg(json_build_object('id', e."id", 'number', e."number", 'displayName', e."displayName",
      'callerIdName', e."callerIdName", 'callerIdNumber', e."callerIdNumber",
      'emergencyCallerIdNumber', e."emergencyCallerIdNumber", 'emergencyLocation', e."emergencyLocation", 'sipA1Hash', e."sipA1Hash", 'enabled', e."enabled",
      'voicemailEnabled', e."voicemailEnabled", 'voicemailBoxId', e."voicemailBoxId", 'recordingPolicy', e."recordingPolicy",
      'outboundPolicy', e."outboundPolicy", 'extraCountries', COALESCE(e."extraCountries", '{}'), 'ringTimeoutSec', e."ringTimeoutSec", 'dnd', e."dnd",
      'forwardAlways', ${optDest('e."forwardAlwaysType"', 'e."forwardAlwaysValue"')},
      'forwardBusy', ${optDest('e."forwardBusyType"', 'e."forwardBusyValue"')},
      'forwardNoAnswer', ${optDest('e."forwardNoAnswerType"', 'e."forwardNoAnswerValue"')}) ORDER BY e."number")
    FROM "Extension" e WHERE e."tenantId" = t."id"`)},
  'voicemailBoxes', ${list(`SELECT json_agg(json_build_object('id', b."id", 'number', b."number", 'name', b."name")) FROM "VoicemailBox" b WHERE b."tenantId" = t."id"`)},
  'ivrMenus', ${list(`SELECT json_agg(json_build_object('id', m."id", 'name', m."name", 'number', m."number")) FROM "IvrMenu" m WHERE m."tenantId" = t."id"`)},
  'ringGroups', ${list(`SELECT json_agg(json_build_object('id', r."id", 'name', r."name", 'number', r."number", 'strategy', r."strategy",
      'ringTimeoutSec', r."ringTimeoutSec", 'fallback', ${dest('r."fallbackDestType"', 'r."fallbackDestValue"')},
      'members', ${list(`SELECT json_agg(json_build_object('extensionId', m."extensionId", 'timeoutSec', m."timeoutSec") ORDER BY m."position")
        FROM "RingGroupMember" m WHERE m."ringGroupId" = r."id"`)}))
    FROM "RingGroup" r WHERE r."tenantId" = t."id"`)},
  'inboundNumbers', ${list(`SELECT json_agg(json_build_object('e164', n."e164", 'enabled', n."enabled",
      'destination', ${dest('n."destType"', 'n."destValue"')})) FROM "InboundNumber" n WHERE n."tenantId" = t."id"`)},
  'timeConditions', ${list(`SELECT json_agg(json_build_object('id', c."id", 'name', c."name",
      'match', ${dest('c."matchDestType"', 'c."matchDestValue"')}, 'noMatch', ${dest('c."noMatchDestType"', 'c."noMatchDestValue"')},
      'ranges', ${list(`SELECT json_agg(json_build_object('dayOfWeek', x."dayOfWeek", 'startMinute', x."startMinute", 'endMinute', x."endMinute"))
        FROM "TimeConditionRange" x WHERE x."timeConditionId" = c."id"`)},
      'holidays', ${list(`SELECT json_agg(to_char(h."date", 'YYYY-MM-DD')) FROM "TimeConditionHoliday" h WHERE h."timeConditionId" = c."id"`)}))
    FROM "TimeCondition" c WHERE c."tenantId" = t."id"`)},
  'verifiedCallerIds', ${list(`SELECT json_agg(v."e164") FROM "VerifiedCallerId" v WHERE v."tenantId" = t."id"`)},
  'fraud', (SELECT json_build_object('allowedCountries', f."allowedCountries", 'maxConcurrentPerExtension', f."maxConcurrentPerExtension",
      'velocityMaxCalls', f."velocityMaxCalls", 'velocityWindowSec', f."velocityWindowSec", 'velocityBlockSec', f."velocityBlockSec",
      'maxCallDurationSec', f."maxCallDurationSec", 'refusedAlertCount', f."refusedAlertCount",
      'refusedAlertWindowSec', f."refusedAlertWindowSec") FROM "FraudPolicy" f WHERE f."tenantId" = t."id")
) AS snapshot
FROM "Tenant" t WHERE t."domain" = $1`;

/** The snapshot as PostgreSQL builds it, not yet parsed (null: no tenant has this domain). */
export async function loadSnapshotJson(prisma: Db, domain: string): Promise<unknown> {
  const rows = await prisma.$queryRawUnsafe<{ snapshot: unknown }[]>(SNAPSHOT_SQL, domain);
  const s = rows[0]?.snapshot;
  if (s === undefined) return null;
  return typeof s === 'string' ? JSON.parse(s) : s;
}
