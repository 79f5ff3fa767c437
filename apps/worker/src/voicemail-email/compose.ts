import { basename } from 'node:path';
import type { EmailClaim } from '@pbx/domain';
import type { SendMailOptions } from 'nodemailer';

type Sendable = Extract<EmailClaim, { kind: 'send' }>;

export type ComposeOptions = {
  mailFrom: string;
  portalUrl: string;
  /** Whether the audio goes in the e-mail, and if not, why not. */
  audio: 'attached' | 'too-large' | 'not-wanted' | 'missing';
};

const MIME: Record<string, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
};

// Caller names come from SIP headers: no control characters reach a mail header.
const clean = (s: string) => s.replace(/[\p{Cc}\p{Cf}]/gu, ' ').trim();
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const formatDuration = (sec: number): string =>
  `${Math.floor(sec / 60)}:${String(sec % 60).padStart(2, '0')}`;

// Building a formatter costs far more than using one (a measurable share of an e-mail's CPU): one per time zone
// (at most one per IANA zone name).
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The message's time in the tenant's time zone, e.g. "Friday 4 December 2026, 15:04 (Europe/London)". */
export function formatWhen(at: Date, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return `${format.format(at)} (${timeZone})`;
}

/** Same message and generation → same Message-ID, so a copy sent twice in the crash window is one message to mail clients. */
export function voicemailMessageId(messageId: string, generation: number, mailFrom: string): string {
  const host = mailFrom.split('@')[1] ?? 'pbx.local';
  return `<vm-${messageId}-${generation}@${host}>`;
}

export function composeVoicemailEmail(claim: Sendable, options: ComposeOptions): SendMailOptions {
  const { message, box, tenant } = claim;
  const caller = clean(message.callerIdName) || 'Unknown caller';
  const number = clean(message.callerIdNumber) || 'unknown number';
  const when = formatWhen(message.createdAt, tenant.timeZone);
  const duration = formatDuration(message.durationSec);
  // The portal forwards /v1 to the API with the user's session cookie: a logged-in user can open this.
  const link = `${options.portalUrl.replace(/\/$/, '')}/v1/tenants/${tenant.id}/voicemail-boxes/${box.id}/messages/${message.id}/audio`;
  // The tenant's own sender (tenant setting `emailFrom`) or the platform's; the tenant's name is shown either way.
  const from = { name: clean(`${tenant.name} Voicemail`), address: tenant.emailFrom ?? options.mailFrom };
  const audioLine = {
    attached: 'The recording is attached.',
    'too-large': 'The recording is too large to attach; listen to it in the portal.',
    'not-wanted': 'Listen to the recording in the portal.',
    missing: 'The recording could not be found.',
  }[options.audio];
  const text = [
    `New voicemail in mailbox ${box.number} (${clean(box.name)}).`,
    '',
    `From:     ${caller} <${number}>`,
    `Received: ${when}`,
    `Length:   ${duration}`,
    '',
    audioLine,
    `Listen:   ${link}`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>New voicemail in mailbox <b>${escapeHtml(box.number)}</b> (${escapeHtml(clean(box.name))}).</p>
<table>
<tr><td>From</td><td>${escapeHtml(caller)} &lt;${escapeHtml(number)}&gt;</td></tr>
<tr><td>Received</td><td>${escapeHtml(when)}</td></tr>
<tr><td>Length</td><td>${duration}</td></tr>
</table>
<p>${escapeHtml(audioLine)} <a href="${escapeHtml(link)}">Listen in the portal</a></p>
</body></html>`;
  const format = message.format.toLowerCase();
  return {
    from,
    to: box.email ?? undefined,
    subject: `Voicemail from ${caller} (${number}), ${duration}`,
    messageId: voicemailMessageId(message.id, message.emailGeneration, options.mailFrom),
    headers: { 'X-PBX-Voicemail-Id': message.id },
    text,
    html,
    attachments:
      options.audio === 'attached'
        ? [
            {
              filename: `voicemail-${basename(message.id)}.${format.replace(/[^a-z0-9]/g, '')}`,
              path: message.filePath,
              contentType: MIME[format] ?? 'application/octet-stream',
            },
          ]
        : [],
  };
}
