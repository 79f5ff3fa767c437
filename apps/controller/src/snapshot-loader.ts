import type { Db } from '@pbx/db';
import type { Destination, DestinationType, TenantSnapshot } from '@pbx/domain/routing';

export type SnapshotLoader = {
  /** The tenant with this SIP domain, or null if there is none. */
  loadTenant(domain: string): Promise<TenantSnapshot | null>;
  /** The domain of the tenant owning this DID, or null. */
  domainForDid(e164: string): Promise<string | null>;
};

const dest = (type: DestinationType | null, value: string | null): Destination | null => (type ? { type, value } : null);
const destOr = (type: DestinationType, value: string | null): Destination => ({ type, value });

/** Loads one tenant's whole routing configuration in one go (a few indexed queries). */
export function prismaSnapshotLoader(prisma: Db): SnapshotLoader {
  return {
    async loadTenant(domain) {
      const t = await prisma.tenant.findUnique({ where: { domain }, include: { outboundGateway: true } });
      if (!t) return null;
      // The parts are independent: fetch them in parallel (one round trip of latency instead of six).
      const where = { tenantId: t.id };
      const [extensions, voicemailBoxes, ivrMenus, ringGroups, inboundNumbers, timeConditions] = await Promise.all([
        prisma.extension.findMany({ where, orderBy: { number: 'asc' } }),
        prisma.voicemailBox.findMany({ where, select: { id: true, number: true, name: true } }),
        prisma.ivrMenu.findMany({ where, select: { id: true, name: true, number: true } }),
        prisma.ringGroup.findMany({ where, include: { members: { orderBy: { position: 'asc' } } } }),
        prisma.inboundNumber.findMany({ where }),
        prisma.timeCondition.findMany({ where, include: { ranges: true, holidays: true } }),
      ]);
      return {
        tenant: {
          id: t.id,
          name: t.name,
          domain: t.domain,
          timeZone: t.timeZone,
          status: t.status,
          maxConcurrentOutbound: t.maxConcurrentOutbound,
          allowInternational: t.allowInternational,
          allowPremium: t.allowPremium,
          recordingPolicy: t.recordingPolicy,
          defaultCallerIdNumber: t.defaultCallerIdNumber,
        },
        // A gateway of another tenant is never used, even if misconfigured.
        gateway:
          t.outboundGateway && (t.outboundGateway.tenantId === null || t.outboundGateway.tenantId === t.id)
            ? { fsName: t.outboundGateway.fsName, prefix: t.outboundGateway.prefix, enabled: t.outboundGateway.enabled }
            : null,
        extensions: extensions.map((e) => ({
          id: e.id,
          number: e.number,
          displayName: e.displayName,
          callerIdName: e.callerIdName,
          callerIdNumber: e.callerIdNumber,
          sipA1Hash: e.sipA1Hash,
          enabled: e.enabled,
          voicemailEnabled: e.voicemailEnabled,
          voicemailBoxId: e.voicemailBoxId,
          recordingPolicy: e.recordingPolicy,
          outboundPolicy: e.outboundPolicy,
          ringTimeoutSec: e.ringTimeoutSec,
          dnd: e.dnd,
          forwardAlways: dest(e.forwardAlwaysType, e.forwardAlwaysValue),
          forwardBusy: dest(e.forwardBusyType, e.forwardBusyValue),
          forwardNoAnswer: dest(e.forwardNoAnswerType, e.forwardNoAnswerValue),
        })),
        voicemailBoxes,
        ivrMenus,
        ringGroups: ringGroups.map((g) => ({
          id: g.id,
          name: g.name,
          number: g.number,
          strategy: g.strategy,
          ringTimeoutSec: g.ringTimeoutSec,
          fallback: destOr(g.fallbackDestType, g.fallbackDestValue),
          members: g.members.map((m) => ({ extensionId: m.extensionId, timeoutSec: m.timeoutSec })),
        })),
        inboundNumbers: inboundNumbers.map((n) => ({ e164: n.e164, enabled: n.enabled, destination: destOr(n.destType, n.destValue) })),
        timeConditions: timeConditions.map((c) => ({
          id: c.id,
          name: c.name,
          match: destOr(c.matchDestType, c.matchDestValue),
          noMatch: destOr(c.noMatchDestType, c.noMatchDestValue),
          ranges: c.ranges.map((r) => ({ dayOfWeek: r.dayOfWeek, startMinute: r.startMinute, endMinute: r.endMinute })),
          holidays: c.holidays.map((h) => h.date.toISOString().slice(0, 10)),
        })),
      };
    },
    async domainForDid(e164) {
      const n = await prisma.inboundNumber.findUnique({ where: { e164 }, select: { tenant: { select: { domain: true } } } });
      return n?.tenant.domain ?? null;
    },
  };
}
