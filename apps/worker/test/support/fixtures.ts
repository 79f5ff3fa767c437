import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Db } from '@pbx/db';
import { mediaLayout } from '@pbx/media';
import { makeWav } from './audio.js';

/** A tenant with one voicemail box; messages with real audio under the media layout. */
export async function voicemailTenant(
  prisma: Db,
  options: { domain: string; email: string | null; deleteAfterEmail?: boolean; timeZone?: string },
) {
  const tenant = await prisma.tenant.create({
    data: { name: 'Acme Ltd', domain: options.domain, timeZone: options.timeZone ?? 'Europe/London' },
  });
  const box = await prisma.voicemailBox.create({
    data: {
      tenantId: tenant.id,
      number: '1001',
      name: 'Alice',
      pinHash: 'x',
      email: options.email,
      deleteAfterEmail: options.deleteAfterEmail ?? false,
    },
  });
  return { tenant, box };
}

export async function voicemailMessage(
  prisma: Db,
  mediaDir: string,
  owner: { tenant: { id: string }; box: { id: string } },
  options: { seconds: number; callUuid: string; createdAt?: Date },
) {
  const id = crypto.randomUUID();
  const path = mediaLayout(mediaDir).voicemailMessage(owner.tenant.id, owner.box.id, id);
  await mkdir(dirname(path), { recursive: true });
  await makeWav(path, options.seconds);
  return prisma.voicemailMessage.create({
    data: {
      id,
      tenantId: owner.tenant.id,
      boxId: owner.box.id,
      callUuid: options.callUuid,
      callerIdName: 'Bob Smith',
      callerIdNumber: '+442071838750',
      durationSec: options.seconds,
      filePath: path,
      sizeBytes: (await stat(path)).size,
      emailState: 'PENDING',
      ...(options.createdAt ? { createdAt: options.createdAt } : {}),
    },
  });
}
