// Load generator for xml-curl.bench.ts, in its own thread so the client does not share the server's event loop.
import { parentPort } from 'node:worker_threads';
import { sendRaw } from '@pbx/esl/double/xml-curl';

export type LoadJob = {
  port: number;
  requests: Uint8Array[];
  durationMs: number;
  concurrency: number;
  expect: string;
  exact: boolean;
};
export type LoadResult = { requests: number; errors: number; seconds: number; p50: number; p99: number };

async function run(job: LoadJob): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const start = performance.now();
  const deadline = start + job.durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const bytes = Buffer.from(job.requests[next++ % job.requests.length] ?? new Uint8Array());
      const t0 = performance.now();
      try {
        const res = await sendRaw({ host: '127.0.0.1', port: job.port, path: '' }, bytes);
        const ok = job.exact ? res.body === job.expect : res.body.includes(job.expect);
        if (res.status !== 200 || !ok) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { requests: latencies.length, errors, seconds, p50: pct(50), p99: pct(99) };
}

// One long-lived thread runs every job the bench posts, so thread start-up never falls inside a measurement.
if (parentPort) {
  const port = parentPort;
  port.on('message', (job: LoadJob) => {
    void run(job).then((r) => port.postMessage(r));
  });
  port.postMessage('ready');
}
