import type * as C from '@pbx/contracts';
import type * as Db from '@pbx/db';
import { pinLockState, toDestination } from '@pbx/domain';
import { iso, isoOrNull, storedGreeting } from './shared.js';

// Voicemail boxes and messages (with their e-mail delivery state). Rows → API shapes; secret columns (hashes) are never copied.

export const voicemailBoxDto = (b: Db.VoicemailBox): C.VoicemailBox => ({
  id: b.id,
  tenantId: b.tenantId,
  number: b.number,
  name: b.name,
  greetings: {
    unavailable: storedGreeting(b.greetingUnavailableAt),
    busy: storedGreeting(b.greetingBusyAt),
    name: storedGreeting(b.greetingNameAt),
  },
  email: b.email,
  attachAudio: b.attachAudio,
  deleteAfterEmail: b.deleteAfterEmail,
  maxMessages: b.maxMessages,
  maxMessageSec: b.maxMessageSec,
  fallback: toDestination(b.fallbackDestType, b.fallbackDestValue),
  pinLock: (({ locked, lockedUntil, failedAttempts }) => ({
    locked,
    lockedUntil: isoOrNull(lockedUntil),
    failedAttempts,
  }))(pinLockState(b, new Date())),
  createdAt: iso(b.createdAt),
  updatedAt: iso(b.updatedAt),
});

const EMAIL_STATE = {
  NOT_REQUIRED: 'not_required',
  PENDING: 'queued',
  SENDING: 'sending',
  RETRYING: 'retrying',
  SENT: 'sent',
  FAILED: 'failed',
} as const satisfies Record<Db.EmailDeliveryState, C.VoicemailMessage['email']['state']>;

export const voicemailMessageDto = (m: Db.VoicemailMessage): C.VoicemailMessage => ({
  id: m.id,
  boxId: m.boxId,
  callUuid: m.callUuid,
  callerIdName: m.callerIdName,
  callerIdNumber: m.callerIdNumber,
  durationSec: m.durationSec,
  format: m.format,
  sizeBytes: m.sizeBytes,
  read: m.readAt !== null,
  readAt: isoOrNull(m.readAt),
  email: {
    state: EMAIL_STATE[m.emailState],
    attempts: m.emailAttempts,
    error: m.emailError,
    messageId: m.emailMessageId,
    sentAt: m.emailState === 'SENT' ? isoOrNull(m.emailedAt) : null,
  },
  createdAt: iso(m.createdAt),
});
