// Checking messages: PIN (the domain counts failures and locks the box), counts, each message with its envelope,
// and the message menu. Mailbox options (greetings, PIN) are in mailbox-options.ts.
import {
  deleteMessageByPhone,
  listMailboxForPhone,
  markHeardByPhone,
  verifyVoicemailPin,
  type MailboxAccess,
  type TenantContext,
} from '@pbx/domain';
import { fileExists, sayDateTime, sayDigits, sayNumber } from '@pbx/media';
import type { Sound, VoicemailIo } from './call-io.js';
import type { VoicemailDeps } from './deps.js';
import { MAIN, MESSAGE } from './keys.js';
import { mailboxOptions } from './mailbox-options.js';
import type { VoicemailVars } from './vars.js';

/** PIN tries per call; the lock across calls is the domain's (PIN_MAX_FAILURES). */
const TRIES_PER_CALL = 3;
const CALL_BACK_RE = /^\+?\d{1,16}$/;

type Session = { io: VoicemailIo; ctx: TenantContext; deps: VoicemailDeps; tz: string };
export type MailboxOutcome = 'done' | 'transferred';

async function login(s: Session, vars: VoicemailVars): Promise<MailboxAccess | null> {
  for (let t = 0; t < TRIES_PER_CALL; t++) {
    let target: { id: string } | { number: string };
    if (vars.pbx_vm_action === 'check_any') {
      const number = await s.io.digits(['vm-enter-box'], 1, 8);
      if (!number) continue;
      target = { number };
    } else target = { id: vars.pbx_vm_box_id ?? '' };
    const pin = await s.io.digits(['vm-enter-pin'], 1, 12);
    if (pin) {
      const check = await verifyVoicemailPin(s.ctx, target, pin, s.deps.now());
      if (check.ok) return check.access;
      if (check.reason === 'locked') {
        await s.io.play(['vm-locked', 'goodbye']);
        return null;
      }
    }
    await s.io.play(['vm-login-incorrect']);
  }
  await s.io.play(['goodbye']);
  return null;
}

const plural = (n: number, one: Sound, many: Sound): Sound[] => [...sayNumber(n), n === 1 ? one : many];

type Message = Awaited<ReturnType<typeof listMailboxForPhone>>['newMessages'][number];

function envelope(s: Session, m: Message): Sound[] {
  const from: Sound[] = /\d/.test(m.callerIdNumber) ? sayDigits(m.callerIdNumber) : ['vm-unknown-caller'];
  return ['vm-message-from', ...from, 'vm-received', ...sayDateTime(m.createdAt, s.tz, s.deps.now())];
}

/** Plays one group of messages with the message menu; 'transferred' when the caller calls one back. */
async function listen(s: Session, access: MailboxAccess, messages: Message[]): Promise<MailboxOutcome> {
  const heard = (m: Message) => markHeardByPhone(s.ctx, access, m.id, s.deps.now());
  for (let i = 0; i < messages.length;) {
    const m = messages[i] as Message;
    // A file gone from the volume plays as nothing: the worker is asked to put it back from the storage for the
    // next listen (not awaited: Redis stays off the call path; one job per message however many calls ask).
    if (!(await fileExists(m.filePath)))
      s.deps
        .enqueueRefill({ tenantId: s.ctx.tenantId, messageId: m.id })
        .catch((error: unknown) =>
          s.deps.log.warn({ err: error, messageId: m.id }, 'voicemail refill not enqueued'),
        );
    // Digits pressed during the envelope or the message cut it short, like a menu key.
    let key = await s.io.key([...envelope(s, m), { file: m.filePath }, 'vm-message-menu'], 1);
    if (key === '') key = await s.io.key(['vm-message-menu'], 2);
    switch (key) {
      case MESSAGE.replay:
        continue;
      case MESSAGE.delete: {
        // The caller hears "deleted" while the stored copy and the file go (storage stays off the caller's time).
        const { audioRemoved } = await deleteMessageByPhone(s.ctx, access, m.id, s.deps.storage);
        await Promise.all([s.io.play(['vm-message-deleted']), audioRemoved]);
        break;
      }
      case MESSAGE.keep:
        await heard(m);
        await s.io.play(['vm-message-kept']);
        break;
      case MESSAGE.callBack:
        await heard(m);
        if (CALL_BACK_RE.test(m.callerIdNumber)) {
          // Back into the tenant's own dialplan: the routing engine decides, as for any call the phone makes.
          await s.io.call.execute('transfer', `${m.callerIdNumber} XML ${s.ctx.domain}`);
          return 'transferred';
        }
        await s.io.play(['ivr-invalid']);
        continue;
      case MESSAGE.main:
        await heard(m);
        return 'done';
      default:
        await heard(m);
    }
    i++;
  }
  await s.io.play(['vm-no-more-messages']);
  return 'done';
}

export async function checkMailbox(
  io: VoicemailIo,
  ctx: TenantContext,
  deps: VoicemailDeps,
  vars: VoicemailVars,
  timeZone: string,
): Promise<MailboxOutcome> {
  const s: Session = { io, ctx, deps, tz: timeZone };
  const access = await login(s, vars);
  if (!access) return 'done';
  let box = await listMailboxForPhone(ctx, access);
  await io.play([
    'vm-you-have',
    ...plural(box.newMessages.length, 'vm-new-message', 'vm-new-messages'),
    'vm-and',
    ...plural(box.savedMessages.length, 'vm-saved-message', 'vm-saved-messages'),
  ]);
  for (;;) {
    const key = await io.key(['vm-main-menu']);
    if (key === '' || key === MAIN.hangup) break;
    let outcome: MailboxOutcome = 'done';
    if (key === MAIN.newMessages || key === MAIN.savedMessages) {
      const list = key === MAIN.newMessages ? box.newMessages : box.savedMessages;
      if (list.length === 0) await io.play(['vm-no-messages']);
      else outcome = await listen(s, access, list);
    } else if (key === MAIN.options) await mailboxOptions(io, ctx, deps, access);
    else await io.play(['ivr-invalid']);
    if (outcome === 'transferred') return outcome;
    box = await listMailboxForPhone(ctx, access);
  }
  await io.play(['goodbye']);
  return 'done';
}
