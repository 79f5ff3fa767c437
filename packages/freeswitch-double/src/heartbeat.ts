// The HEARTBEAT event FreeSWITCH's core fires every 20 s (switch_core.c send_heartbeat).
import { ORIGINS, type EventFactory, type FsEvent } from './fs-event.js';

export function heartbeatEvent(
  factory: EventFactory,
  o: { startedAt: number; sessions: number; sinceStartup: number },
): FsEvent {
  const e = factory.create('HEARTBEAT', ORIGINS.HEARTBEAT);
  const up = Date.now() - o.startedAt;
  const n = o.sessions;
  e.add('Event-Info', 'System Ready');
  e.add(
    'Up-Time',
    `0 years, 0 days, 0 hours, ${Math.floor(up / 60000)} minutes, ${Math.floor(up / 1000) % 60} seconds, ${up % 1000} milliseconds, 0 microseconds`,
  );
  e.add('FreeSWITCH-Version', '1.10.12-release+git~20260821T141014Z~cc93a683ca~64bit');
  e.add('Uptime-msec', up).add('Session-Count', n).add('Max-Sessions', 2000).add('Session-Per-Sec', 200);
  e.add('Session-Per-Sec-Last', 0).add('Session-Per-Sec-Max', 0).add('Session-Per-Sec-FiveMin', 0);
  e.add('Session-Since-Startup', o.sinceStartup)
    .add('Session-Peak-Max', n)
    .add('Session-Peak-FiveMin', n)
    .add('Idle-CPU', '95.500000');
  return e;
}
