// The benchmarks' SMTP sink in a thread of its own: in production the mail server is another machine, so it must
// not take the measured event loop's time. The parent reads the port from the first message and closes the sink
// by posting 'close' (the thread answers 'closed').
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { SmtpSink } from '../test/support/smtp-sink.js';

export type SinkThread = { url: string; close: () => Promise<void> };

/** Starts a sink (raw bodies kept only as a count, no parsing) in a worker thread. */
export async function startSinkThread(): Promise<SinkThread> {
  // Worker threads do not inherit tsx's --import hooks on Node 20: register them inside, then load this module.
  const entry = JSON.stringify(import.meta.url);
  const thread = new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${entry}); })`, {
    eval: true,
  });
  const port = await new Promise<number>((resolve, reject) => {
    thread.once('message', (m: unknown) =>
      typeof m === 'number' ? resolve(m) : reject(new Error(String(m))),
    );
    thread.once('error', reject);
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => thread.once('message', () => resolve()));
      thread.postMessage('close');
      await closed;
      await thread.terminate();
    },
  };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const sink = await SmtpSink.start({ parse: false });
  port.on('message', () => {
    void sink.close().then(() => port.postMessage('closed'));
  });
  port.postMessage(sink.port);
}
