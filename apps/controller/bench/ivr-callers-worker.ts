// For the IVR benchmark: the callers. A FreeSWITCH double in its own thread (so its work does not count against
// the controller's event loop) places calls whose dialplan hands them to the controller's outbound socket.
// Messages: {place: n} → {placed}; {inMenu: true} → {inMenu: calls now in play_and_get_digits};
// {press: digit} → {pressed} (every caller at once); {spread: {digit, overMs}} → {scheduled} (each caller presses
// once, the presses spread evenly over overMs); {settled: true} → {live: calls not yet ended}; 'close'.
import { parentPort, workerData } from 'node:worker_threads';
import { startFreeswitchDouble, type DoubleCall } from '@pbx/freeswitch-double';

type Init = { port: number; tenantId: string; menuId: string; domain: string; playbackMs: number };
const init = workerData as Init;
const port = parentPort;
if (!port) throw new Error('run as a worker');

const fs = await startFreeswitchDouble({ hostname: 'bench-fs', timing: { playbackMs: init.playbackMs } });
/** The callers placed and not yet gone. */
const calls = new Set<DoubleCall>();

type Msg = {
  place?: number;
  inMenu?: boolean;
  press?: string;
  spread?: { digit: string; overMs: number };
  settled?: boolean;
};

port.on('message', (m: Msg | 'close') => {
  if (m === 'close') {
    void fs.close().then(() => process.exit(0));
    return;
  }
  if (m.place !== undefined) {
    const batch = Array.from({ length: m.place }, () =>
      fs.placeCall({
        from: '+447700900123',
        to: '5000',
        domain: init.domain,
        answer: true,
        apps: [
          ['set', `pbx_tenant_id=${init.tenantId}`],
          ['set', 'pbx_app=ivr'],
          ['set', `pbx_ivr_menu_id=${init.menuId}`],
        ],
        socket: { host: '127.0.0.1', port: init.port },
      }),
    );
    // Every caller placed so far stays in the menu until `press` (not only the last batch).
    for (const c of batch) {
      calls.add(c);
      void c.ended.then(() => calls.delete(c));
    }
    port.postMessage({ placed: batch.length });
  } else if (m.inMenu) {
    const n = fs.calls().filter((c) => c.currentApp?.app === 'play_and_get_digits').length;
    port.postMessage({ inMenu: n });
  } else if (m.press !== undefined) {
    for (const c of calls) void c.press(m.press, 0);
    port.postMessage({ pressed: calls.size });
  } else if (m.spread !== undefined) {
    const { digit, overMs } = m.spread;
    const n = calls.size;
    [...calls].forEach((c, i) => setTimeout(() => void c.press(digit, 0), (i * overMs) / n));
    port.postMessage({ scheduled: n });
  } else if (m.settled) {
    port.postMessage({ live: fs.calls().length });
  }
});
port.postMessage({ ready: true });
