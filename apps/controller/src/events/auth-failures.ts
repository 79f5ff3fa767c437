import type { EslClient } from '@pbx/esl';
import { parseRegisterFailure } from '../guards/auth-failure-event.js';
import type { SipGuard } from '../guards/sip-guard.js';
import { toIngestEvent } from './to-ingest-event.js';

type Log = { error: (obj: object, msg: string) => void };

export const AUTH_FAILURE_SUBCLASS = 'sofia::register_failure';

/** Hands every sofia::register_failure to the guard; `idle` waits for the ones in hand (tests, shutdown). */
export function wireAuthFailures(
  esl: EslClient,
  guard: SipGuard,
  log: Log,
): { stop: () => void; idle: () => Promise<void> } {
  const pending = new Set<Promise<void>>();
  const off = esl.onRawEvent(
    (_node, e) => {
      if (e.subclass !== AUTH_FAILURE_SUBCLASS) return;
      const failure = parseRegisterFailure(toIngestEvent(e));
      if (!failure) return;
      const p = guard
        .onFailure(failure)
        .catch((error: unknown) =>
          log.error(
            { err: error instanceof Error ? error.message : String(error) },
            'guards: could not count an authentication failure',
          ),
        );
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
    (name) => name === 'CUSTOM',
  );
  return {
    stop: off,
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
