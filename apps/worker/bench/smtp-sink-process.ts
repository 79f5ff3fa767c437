// The benchmarks' SMTP sink in a process of its own: in production the mail server is another machine, so it must
// take neither the measured event loop's time nor count in the bench process's CPU time (process.cpuUsage).
// The parent reads the port from the child's first IPC message and stops it by sending 'close'.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { SmtpSink } from '../test/support/smtp-sink.js';

export type SinkProcess = { url: string; close: () => Promise<void> };

/** Starts a sink (no parsing, nothing kept) in a child process. */
export async function startSinkProcess(): Promise<SinkProcess> {
  const child = fork(fileURLToPath(import.meta.url), ['--child'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [port] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(() => {
      throw new Error('the SMTP sink process exited before listening');
    }),
  ])) as unknown[];
  if (typeof port !== 'number') throw new Error(`the SMTP sink process said ${String(port)}`);
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: async () => {
      const exited = once(child, 'exit');
      child.send('close');
      await exited;
    },
  };
}

if (process.argv.includes('--child') && process.send) {
  const sink = await SmtpSink.start({ parse: false });
  process.on('message', () => {
    void sink.close().then(() => process.exit(0));
  });
  process.send(sink.port);
}
