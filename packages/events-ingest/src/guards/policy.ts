/** One counting rule: `failures` within `windowMs` block for `blockMs`. */
export type GuardRule = { failures: number; windowMs: number; blockMs: number };

export type GuardPolicy = {
  /** Authentication failures from one source address, whatever the user or domain. */
  address: GuardRule;
  /** Authentication failures for one user@domain, from any address. */
  user: GuardRule;
};

/** On for every tenant from the first boot (issue #14). */
export const DEFAULT_GUARD_POLICY: GuardPolicy = {
  address: { failures: 5, windowMs: 60_000, blockMs: 3_600_000 },
  user: { failures: 10, windowMs: 300_000, blockMs: 900_000 },
};

/** Alerts kept per list (platform, and each tenant): the newest first, older ones dropped. */
export const ALERTS_KEPT = 1_000;
