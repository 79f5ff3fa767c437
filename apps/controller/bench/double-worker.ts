// Runs the FreeSWITCH double in its own thread for the event-ingest benchmark, so generating events does not
// compete with the controller's event loop. Messages: {calls, concurrency, tenantId, domain} → {done, seconds}.
import { parentPort } from 'node:worker_threads';
import { startFreeswitchDouble } from '@pbx/esl/double';

export type DoubleJob = { calls: number; concurrency: number; tenantId: string; domain: string };
export type DoubleDone = { done: number; seconds: number };

const port = parentPort;
if (!port) throw new Error('run as a worker');
const fs = await startFreeswitchDouble({ hostname: 'bench-fs', timing: { heartbeatMs: 0 } });
port.postMessage({ port: fs.port });

port.on('message', (job: DoubleJob | 'close') => {
  if (job === 'close') {
    void fs.close().then(() => process.exit(0));
    return;
  }
  void (async () => {
    const t0 = performance.now();
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < job.calls) {
        const i = next++;
        const from = ['1001', '1002', '1003'][i % 3] ?? '1001';
        const outbound = i % 4 === 1;
        const answered = i % 5 !== 3;
        const to = outbound ? `+4930${String(2_000_000 + i)}` : from === '1001' ? '1002' : '1001';
        const call = fs.placeCall({
          from,
          to,
          domain: job.domain,
          context: job.domain,
          apps: [
            ['set', `pbx_tenant_id=${job.tenantId}`],
            ['set', `pbx_direction=${outbound ? 'outbound' : 'internal'}`],
            ['set', `pbx_extension=${from}`],
            ...(answered ? ([['answer', '']] as const) : []),
            ['hangup', answered ? 'NORMAL_CLEARING' : 'NO_ANSWER'],
          ],
        });
        await call.ended;
        done++;
      }
    };
    await Promise.all(Array.from({ length: job.concurrency }, worker));
    port.postMessage({ done, seconds: (performance.now() - t0) / 1000 } satisfies DoubleDone);
  })();
});
