import type { Db } from '@pbx/db';

export type MwiCounts = { newCount: number; savedCount: number };

export type MwiCommand = {
  eventName: 'MESSAGE_WAITING';
  headers: ReadonlyArray<readonly [string, string]>;
  /** The exact bytes to write on the inbound ESL connection (command, headers, blank line). */
  wire: string;
};

const SAFE = /^[\w.*#+-]+$/;

/**
 * The ESL command that makes mod_sofia NOTIFY every phone subscribed to a
 * box. Without a `Unique-ID` header on purpose: with one naming a live
 * channel, FreeSWITCH hands the event to that session instead of
 * broadcasting it (docs/freeswitch-facts.md §1). With the `Sofia-Profile` the phone
 * registered on: without it mod_sofia keeps a lock on the profile, which can then never
 * be stopped or restarted (docs/freeswitch-facts.md §9.3). sendevent headers are used
 * raw, so box, domain and profile are checked rather than escaped.
 */
export function mwiCommandFor(
  box: { number: string; domain: string; profile: string } & MwiCounts,
): MwiCommand {
  if (!SAFE.test(box.number) || !SAFE.test(box.domain) || !SAFE.test(box.profile))
    throw new Error('mailbox number, domain or profile contains unsafe characters');
  const n = Math.max(0, Math.trunc(box.newCount));
  const s = Math.max(0, Math.trunc(box.savedCount));
  const headers: [string, string][] = [
    ['MWI-Messages-Waiting', n > 0 ? 'yes' : 'no'],
    ['MWI-Message-Account', `sip:${box.number}@${box.domain}`],
    ['MWI-Voice-Message', `${n}/${s} (0/0)`],
    ['Sofia-Profile', box.profile],
  ];
  return {
    eventName: 'MESSAGE_WAITING',
    headers,
    wire: `sendevent MESSAGE_WAITING\n${headers.map(([k, v]) => `${k}: ${v}\n`).join('')}\n`,
  };
}

/** New = not yet listened to (readAt null), saved = listened to. */
export function countMwi(messages: ReadonlyArray<{ readAt: Date | null }>): MwiCounts {
  let newCount = 0;
  for (const m of messages) if (m.readAt === null) newCount++;
  return { newCount, savedCount: messages.length - newCount };
}

/** The counts of one box from its VoicemailMessage rows (scoped to the tenant). */
export async function mwiCountsForBox(prisma: Db, tenantId: string, boxId: string): Promise<MwiCounts> {
  const [total, unread] = await Promise.all([
    prisma.voicemailMessage.count({ where: { tenantId, boxId } }),
    prisma.voicemailMessage.count({ where: { tenantId, boxId, readAt: null } }),
  ]);
  return { newCount: unread, savedCount: total - unread };
}
