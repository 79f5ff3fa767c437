// Helpers of the IVR sessions benchmark: the round-trip sampler on the outbound adapter, percentiles, polling a
// condition, asking a caller thread, the load average and the main thread's CPU profile of one phase.
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { OutboundCall } from '@pbx/esl';

/** Every outbound command's round trip (sendmsg → command/reply), pushed where the adapter sends it. */
export function sampleRoundTrips(): { take: () => number[] } {
  let samples: number[] = [];
  const send = Object.getOwnPropertyDescriptor(OutboundCall.prototype, 'command')?.value as (
    this: OutboundCall,
    command: string,
    headers: Record<string, string> | null,
  ) => Promise<string>;
  OutboundCall.prototype.command = function timed(
    this: OutboundCall,
    command: string,
    headers: Record<string, string> | null,
  ) {
    const t0 = performance.now();
    const p = send.call(this, command, headers);
    p.then(
      () => samples.push(performance.now() - t0),
      () => undefined,
    );
    return p;
  };
  return {
    /** The samples since the last take. */
    take: () => {
      const s = samples;
      samples = [];
      return s;
    },
  };
}

export function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  deadline: number,
): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One request to a caller thread; the threads answer each message with exactly one message, in order. */
export function ask<T>(worker: Worker, msg: unknown): Promise<T> {
  return new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage(msg);
  });
}

/**
 * CPU time of the main thread alone (the controller; the callers run in worker threads), ms. Unlike round trips it
 * hardly depends on what else the machine runs. Whole-process CPU where /proc is missing.
 */
export function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is the 3rd, utime the 14th, stime the 15th (USER_HZ 100).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
}

export const load1 = (): string => loadavg()[0]?.toFixed(1) ?? '?';

/** With a directory: profiles the main thread (the controller) until the function returned is called. */
export async function startProfile(dir: string | undefined, phase: string): Promise<() => Promise<void>> {
  if (!dir) return () => Promise.resolve();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    const file = `${dir}/ivr-${phase}-${Date.now()}.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`${phase} profile (controller thread): ${file}`);
  };
}
