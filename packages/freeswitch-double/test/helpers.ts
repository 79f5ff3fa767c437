// Drives the double in-process, as a controller would through sendmsg: run an application on a call and
// resolve with its CHANNEL_EXECUTE_COMPLETE; every event of the call is kept for the assertions.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { startFreeswitchDouble, type DoubleCall, type FreeswitchDouble } from '@pbx/freeswitch-double';

export interface Seen {
  name: string;
  get(header: string): string | undefined;
}

export async function double(t: TestContext): Promise<FreeswitchDouble> {
  const fs = await startFreeswitchDouble({ timing: { playbackMs: 20, digitTimeoutMs: 10 } });
  t.after(() => fs.close());
  return fs;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'fs-double-'));
}

/** A parked, answered call whose events are collected in `events`. */
export function parkedCall(fs: FreeswitchDouble): { call: DoubleCall; events: Seen[] } {
  const call = fs.placeCall({ from: '1001', to: '5000', answer: true });
  const events: Seen[] = [];
  const rt = fs.runtime(call.uuid);
  rt?.taps.add((ev) => events.push({ name: ev.name, get: (h) => ev.get(h) }));
  return { call, events };
}

/** sendmsg execute, resolved by the app's CHANNEL_EXECUTE_COMPLETE (or undefined if the call ended first). */
export function exec(
  fs: FreeswitchDouble,
  call: DoubleCall,
  app: string,
  arg: string,
): Promise<Seen | undefined> {
  const appUuid = randomUUID();
  const rt = fs.runtime(call.uuid);
  if (!rt) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const tap = (ev: { name: string; get(h: string): string | undefined }) => {
      if (ev.name === 'CHANNEL_EXECUTE_COMPLETE' && ev.get('Application-UUID') === appUuid) {
        rt.taps.delete(tap);
        resolve({ name: ev.name, get: (h) => ev.get(h) });
      }
    };
    rt.taps.add(tap);
    void rt.done.then(() => resolve(undefined));
    const headers = new Map([
      ['call-command', 'execute'],
      ['execute-app-name', app],
      ['execute-app-arg', arg],
      ['event-uuid', appUuid],
    ]);
    fs.sendmsg(call.uuid, headers, undefined);
  });
}

export const names = (events: Seen[], ...keep: string[]) =>
  events.map((e) => e.name).filter((n) => keep.includes(n));
