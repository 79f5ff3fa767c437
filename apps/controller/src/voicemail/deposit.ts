// Leaving a message: greeting, beep, record, save through the domain (which enqueues the e-mail and announces
// the box for MWI).
import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  depositVoicemailMessage,
  voicemailBoxForDeposit,
  type DepositBox,
  type TenantContext,
} from '@pbx/domain';
import { BEEP, fileExists, sayDigits, type GreetingKind } from '@pbx/media';
import { goToDestination } from '../outbound/transfer.js';
import type { VoicemailIo, Sound } from './call-io.js';
import type { VoicemailDeps } from './deps.js';
import type { VoicemailVars } from './vars.js';

/** The box's own greeting of that kind when one was uploaded or recorded, else the spoken default. */
async function greeting(
  deps: VoicemailDeps,
  tenantId: string,
  box: { id: string; number: string },
  kind: Exclude<GreetingKind, 'name'>,
): Promise<Sound[]> {
  const own = deps.media.boxGreeting(tenantId, box.id, kind);
  if (await fileExists(own)) return [{ file: own }];
  const name = deps.media.boxGreeting(tenantId, box.id, 'name');
  const who: Sound[] = (await fileExists(name))
    ? [{ file: name }]
    : ['vm-person-at-extension', ...sayDigits(box.number)];
  return [...who, kind === 'busy' ? 'vm-is-busy' : 'vm-not-available', 'vm-leave-message'];
}

/** `transferred`: the caller was sent on to the box's fallback; `done`: the session hangs up. */
export type DepositOutcome = 'transferred' | 'done';

/**
 * The caller hears that the box is full, then goes to its fallback through the dialplan (signed, like an IVR exit).
 * Only once per call: a caller sent from one full box to another (or back) hears goodbye the second time.
 */
async function boxFull(
  io: VoicemailIo,
  ctx: TenantContext,
  deps: VoicemailDeps,
  box: DepositBox,
  vars: VoicemailVars,
): Promise<DepositOutcome> {
  if (box.fallback.type === 'HANGUP' || vars.pbx_vm_fallback === 'taken') {
    await io.play(['vm-box-full', 'goodbye']);
    return 'done';
  }
  await io.play(['vm-box-full']);
  if (io.call.hasEnded) return 'done';
  await io.call.execute('set', 'pbx_vm_fallback=taken');
  const exit = { domain: ctx.domain, media: deps.media, log: deps.log };
  return (await goToDestination(io.call, exit, deps.transferTokens, box.fallback)) === 'transferred'
    ? 'transferred'
    : 'done';
}

export async function leaveMessage(
  io: VoicemailIo,
  ctx: TenantContext,
  deps: VoicemailDeps,
  vars: VoicemailVars & { pbx_vm_box_id: string },
): Promise<DepositOutcome> {
  const box = await voicemailBoxForDeposit(ctx, vars.pbx_vm_box_id);
  if (box.full) return boxFull(io, ctx, deps, box, vars);
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
  if (size === undefined) return 'done';
  const ms = recorded.ms ?? deps.now().getTime() - started.getTime();
  const discard = () => rm(path, { force: true });
  if (ms < (deps.minMessageMs ?? 1000)) {
    await discard();
    if (!io.call.hasEnded) await io.play(['goodbye']);
    return 'done';
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
  if (io.call.hasEnded) return 'done';
  // Filled by another caller while this one was recording: what was recorded is gone, the fallback applies.
  if (result.kind === 'full') return boxFull(io, ctx, deps, box, vars);
  await io.play(['vm-message-saved']);
  return 'done';
}
