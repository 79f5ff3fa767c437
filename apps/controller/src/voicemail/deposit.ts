// Leaving a message: greeting, beep, record, save through the domain (which enqueues the e-mail and announces
// the box for MWI).
import { randomUUID } from 'node:crypto';
import { access, mkdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { depositVoicemailMessage, voicemailBoxForDeposit, type TenantContext } from '@pbx/domain';
import { BEEP, sayDigits, type GreetingKind } from '@pbx/media';
import type { VoicemailIo, Sound } from './call-io.js';
import type { VoicemailDeps } from './deps.js';
import type { VoicemailVars } from './vars.js';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** The box's own greeting of that kind when one was uploaded or recorded, else the spoken default. */
async function greeting(
  deps: VoicemailDeps,
  tenantId: string,
  box: { id: string; number: string },
  kind: Exclude<GreetingKind, 'name'>,
): Promise<Sound[]> {
  const own = deps.media.boxGreeting(tenantId, box.id, kind);
  if (await exists(own)) return [{ file: own }];
  const name = deps.media.boxGreeting(tenantId, box.id, 'name');
  const who: Sound[] = (await exists(name))
    ? [{ file: name }]
    : ['vm-person-at-extension', ...sayDigits(box.number)];
  return [...who, kind === 'busy' ? 'vm-is-busy' : 'vm-not-available', 'vm-leave-message'];
}

export async function leaveMessage(
  io: VoicemailIo,
  ctx: TenantContext,
  deps: VoicemailDeps,
  vars: VoicemailVars & { pbx_vm_box_id: string },
): Promise<void> {
  const box = await voicemailBoxForDeposit(ctx, vars.pbx_vm_box_id);
  if (box.full) {
    await io.play(['vm-box-full', 'goodbye']);
    return;
  }
  await io.play([
    ...(await greeting(deps, ctx.tenantId, box, vars.pbx_vm_reason ?? 'unavailable')),
    { file: BEEP },
  ]);
  const messageId = randomUUID();
  const path = deps.media.voicemailMessage(ctx.tenantId, box.id, messageId);
  await mkdir(dirname(path), { recursive: true });
  const started = deps.now();
  const recorded = await io.record(path, box.maxMessageSec);
  const size = await stat(path).then(
    (s) => s.size,
    () => undefined,
  );
  if (size === undefined) return;
  const ms = recorded.ms ?? deps.now().getTime() - started.getTime();
  const discard = () => rm(path, { force: true });
  if (ms < (deps.minMessageMs ?? 1000)) {
    await discard();
    if (!io.call.hasEnded) await io.play(['goodbye']);
    return;
  }
  const result = await depositVoicemailMessage(
    ctx,
    {
      boxId: box.id,
      messageId,
      callUuid: io.call.uuid,
      callerIdName: vars.callerIdName,
      callerIdNumber: vars.callerIdNumber,
      durationSec: ms / 1000,
      filePath: path,
      sizeBytes: size,
      format: 'wav',
      receivedAt: started,
    },
    deps.enqueueEmail,
  );
  if (result.kind === 'full' || (result.kind === 'duplicate' && result.message.filePath !== path))
    await discard();
  if (io.call.hasEnded) return;
  await io.play(result.kind === 'full' ? ['vm-box-full', 'goodbye'] : ['vm-message-saved']);
}
