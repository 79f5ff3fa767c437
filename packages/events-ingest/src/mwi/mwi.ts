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
 * broadcasting it (docs/freeswitch-facts.md §1). sendevent headers are used raw, so
 * box and domain are checked rather than escaped.
 */
export function mwiCommandFor(box: { number: string; domain: string } & MwiCounts): MwiCommand {
  if (!SAFE.test(box.number) || !SAFE.test(box.domain))
    throw new Error('mailbox number or domain contains unsafe characters');
  const n = Math.max(0, Math.trunc(box.newCount));
  const s = Math.max(0, Math.trunc(box.savedCount));
  const headers: [string, string][] = [
    ['MWI-Messages-Waiting', n > 0 ? 'yes' : 'no'],
    ['MWI-Message-Account', `sip:${box.number}@${box.domain}`],
    ['MWI-Voice-Message', `${n}/${s} (0/0)`],
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
