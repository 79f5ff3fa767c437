// The outbound fraud policy's live checks (docs/security.md): asked after the routing engine decided an external
// call, before the dialplan is rendered. Caps and the velocity rule live in Redis (FraudStore), shared by every
// controller; the country allow-list and the call's maximum length are the engine's (they need no live state).
import type { FraudStore } from '@pbx/events-ingest/guards';
import { FraudRefusalSchema } from '@pbx/contracts';
import {
  DEFAULT_FRAUD_SETTINGS,
  fraudSettingsOf,
  refuseOutbound,
  type RouteStep,
  type TenantSnapshot,
} from '@pbx/domain/routing';
import type { FastifyBaseLogger } from 'fastify';
import type { ControllerMetrics } from '../metrics.js';

export type FraudGateDeps = {
  store: FraudStore;
  metrics: ControllerMetrics;
  log: FastifyBaseLogger;
  now: () => Date;
  /**
   * How long a check may wait for Redis. Redis is not on the call path (docs/architecture.md): past this, or with
   * Redis down, the call goes on, counted in pbx_fraud_check_failed_total; the tenant-wide cap FreeSWITCH's own
   * `limit` counts per node still applies.
   */
  timeoutMs?: number;
};

const WHY: Record<string, string> = {
  EXTENSION_BLOCKED: 'external calls of this extension are blocked (velocity rule)',
  EXTENSION_CONCURRENT_LIMIT: 'the extension is at its limit of external calls at once',
  CONCURRENT_LIMIT: 'the tenant is at its concurrent outbound call limit',
  VELOCITY_BLOCKED: 'too many external calls from this extension: it is blocked now',
};

export class FraudGate {
  private readonly timeoutMs: number;
  private lastWarn = 0;

  constructor(private readonly d: FraudGateDeps) {
    this.timeoutMs = d.timeoutMs ?? 500;
  }

  /** The route's steps, or its refusal when the external call it places breaks a live limit. */
  check(snapshot: TenantSnapshot, steps: RouteStep[], uuid: string): RouteStep[] | Promise<RouteStep[]> {
    const call = steps.find((s) => s.kind === 'outbound');
    // Emergency calls carry no fraud part: nothing here may stop them.
    if (!call?.fraud || !uuid) return steps;
    const settings = fraudSettingsOf(snapshot);
    const at = this.d.now().getTime();
    const verdict = this.d.store.admit(
      { tenantId: snapshot.tenant.id, extension: call.fraud.extension, uuid, at },
      { ...settings, maxConcurrentPerTenant: snapshot.tenant.maxConcurrentOutbound },
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    return Promise.race([verdict, timeout])
      .then((v) => {
        if (v === 'timeout') throw new Error(`no answer from Redis within ${this.timeoutMs} ms`);
        if (v.allowed) return steps;
        this.d.metrics.fraudRefused.inc({ reason: v.reason });
        if (v.block)
          this.d.log.warn(
            { tenantId: snapshot.tenant.id, extension: v.block.extension, calls: v.block.calls },
            'pbx-fraud blocked extension',
          );
        return refuseOutbound(steps, v.reason, WHY[v.reason] ?? v.reason);
      })
      .catch((error: unknown) => {
        this.d.metrics.fraudCheckFailed.inc();
        if (at - this.lastWarn >= 60_000) {
          this.lastWarn = at;
          this.d.log.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'fraud check unavailable: external call let through',
          );
        }
        return steps;
      })
      .finally(() => clearTimeout(timer));
  }

  /**
   * Counts an external call the fraud policy refused (the engine's COUNTRY_BLOCKED or a live limit) toward the
   * repeated-refusals alert. Never delays the call: the count runs beside the answer, and a failure is only logged.
   */
  noteRefusal(snapshot: TenantSnapshot, steps: readonly RouteStep[], extension: string | null): void {
    if (!extension) return;
    const reason = steps.find((s) => s.kind === 'hangup')?.reason;
    if (!reason || !FRAUD_REFUSALS.has(reason)) return;
    const settings = fraudSettingsOf(snapshot);
    const rule = {
      count: settings.refusedAlertCount ?? DEFAULT_FRAUD_SETTINGS.refusedAlertCount ?? 0,
      windowSec: settings.refusedAlertWindowSec ?? DEFAULT_FRAUD_SETTINGS.refusedAlertWindowSec ?? 600,
    };
    void this.d.store
      .noteRefused({ tenantId: snapshot.tenant.id, extension, reason, at: this.d.now().getTime() }, rule)
      .catch((error: unknown) =>
        this.d.log.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'fraud refusal not counted',
        ),
      );
  }
}

/** The fraud policy's refusals: its live limits, the country allow-list and the destination classes it switches off. */
const FRAUD_REFUSALS: ReadonlySet<string> = new Set([
  ...FraudRefusalSchema.options,
  'INTERNATIONAL_BLOCKED',
  'PREMIUM_BLOCKED',
]);
