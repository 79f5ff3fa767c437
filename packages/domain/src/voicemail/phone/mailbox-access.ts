import type { Actor } from '../../context.js';

const issued = new WeakSet<object>();

/**
 * Proof that a caller entered the right PIN for one box in this process. Only `verifyVoicemailPin` creates one, and
 * every phone operation on a box's messages, PIN or greetings takes it: the domain itself refuses a mailbox session
 * that did not authenticate, whatever the transport does.
 */
export type MailboxAccess = Readonly<{ tenantId: string; boxId: string; boxNumber: string }>;

/** @internal */
export function issueAccess(a: { tenantId: string; boxId: string; boxNumber: string }): MailboxAccess {
  const access = Object.freeze({ ...a });
  issued.add(access);
  return access;
}

/** @internal Throws unless `access` came from a PIN check for this tenant. */
export function checkAccess(access: MailboxAccess, tenantId: string): void {
  if (!issued.has(access) || access.tenantId !== tenantId) throw new Error('mailbox access not granted');
}

/**
 * The actor of a phone in a voicemail session: audit rows read "extension <number> via voicemail …". `number` is the
 * calling extension (or the caller's number for a deposit from outside); `extensionId` only when it is an extension.
 */
export function voicemailPhoneActor(
  tenantId: string,
  caller: { number: string; extensionId?: string | null },
  via: 'voicemail deposit' | 'voicemail menu',
): Actor {
  return {
    userId: null,
    apiKeyId: null,
    role: 'TENANT_USER',
    tenantId,
    extensionId: caller.extensionId ?? null,
    ip: null,
    device: { extensionNumber: caller.number.slice(0, 32) || 'unknown', via },
  };
}
