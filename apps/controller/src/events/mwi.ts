import { VoicemailChangedSchema, voicemailChangedChannel, type VoicemailChanged } from '@pbx/contracts';
import type { Db } from '@pbx/db';
import type { EslClient } from '@pbx/esl';
import { mwiCommandFor, mwiCountsForBox } from '@pbx/events-ingest';
import type { Redis } from 'ioredis';
import { KeyedSerial } from './keyed-serial.js';

type Log = { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };

/** Where the box's phones are registered: the store of registration events, and each ESL node's switchname. */
export type MwiRegistrations = {
  listByExtension(
    tenantId: string,
    extension: string,
  ): Promise<ReadonlyArray<{ nodeId: string; profile: string }>>;
  nodeIdOf(node: string): string | undefined;
};

/**
 * Sends the box's message-waiting state to each connected FreeSWITCH node its phone is
 * registered on, once per sofia profile it registered on (`Sofia-Profile`, which
 * mod_sofia needs to release the profile: docs/freeswitch-facts.md §9.3). A box whose
 * phone is registered nowhere sends nothing; the phone learns its state when it
 * subscribes. Returns how many events were accepted; an unknown box (or one of another
 * tenant) sends nothing.
 */
export async function sendMwi(
  deps: { prisma: Db; esl: EslClient; registrations: MwiRegistrations },
  change: VoicemailChanged,
): Promise<number> {
  const box = await deps.prisma.voicemailBox.findFirst({
    where: { id: change.boxId, tenantId: change.tenantId },
    select: { number: true, tenant: { select: { domain: true } } },
  });
  if (!box) return 0;
  const regs = await deps.registrations.listByExtension(change.tenantId, box.number);
  if (regs.length === 0) return 0;
  const counts = await mwiCountsForBox(deps.prisma, change.tenantId, change.boxId);
  let sent = 0;
  for (const name of deps.esl.nodeNames()) {
    const node = deps.esl.node(name);
    const nodeId = deps.registrations.nodeIdOf(name);
    if (node.state !== 'ready' || nodeId === undefined) continue;
    const profiles = new Set(regs.filter((r) => r.nodeId === nodeId && r.profile).map((r) => r.profile));
    for (const profile of profiles) {
      const command = mwiCommandFor({ number: box.number, domain: box.tenant.domain, profile, ...counts });
      await node.command(`sendevent ${command.eventName}`, Object.fromEntries(command.headers));
      sent++;
    }
  }
  return sent;
}

/**
 * Listens for VoicemailChanged (published by the API, or by our own voicemail app) and sends MWI.
 * Changes of one box are handled in arrival order: handled concurrently, the counts read for an
 * earlier change could be sent after those of a later one and leave the phone's lamp wrong.
 */
export function subscribeVoicemailChanged(
  subscriber: Redis,
  prefix: string,
  onChange: (change: VoicemailChanged) => Promise<unknown>,
  log: Log,
): () => Promise<void> {
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
  return async () => {
    subscriber.off('message', onMessage);
    if (subscriber.status === 'ready') await subscriber.unsubscribe(channel).catch(() => undefined);
    await serial.idle();
  };
}
