// Kari's Law (47 U.S.C. § 623) asks a multi-line system to notify someone on site of every emergency call: each
// one the routing engine decides becomes an alert in the admin-visible alert lists (GET /v1/guard/alerts and the
// tenant's), with the extension, the caller ID sent, the number and the time, and a warning in the log.
import type { GuardStore } from '@pbx/events-ingest/guards';
import type { Caller, RouteStep, TenantSnapshot } from '@pbx/domain/routing';
import type { FastifyBaseLogger } from 'fastify';

export type EmergencyAlertDeps = {
  /** Absent without Redis: the log line is then the only notice (docs/trunks.md). */
  store: GuardStore | null;
  log: FastifyBaseLogger;
  now: () => Date;
};

export class EmergencyAlerts {
  constructor(private readonly d: EmergencyAlertDeps) {}

  /** Raises the alert when `steps` route an emergency call; never delays or fails the call itself. */
  notify(
    snapshot: TenantSnapshot,
    steps: readonly RouteStep[],
    call: { caller: Caller; uuid: string },
  ): void {
    // Every call passes here: a plain loop, no closure.
    let emergency = false;
    for (const s of steps)
      if (s.kind === 'set' && s.name === 'pbx_emergency') {
        emergency = true;
        break;
      }
    if (!emergency) return;
    const out = steps.find((s) => s.kind === 'outbound');
    const dialed = out?.kind === 'outbound' ? out.e164 : null;
    const extension = call.caller.kind === 'extension' ? call.caller.number : null;
    const detail = {
      extension,
      callerId: out?.kind === 'outbound' ? out.callerIdNumber : null,
      destination: dialed,
      gateway: out?.kind === 'outbound' ? out.gateway : null,
      location: out?.kind === 'outbound' ? (out.emergency?.location ?? null) : null,
      routed: out !== undefined,
      uuid: call.uuid,
    };
    const summary = out
      ? `emergency call from extension ${extension ?? '?'} of ${snapshot.tenant.domain} to ${dialed ?? '?'}`
      : `emergency call from extension ${extension ?? '?'} of ${snapshot.tenant.domain} FAILED: no trunk`;
    const tenantId = snapshot.tenant.id;
    this.d.log.warn({ tenantId, ...detail }, 'pbx-emergency call');
    if (!this.d.store) return;
    this.d.store
      .alert({ kind: 'emergency_call', tenantId, at: this.d.now().getTime(), summary, detail })
      .catch((error: unknown) =>
        this.d.log.error(
          { tenantId, uuid: call.uuid, err: error instanceof Error ? error.message : String(error) },
          'emergency call alert not stored',
        ),
      );
  }
}
