// Scripted IVR callers against the FreeSWITCH double: a controller with its outbound socket on a free port,
// tenants with menus, and a recorder of every application the double runs, so tests wait for the app the
// controller started (never for a time).
import type { Db, DestinationType } from '@pbx/db';
import { startFreeswitchDouble, type DoubleCall, type FreeswitchDouble } from '@pbx/freeswitch-double';
import { waitFor } from '@pbx/testing';
import { actionsOf, phoneCall, startController, type Running } from './helpers.js';

export type Exec = { app: string; data: string };

/** Every CHANNEL_EXECUTE the double fires, per channel (wraps its public `broadcast`). */
export class AppRecorder {
  private readonly byCall = new Map<string, Exec[]>();

  constructor(fs: FreeswitchDouble) {
    const broadcast = fs.broadcast.bind(fs);
    fs.broadcast = (ev) => {
      if (ev.get('Event-Name') === 'CHANNEL_EXECUTE') {
        const uuid = ev.get('Unique-ID') ?? '';
        const list = this.byCall.get(uuid) ?? [];
        list.push({ app: ev.get('Application') ?? '', data: ev.get('Application-Data') ?? '' });
        this.byCall.set(uuid, list);
      }
      broadcast(ev);
    };
  }

  apps(uuid: string): Exec[] {
    return this.byCall.get(uuid) ?? [];
  }

  count(uuid: string, app: string): number {
    return this.apps(uuid).filter((e) => e.app === app).length;
  }

  /** Resolves once the call has started `app` for the n-th time (1-based); returns that execution. */
  async started(uuid: string, app: string, n = 1, signal?: AbortSignal): Promise<Exec> {
    await waitFor(`${app} #${n} on ${uuid}`, () => this.count(uuid, app) >= n, signal);
    return this.apps(uuid).filter((e) => e.app === app)[n - 1] as Exec;
  }
}

/**
 * A controller with its outbound socket on a free port (media under `mediaRoot`), the FreeSWITCH double with short
 * playbacks, and a recorder of the applications the double runs.
 */
export async function startCallRig(
  databaseUrl: string,
  mediaRoot: string,
): Promise<{ c: Running; port: number; fs: FreeswitchDouble; rec: AppRecorder }> {
  const c = await startController(
    databaseUrl,
    {},
    { outbound: { mediaDir: mediaRoot, listen: { host: '127.0.0.1', port: 0 } } },
  );
  const fs = await startFreeswitchDouble({ timing: { playbackMs: 5 } });
  return { c, port: c.outbound?.address.port ?? 0, fs, rec: new AppRecorder(fs) };
}

/**
 * `from` dials `to` in `domain`: the double runs the controller's own dialplan answer for that call, its `socket`
 * pointed at this rig's outbound socket (the answer names the configured address).
 */
export async function dialThrough(
  rig: { c: Running; fs: FreeswitchDouble; port: number },
  domain: string,
  from: string,
  to: string,
): Promise<DoubleCall> {
  const actions = actionsOf(await rig.c.client.dialplan(phoneCall(domain, from, to)), domain);
  const socketAt = actions.findIndex((a) => a.application === 'socket');
  const apps = (socketAt < 0 ? actions : actions.slice(0, socketAt)).map(
    (a) => [a.application, a.data ?? ''] as const,
  );
  return rig.fs.placeCall({
    from,
    to,
    domain,
    apps,
    ...(socketAt < 0 ? {} : { socket: { host: '127.0.0.1', port: rig.port } }),
  });
}

/** A caller whose dialplan set the IVR variables and ran `socket <controller> async full`. */
export function ivrCall(
  fs: FreeswitchDouble,
  port: number,
  v: { tenantId: string; menuId: string; app?: string; domain?: string; from?: string },
): DoubleCall {
  return fs.placeCall({
    from: v.from ?? '+447700900123',
    to: '5000',
    domain: v.domain ?? 'acme.test',
    answer: true,
    apps: [
      ['set', `pbx_tenant_id=${v.tenantId}`],
      ['set', `pbx_app=${v.app ?? 'ivr'}`],
      ['set', `pbx_ivr_menu_id=${v.menuId}`],
    ],
    socket: { host: '127.0.0.1', port },
  });
}

type Dest = [DestinationType, string | null];

export async function createMenu(
  prisma: Db,
  tenantId: string,
  m: {
    name: string;
    number?: string;
    options: [string, Dest][];
    timeout: Dest;
    invalid: Dest;
    directDial?: boolean;
    maxFailures?: number;
    timeoutSec?: number;
  },
) {
  const menu = await prisma.ivrMenu.create({
    data: {
      tenantId,
      name: m.name,
      number: m.number ?? null,
      timeoutSec: m.timeoutSec ?? 1,
      interDigitTimeoutMs: 100,
      maxFailures: m.maxFailures ?? 2,
      directDial: m.directDial ?? false,
      timeoutDestType: m.timeout[0],
      timeoutDestValue: m.timeout[1],
      invalidDestType: m.invalid[0],
      invalidDestValue: m.invalid[1],
    },
  });
  await prisma.ivrOption.createMany({
    data: m.options.map(([digits, [destType, destValue]]) => ({
      tenantId,
      menuId: menu.id,
      digits,
      destType,
      destValue,
    })),
  });
  return menu;
}
