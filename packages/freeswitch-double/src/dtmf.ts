// The caller's digits on one channel: a digit goes to a running read if one waits, fires its DTMF event at
// once on a channel running no app (a parked one), and is otherwise buffered until an app reads it; the
// DTMF event fires when the digit is consumed.
export class DtmfInput {
  private readonly buffer: string[] = [];
  private waiter: ((digit: string) => void) | undefined;

  /** `fire` raises the DTMF event of a digit as it is consumed. */
  constructor(private readonly fire: (digit: string) => void) {}

  press(digit: string, appRunning: boolean): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      this.fire(digit);
      w(digit);
    } else if (!appRunning) {
      this.fire(digit);
    } else {
      this.buffer.push(digit);
    }
  }

  /** The next digit (a buffered one first), or undefined after `timeoutMs` or an abort. */
  next(timeoutMs: number, signal: AbortSignal): Promise<string | undefined> {
    const buffered = this.buffer.shift();
    if (buffered !== undefined) {
      this.fire(buffered);
      return Promise.resolve(buffered);
    }
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiter = undefined;
        resolve(undefined);
      }, timeoutMs);
      const onAbort = () => {
        clearTimeout(t);
        this.waiter = undefined;
        resolve(undefined);
      };
      signal.addEventListener('abort', onAbort);
      this.waiter = (d) => {
        clearTimeout(t);
        signal.removeEventListener('abort', onAbort);
        resolve(d);
      };
    });
  }
}
