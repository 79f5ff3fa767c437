// The trunks an outbound call tried, from the A leg's `pbx_trunk_attempts` (written by the controller's dialplan:
// apps/controller/src/trunk-failover.ts): `gw1:CAUSE,gw2:CAUSE,gw3`. Each cause is FreeSWITCH's
// `originate_disposition` after that bridge (switch_ivr_originate.c). The last trunk has a cause only when it failed
// over too (every trunk failed); otherwise the call ended on it: connected when the A leg was bridged, else with
// the call's own hang-up cause (the callee's USER_BUSY, NO_ANSWER, …, on which no other trunk is tried).
import type { TrunkAttempt } from '@pbx/contracts';

const NAME_RE = /^[\w.-]{1,64}$/;
const CAUSE_RE = /^[A-Z_]{1,64}$/;
const MAX_ATTEMPTS = 10;

export function parseTrunkAttempts(
  value: string | undefined,
  call: { hangupCause: string; bridged: boolean },
): TrunkAttempt[] | null {
  if (!value) return null;
  const entries = value.split(',').slice(0, MAX_ATTEMPTS);
  const out: TrunkAttempt[] = [];
  entries.forEach((entry, i) => {
    const at = entry.indexOf(':');
    const gateway = at === -1 ? entry : entry.slice(0, at);
    const cause = at === -1 ? '' : entry.slice(at + 1);
    if (!NAME_RE.test(gateway)) return;
    if (cause && CAUSE_RE.test(cause)) out.push({ gateway, cause, connected: false });
    else if (i === entries.length - 1)
      out.push({ gateway, cause: call.hangupCause.slice(0, 64), connected: call.bridged });
  });
  return out.length ? out : null;
}
