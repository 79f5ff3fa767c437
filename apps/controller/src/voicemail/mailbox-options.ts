// Mailbox options by phone: record the unavailable / busy / name greeting, change the PIN.
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { changePinByPhone, setGreetingByPhone, type MailboxAccess, type TenantContext } from '@pbx/domain';
import { BEEP, type GreetingKind } from '@pbx/media';
import type { VoicemailIo } from './call-io.js';
import type { VoicemailDeps } from './deps.js';
import { OPTIONS } from './keys.js';

const GREETING_LIMIT_SEC = 120;

/**
 * Recorded next to the greeting; the domain stores it and renames it over the greeting (a half-recorded greeting
 * never replaces one). The caller waits for that upload (at most 120 s of 16-bit audio) after recording, not on
 * any call set-up; if the storage fails the old greeting stays and the caller is told it was not saved.
 */
async function recordGreeting(
  io: VoicemailIo,
  ctx: TenantContext,
  deps: VoicemailDeps,
  access: MailboxAccess,
  kind: GreetingKind,
): Promise<void> {
  const to = deps.media.boxGreeting(ctx.tenantId, access.boxId, kind);
  const from = `${to}.${randomUUID()}.tmp.wav`;
  await mkdir(dirname(to), { recursive: true });
  await io.play(['vm-record-greeting', { file: BEEP }]);
  const recorded = await io.record(from, GREETING_LIMIT_SEC);
  if (io.call.hasEnded || recorded.ms === undefined || recorded.ms < (deps.minMessageMs ?? 1000)) {
    await rm(from, { force: true });
    if (!io.call.hasEnded) await io.play(['ivr-invalid']);
    return;
  }
  const saved = await setGreetingByPhone(ctx, deps, access, kind, { file: from, ms: recorded.ms }).then(
    () => true,
    (error: unknown) => {
      deps.log.error(
        { err: error, boxId: access.boxId, kind },
        'voicemail: the greeting recorded by phone was not stored',
      );
      return false;
    },
  );
  await io.play([saved ? 'vm-greeting-saved' : 'ivr-invalid']);
}

export async function mailboxOptions(
  io: VoicemailIo,
  ctx: TenantContext,
  deps: VoicemailDeps,
  access: MailboxAccess,
): Promise<void> {
  for (;;) {
    const key = await io.key(['vm-options-menu']);
    if (key === '' || key === OPTIONS.main) return;
    if (key === OPTIONS.unavailable) await recordGreeting(io, ctx, deps, access, 'unavailable');
    else if (key === OPTIONS.busy) await recordGreeting(io, ctx, deps, access, 'busy');
    else if (key === OPTIONS.name) await recordGreeting(io, ctx, deps, access, 'name');
    else if (key === OPTIONS.pin) {
      const pin = await io.digits(['vm-enter-new-pin'], 4, 12, 3);
      if (!pin) continue;
      await changePinByPhone(ctx, access, pin);
      await io.play(['vm-pin-changed']);
    } else await io.play(['ivr-invalid']);
  }
}
