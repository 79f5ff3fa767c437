import { VoicemailChangedSchema, voicemailChangedChannel, type VoicemailChanged } from '@pbx/contracts';
import type { Db } from '@pbx/db';
import type { EslClient } from '@pbx/esl';
import { mwiCommandFor, mwiCountsForBox } from '@pbx/events-ingest';
import type { Redis } from 'ioredis';
import { KeyedSerial } from './keyed-serial.js';

type Log = { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };

/**
 * Sends the box's message-waiting state to every connected FreeSWITCH node (the
 * phone may be registered on any of them; mod_sofia NOTIFYs its subscribers).
 * Returns how many nodes accepted it; an unknown box (or one of another tenant) sends nothing.
 */
export async function sendMwi(
  deps: { prisma: Db; esl: EslClient },
  change: VoicemailChanged,
): Promise<number> {
  const box = await deps.prisma.voicemailBox.findFirst({
    where: { id: change.boxId, tenantId: change.tenantId },
    select: { number: true, tenant: { select: { domain: true } } },
  });
  if (!box) return 0;
  const counts = await mwiCountsForBox(deps.prisma, change.tenantId, change.boxId);
  const command = mwiCommandFor({ number: box.number, domain: box.tenant.domain, ...counts });
  const headers = Object.fromEntries(command.headers);
  let sent = 0;
  for (const name of deps.esl.nodeNames()) {
    const node = deps.esl.node(name);
    if (node.state !== 'ready') continue;
    await node.command(`sendevent ${command.eventName}`, headers);
    sent++;
  }
  return sent;
}

/**
 * Listens for VoicemailChanged (published by the API, or by our own voicemail app) and sends MWI.
 * Changes of one box are handled in arrival order: handled concurrently, the counts read for an
 * earlier change could be sent after those of a later one and leave the phone's lamp wrong.
 */
export async function subscribeVoicemailChanged(
  subscriber: Redis,
  prefix: string,
  onChange: (change: VoicemailChanged) => Promise<unknown>,
  log: Log,
): Promise<() => Promise<void>> {
  const channel = voicemailChangedChannel(prefix);
  const serial = new KeyedSerial(8);
  const onMessage = (ch: string, raw: string) => {
    if (ch !== channel) return;
    let change: VoicemailChanged;
    try {
      change = VoicemailChangedSchema.parse(JSON.parse(raw));
    } catch {
      log.warn({ channel }, 'ignoring malformed voicemail-changed message');
      return;
    }
    serial.run(change.boxId, () =>
      onChange(change).then(
        () => undefined,
        (error: unknown) =>
          log.error(
            { ...change, err: error instanceof Error ? error.message : String(error) },
            'sending MWI failed',
          ),
      ),
    );
  };
  subscriber.on('message', onMessage);
  // Not awaited: the controller starts without Redis; ioredis subscribes once connected (see invalidation.ts).
  subscriber
    .subscribe(channel)
    .catch((error: unknown) =>
      log.warn({ channel, err: error instanceof Error ? error.message : String(error) }, 'subscribe failed'),
    );
  await Promise.resolve();
  return async () => {
    subscriber.off('message', onMessage);
    if (subscriber.status === 'ready') await subscriber.unsubscribe(channel).catch(() => undefined);
    await serial.idle();
  };
}
