import {
  ConfigChangedSchema,
  configChangedChannel,
  GatewaysChangedSchema,
  gatewaysChangedChannel,
  VoicemailChangedSchema,
  voicemailChangedChannel,
  type Notification,
} from '@pbx/contracts';
import type { Redis } from 'ioredis';

export type NotificationPublisher = (notification: Notification) => Promise<void>;

type Log = { error: (obj: object, msg: string) => void };

/**
 * The one publisher of ConfigChanged, VoicemailChanged and GatewaysChanged (API, controller and worker use it as the domain's
 * `notify`). Each message is validated, then published on its channel. A failed publish is logged, not thrown: the
 * write it reports is already committed, and controllers also expire their caches on their own.
 */
export function redisNotificationPublisher(
  redis: Pick<Redis, 'publish'>,
  prefix: string,
  log: () => Log,
): NotificationPublisher {
  const configChannel = configChangedChannel(prefix);
  const voicemailChannel = voicemailChangedChannel(prefix);
  const gatewaysChannel = gatewaysChangedChannel(prefix);
  return async (n) => {
    try {
      if (n.kind === 'config')
        await redis.publish(configChannel, JSON.stringify(ConfigChangedSchema.parse(n.change)));
      else if (n.kind === 'voicemail')
        await redis.publish(voicemailChannel, JSON.stringify(VoicemailChangedSchema.parse(n.change)));
      else await redis.publish(gatewaysChannel, JSON.stringify(GatewaysChangedSchema.parse(n.change)));
    } catch (error) {
      const about = n.kind === 'gateways' ? { gateway: n.change.gateway } : { tenantId: n.change.tenantId };
      log().error({ err: error, kind: n.kind, ...about }, `could not publish ${n.kind}-changed`);
    }
  };
}
