import type { EslClient } from '@pbx/esl';
import type { Redis } from 'ioredis';
import { eslFlushNodes } from '../events/directory-flusher.js';
import { GatewayReloader, subscribeGatewaysChanged } from './gateway-reloader.js';

type Log = { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void };

/** Trunk reloads on every node: after each GatewaysChanged, and all trunks when a node (re)connects. */
export function wireGatewayReloads(
  esl: EslClient,
  subscriber: Redis | undefined,
  prefix: string,
  log: Log,
): { reloader: GatewayReloader; stop: () => Promise<void> } {
  const reloader = new GatewayReloader({ nodes: eslFlushNodes(esl), log });
  const stopReady = reloader.start();
  const unsubscribe = subscriber ? subscribeGatewaysChanged(subscriber, prefix, reloader, log) : undefined;
  return {
    reloader,
    stop: async () => {
      stopReady();
      await unsubscribe?.();
    },
  };
}
