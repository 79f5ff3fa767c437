import type { Reply } from './redis-writer.js';

export type LiveCallEventResult = {
  action: 'upserted' | 'removed' | 'ignored';
  uuids: string[];
  reason?: string;
};

export const ignored = (reason: string): LiveCallEventResult => ({ action: 'ignored', uuids: [], reason });

/** The promise of one `applyChannelEvent`: its result, once every write it made has been answered. */
export class Outcome {
  result: LiveCallEventResult | undefined;
  private ops = 0;
  private error: Error | null = null;
  /** Legs whose upsert Redis refused: they hung up (another controller saw it first). */
  private refused: string[] | undefined;
  constructor(
    private readonly resolve: (r: LiveCallEventResult) => void,
    private readonly reject: (e: Error) => void,
  ) {}
  expect(): Reply {
    this.ops++;
    return this.answered;
  }
  /** The reply of one leg's upsert, which Redis may refuse. */
  expectUpsert(uuid: string): Reply {
    this.ops++;
    return (error, value) => {
      if (!error && value === -1) (this.refused ??= []).push(uuid);
      this.answered(error, value);
    };
  }
  private readonly answered: Reply = (error) => {
    if (error) this.error ??= error;
    this.ops--;
    this.check();
  };
  finish(result: LiveCallEventResult): void {
    this.result = result;
    this.check();
  }
  fail(error: Error): void {
    this.error ??= error;
    this.result ??= ignored('failed');
    this.check();
  }
  private check(): void {
    if (this.result === undefined || this.ops > 0) return;
    if (this.error) return this.reject(this.error);
    const refused = this.refused;
    if (refused && this.result.action === 'upserted') {
      const uuids = this.result.uuids.filter((u) => !refused.includes(u));
      this.result =
        uuids.length > 0 ? { ...this.result, uuids } : ignored('hung up (Redis has its tombstone)');
    }
    this.resolve(this.result);
  }
}
