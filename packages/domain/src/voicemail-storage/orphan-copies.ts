import type { Db } from '@pbx/db';
import { storageKeys, type ObjectStorage } from '@pbx/storage';

const MESSAGE_KEY = /\/voicemail\/[0-9a-f-]{36}\/([0-9a-f-]{36})\.wav$/;

/**
 * Removes stored voicemail copies whose message row is gone. A deletion that died between commit and the object's
 * removal (a process killed, a storage that was down) leaves such a copy; so does nothing
 * else, since a copy is made only while its row exists and the store job removes its own copy if the row went
 * meanwhile. Objects are listed before the rows are read, so a message deposited during the scan is never taken
 * for an orphan. Returns how many objects went.
 */
export async function removeOrphanVoicemailCopies(prisma: Db, storage: ObjectStorage): Promise<number> {
  const tenants = await prisma.tenant.findMany({ select: { id: true } });
  let removed = 0;
  for (const { id: tenantId } of tenants) {
    const keys = await storage.list(`${storageKeys.tenant(tenantId)}voicemail/`);
    const byMessage = new Map<string, string>();
    for (const key of keys) {
      const id = MESSAGE_KEY.exec(key)?.[1];
      if (id) byMessage.set(id, key);
    }
    if (byMessage.size === 0) continue;
    const alive = await prisma.voicemailMessage.findMany({
      where: { tenantId, id: { in: [...byMessage.keys()] } },
      select: { id: true },
    });
    for (const { id } of alive) byMessage.delete(id);
    for (const key of byMessage.values()) {
      await storage.delete(key);
      removed++;
    }
  }
  return removed;
}
