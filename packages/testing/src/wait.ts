import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Resolves once `check` holds. It has no deadline of its own on purpose: a busy machine may take
 * much longer than usual, and the test runner's per-test timeout (scripts/test.mjs) bounds every
 * wait. Give the test's `signal` (node:test `t.signal`) so a timed-out test stops polling and the
 * failure names what was awaited. `everyMs` spaces the checks: a check that calls a rate-limited API must
 * stay under its limit however long the wait lasts.
 */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  signal?: AbortSignal,
  everyMs = 10,
): Promise<void> {
  while (!(await check())) {
    if (signal?.aborted) throw new Error(`gave up waiting for ${what}`);
    await sleep(everyMs);
  }
}
