// What the controller benchmarks share: the credentials and settings of the controller they start, and the thread
// threads that generate load beside it (load-worker.ts, directory-cache-worker.ts).
import { Worker } from 'node:worker_threads';
import type { ControllerSettings } from '../src/controller-types.js';

export const USER = 'bench';
export const PASSWORD = 'bench-password-123';

/** The controller's settings in every benchmark (loopback only), with a bench's own prefix and overrides. */
export const benchSettings = (redisPrefix: string, extra: Partial<ControllerSettings> = {}) =>
  ({
    xmlCurlUser: USER,
    xmlCurlPassword: PASSWORD,
    xmlCurlAllow: '127.0.0.1/32,::1/128',
    recordingsDir: '/var/lib/pbx/recordings',
    outboundSocketAddress: '127.0.0.1:8084',
    redisPrefix,
    ...extra,
  }) satisfies ControllerSettings;

/**
 * A thread running one of this folder's worker modules (`./load-worker.ts` by default), once it has said it is
 * ready (its first message).
 */
export async function startLoadThread(module = './load-worker.ts'): Promise<Worker> {
  // Worker threads do not inherit tsx's --import hooks on Node 20: register them inside, then load the TS module.
  const entry = JSON.stringify(new URL(module, import.meta.url).href);
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${entry}); })`;
  const w = new Worker(boot, { eval: true });
  await new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
  });
  return w;
}
