export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** 0..1: the share of the delay that is randomised, so many controllers do not reconnect in lock-step. */
  jitter: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 250, maxMs: 15_000, jitter: 0.5 };

export function backoffDelay(attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(o.maxMs, o.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (1 - o.jitter) + base * o.jitter * random());
}
