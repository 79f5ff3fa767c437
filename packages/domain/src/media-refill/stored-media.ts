import { MediaRefillPhase } from '@pbx/contracts';
import type { Db } from '@pbx/db';
import { GreetingKind, type MediaLayout } from '@pbx/media';
import { BOX_COLUMN, greetingKey, greetingPath, type GreetingTarget } from '../greetings/target.js';
import { voicemailMessageKey } from '../voicemail-storage/store-voicemail-message.js';

/** Greetings first (every caller of a menu or box hears them), then messages (MediaRefillPhase, the job payload's too). */
export const REFILL_PHASES = MediaRefillPhase.options;
export type RefillPhase = (typeof REFILL_PHASES)[number];

/** Where a refill pass goes on: the rows of `phase` after `afterId` (null: from its first row). */
export type RefillCursor = { phase: RefillPhase; afterId: string | null };

/** One file that has a verified stored copy: where it belongs on the media volume and its key in the storage. */
export type StoredMedia =
  | {
      kind: 'greeting';
      tenantId: string;
      target: GreetingTarget;
      path: string;
      key: string;
    }
  | {
      kind: 'voicemail-message';
      tenantId: string;
      messageId: string;
      boxId: string;
      /** The path the row names (what the controller plays): it must be `path`, or the row is not refilled. */
      filePath: string;
      path: string;
      key: string;
    };

const BOX_GREETINGS = Object.entries(BOX_COLUMN).map(([kind, column]) => ({
  kind: GreetingKind.parse(kind),
  column,
}));

// A tenant whose deletion was requested is about to lose its files: nothing is put back for it.
const liveTenant = { tenant: { purgeAt: null } } as const;

function greeting(layout: MediaLayout, tenantId: string, target: GreetingTarget): StoredMedia {
  return {
    kind: 'greeting',
    tenantId,
    target,
    path: greetingPath(layout, tenantId, target),
    key: greetingKey(layout, tenantId, target),
  };
}

type MessageRow = { id: string; tenantId: string; boxId: string; filePath: string };
const MESSAGE_COLUMNS = { id: true, tenantId: true, boxId: true, filePath: true } as const;

function messageMedia(layout: MediaLayout, m: MessageRow): StoredMedia {
  return {
    kind: 'voicemail-message',
    tenantId: m.tenantId,
    messageId: m.id,
    boxId: m.boxId,
    filePath: m.filePath,
    path: layout.voicemailMessage(m.tenantId, m.boxId, m.id),
    key: voicemailMessageKey(m),
  };
}

/** One message of one tenant whose audio is stored; null when there is none (deleted, not stored, other tenant). */
export async function storedMessage(
  prisma: Db,
  layout: MediaLayout,
  input: { tenantId: string; messageId: string },
): Promise<StoredMedia | null> {
  const row = await prisma.voicemailMessage.findFirst({
    where: { id: input.messageId, tenantId: input.tenantId, ...liveTenant, storedAt: { not: null } },
    select: MESSAGE_COLUMNS,
  });
  return row ? messageMedia(layout, row) : null;
}

/**
 * One page of rows of one phase whose audio is stored (a greeting's time set: the API stores the copy before it
 * sets it; a message's storedAt), platform-wide, in id order after the cursor. Each file's place is derived
 * from the row's own tenant and ids (mediaLayout, storageKeys), never from another tenant's. `files` holds up to
 * three entries per box row. Fewer than `take` rows: the phase is done.
 */
export async function storedMediaPage(
  prisma: Db,
  layout: MediaLayout,
  cursor: RefillCursor,
  take: number,
): Promise<{ id: string; files: StoredMedia[] }[]> {
  const after = cursor.afterId === null ? {} : { id: { gt: cursor.afterId } };
  const page = { orderBy: { id: 'asc' }, take } as const;
  let rows: { id: string; files: StoredMedia[] }[];
  if (cursor.phase === 'ivr-menu') {
    const menus = await prisma.ivrMenu.findMany({
      where: { ...after, ...liveTenant, greetingUpdatedAt: { not: null } },
      select: { id: true, tenantId: true },
      ...page,
    });
    rows = menus.map((m) => ({
      id: m.id,
      files: [greeting(layout, m.tenantId, { type: 'ivr-menu', menuId: m.id })],
    }));
  } else if (cursor.phase === 'voicemail-box') {
    const boxes = await prisma.voicemailBox.findMany({
      where: {
        ...after,
        ...liveTenant,
        OR: BOX_GREETINGS.map(({ column }) => ({ [column]: { not: null } })),
      },
      select: {
        id: true,
        tenantId: true,
        greetingUnavailableAt: true,
        greetingBusyAt: true,
        greetingNameAt: true,
      },
      ...page,
    });
    rows = boxes.map((b) => ({
      id: b.id,
      files: BOX_GREETINGS.filter(({ column }) => b[column] !== null).map(({ kind }) =>
        greeting(layout, b.tenantId, { type: 'voicemail-box', boxId: b.id, kind }),
      ),
    }));
  } else {
    const messages = await prisma.voicemailMessage.findMany({
      where: { ...after, ...liveTenant, storedAt: { not: null } },
      select: MESSAGE_COLUMNS,
      ...page,
    });
    rows = messages.map((m) => ({ id: m.id, files: [messageMedia(layout, m)] }));
  }
  return rows;
}

/**
 * Whether the row still says the file exists (a refill that raced a deletion removes what it put back): the
 * message row is there, or the greeting's time is still set.
 */
export async function stillStored(prisma: Db, media: StoredMedia): Promise<boolean> {
  if (media.kind === 'voicemail-message')
    return (
      (await prisma.voicemailMessage.count({
        where: { id: media.messageId, tenantId: media.tenantId, storedAt: { not: null } },
      })) > 0
    );
  const t = media.target;
  if (t.type === 'ivr-menu')
    return (
      (await prisma.ivrMenu.count({
        where: { id: t.menuId, tenantId: media.tenantId, greetingUpdatedAt: { not: null } },
      })) > 0
    );
  return (
    (await prisma.voicemailBox.count({
      where: { id: t.boxId, tenantId: media.tenantId, [BOX_COLUMN[t.kind]]: { not: null } },
    })) > 0
  );
}
