import type { Db } from '@pbx/db';
import type { CdrRow } from './build.js';
import { writeCdrs, type CdrWriteResult } from './store.js';

export type CdrBatchInfo = {
  rows: number;
  /** Wall time of the batch's statement(s), including per-row retries after a row was refused. */
  seconds: number;
  failed: number;
};

export type CdrWriterOptions = {
  prisma: Db;
  /** Rows per statement at most (default 500). */
  maxBatch?: number;
  /**
   * Statements running at once at most (default 1): the bound on the database connections this
   * takes. Rows arriving while they run gather into the next batch.
   */
  maxInFlight?: number;
  /** Called after every batch (metrics). */
  onBatch?: (info: CdrBatchInfo) => void;
};

type Pending = {
  row: CdrRow;
  resolve: (result: CdrWriteResult) => void;
  reject: (error: unknown) => void;
};

/**
 * Batches CDR rows into multi-row upserts (`writeCdrs`, the same statement and
 * merge rules as a single row). A row waits at most until the next turn of the
 * event loop, or until a batch is full, unless `maxInFlight` statements are
 * already running: then rows gather until one finishes, so a burst makes
 * bigger batches rather than more connections.
 *
 * `write` resolves with the row's own result only once the statement holding
 * it has committed (so an HTTP caller may answer 200 then), and rejects with
 * the row's own error otherwise. A statement refused for its data (a class 22
 * or 23 error: one bad row, say a tenant deleted meanwhile) is split in halves
 * and retried until the bad row stands alone, so only that row fails; a
 * deadlock or serialization failure retries the batch; anything else (database
 * down) fails every row of the batch with that error. Nothing is dropped
 * silently.
 */
export class CdrWriter {
  private readonly prisma: Db;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly onBatch: ((info: CdrBatchInfo) => void) | undefined;
  private queue: Pending[] = [];
  private inFlight = 0;
  private inFlightRows = 0;
  private scheduled = false;
  private idleWaiters: Array<() => void> = [];

  constructor(options: CdrWriterOptions) {
    this.prisma = options.prisma;
    this.maxBatch = Math.max(1, options.maxBatch ?? 500);
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1);
    this.onBatch = options.onBatch;
  }

  /** Rows handed over and not yet committed or failed. */
  get pending(): number {
    return this.queue.length + this.inFlightRows;
  }

  /** Rows handed over and not yet in a statement. */
  get waiting(): number {
    return this.queue.length;
  }

  write(row: CdrRow): Promise<CdrWriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.pump();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /** Resolves once every row handed over so far has been committed or has failed. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight++;
      this.inFlightRows += batch.length;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.inFlightRows -= batch.length;
        if (this.queue.length > 0) this.pump();
        else if (this.pending === 0) {
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          for (const w of waiters) w();
        }
      });
    }
  }

  /** Up to maxBatch rows with distinct call UUIDs; a second copy of a leg waits for the next batch. */
  private take(): Pending[] {
    const batch: Pending[] = [];
    const uuids = new Set<string>();
    const rest: Pending[] = [];
    let i = 0;
    for (; i < this.queue.length && batch.length < this.maxBatch; i++) {
      const p = this.queue[i] as Pending;
      if (uuids.has(p.row.callUuid)) rest.push(p);
      else {
        uuids.add(p.row.callUuid);
        batch.push(p);
      }
    }
    this.queue = rest.length > 0 || i < this.queue.length ? [...rest, ...this.queue.slice(i)] : [];
    return batch;
  }

  private async run(batch: Pending[]): Promise<void> {
    const started = performance.now();
    const failed = await this.settle(batch);
    try {
      this.onBatch?.({ rows: batch.length, seconds: (performance.now() - started) / 1000, failed });
    } catch {
      // An observer's bug must not turn into a lost row or an unhandled rejection: the rows are settled already.
    }
  }

  /** Writes the rows and settles each caller; returns how many failed. */
  private async settle(batch: Pending[]): Promise<number> {
    try {
      const inserted = await this.statement(batch.map((p) => p.row));
      for (const p of batch) p.resolve(result(p.row, inserted.get(p.row.callUuid) ?? false));
      return 0;
    } catch (error) {
      if (batch.length > 1 && isDataError(error)) {
        // Some row spoilt the statement: halve until the bad rows stand alone (about 2·log2(n) statements for one).
        const half = batch.length >> 1;
        return (await this.settle(batch.slice(0, half))) + (await this.settle(batch.slice(half)));
      }
      for (const p of batch) p.reject(error);
      return batch.length;
    }
  }

  private async statement(rows: CdrRow[]): Promise<Map<string, boolean>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeCdrs(this.prisma, rows);
      } catch (error) {
        if (attempt >= 3 || !isRetryable(error)) throw error;
      }
    }
  }
}

function result(row: CdrRow, inserted: boolean): CdrWriteResult {
  return { callUuid: row.callUuid, tenantId: row.tenantId, inserted };
}

/** The SQLSTATE of a failed raw query (Prisma 7 over node-postgres), when PostgreSQL gave one. */
function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } }).meta;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  return typeof code === 'string' ? code : undefined;
}

/** Data exception (22) or integrity constraint violation (23): the statement's rows, not the database. */
function isDataError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}

/** Deadlock or serialization failure: the same statement may well succeed again. */
function isRetryable(error: unknown): boolean {
  const state = sqlState(error);
  return state === '40P01' || state === '40001';
}
