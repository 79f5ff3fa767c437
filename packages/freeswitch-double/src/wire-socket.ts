// Writes frames to a client in order, applying fault injection (split writes, delays, mid-frame drops).
import type { Socket } from 'node:net';
import type { Faults } from './faults.js';
import type { Frame } from './frames.js';

const tick = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class WireSocket {
  private chain: Promise<void> = Promise.resolve();
  private ended = false;
  /** Every byte written, for tests that compare against captures. */
  readonly sent: Buffer[] = [];
  recordSent = false;

  constructor(
    readonly socket: Socket,
    private readonly faults: Faults,
  ) {
    socket.setNoDelay(true);
    socket.on('close', () => {
      this.ended = true;
    });
    socket.on('error', () => {
      this.ended = true;
    });
  }

  get closed(): boolean {
    return this.ended || this.socket.destroyed;
  }

  /** Queues a frame; `kind` decides which faults apply. Resolves when written. */
  write(frame: Frame, kind: 'reply' | 'event' | 'other' = 'other'): Promise<void> {
    this.chain = this.chain.then(() => this.doWrite(frame, kind)).catch(() => undefined);
    return this.chain;
  }

  /** Closes after everything queued so far has been written. */
  end(): Promise<void> {
    this.chain = this.chain.then(() => {
      this.ended = true;
      this.socket.end();
    });
    return this.chain;
  }

  destroy(): void {
    this.ended = true;
    this.socket.destroy();
  }

  private async doWrite(frame: Frame, kind: 'reply' | 'event' | 'other'): Promise<void> {
    if (this.closed) return;
    if (kind === 'reply' && this.faults.replyDelayMs > 0) await sleep(this.faults.replyDelayMs);
    if (kind === 'event' && this.faults.dropNextEventMidway) {
      this.faults.dropNextEventMidway = false;
      const all = Buffer.concat(frame);
      this.raw(all.subarray(0, Math.max(1, Math.floor(all.length / 2))));
      await tick();
      this.destroy();
      return;
    }
    // FreeSWITCH writes header and body with two send() calls.
    for (const part of frame) {
      if (this.closed) return;
      const max = this.faults.splitMaxChunk;
      if (max > 0) {
        let off = 0;
        while (off < part.length) {
          const n = 1 + Math.floor(Math.random() * max);
          this.raw(part.subarray(off, off + n));
          off += n;
          await tick();
        }
      } else {
        this.raw(part);
      }
    }
  }

  private raw(buf: Buffer): void {
    if (this.closed) return;
    if (this.recordSent) this.sent.push(Buffer.from(buf));
    this.socket.write(buf);
  }
}
