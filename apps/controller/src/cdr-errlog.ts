import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ingestJsonCdr,
  InvalidCdrError,
  UnknownTenantError,
  type CdrWriter,
  type TenantResolver,
} from '@pbx/events-ingest';
import type { Db } from '@pbx/db';
import type { FastifyInstance } from 'fastify';
import type { ControllerMetrics } from './metrics.js';

/**
 * mod_json_cdr's backup files: `<uuid>.cdr.json` (`a_<uuid>.cdr.json` with prefix-a-leg), written by
 * `backup_cdr()` in mod_json_cdr.c after the last retry failed. The uuid is FreeSWITCH's, never a path.
 */
const CDR_FILE = /^(?:a_)?[\w-]{1,64}\.cdr\.json$/;
/** Files set aside (not a CDR, unknown tenant), each with `<name>.reason` beside it. */
export const REJECTED_DIR = 'rejected';
/**
 * FreeSWITCH writes a backup with open(O_TRUNC) + write() + a final "\n", not atomically: a file without its
 * newline is still being written, unless it has been like that this long (FreeSWITCH died mid-write).
 */
export const SETTLE_MS = 60_000;
/** Files ingested at once: enough to fill the CdrWriter's batches, few enough to keep memory flat. */
const IN_FLIGHT = 16;

export type ErrLogOutcome = 'committed' | 'rejected' | 'retry' | 'pending';
export type ErrLogScan = Record<ErrLogOutcome, number>;

export type CdrErrLogDeps = {
  dir: string;
  prisma: Db;
  tenants: TenantResolver;
  writer?: CdrWriter;
  onFile?: (outcome: ErrLogOutcome, file: string, reason?: string) => void;
  now?: () => number;
};

/**
 * Re-ingests the CDRs FreeSWITCH could not post (docs/call-records.md, "The err-log directory") through the same
 * ingestJsonCdr as the live POST, so a leg posted both ways is one row. A file goes only after its row committed;
 * a file that is not a CDR, or names no known tenant, is moved to `rejected/` with the reason; a database failure
 * leaves the file for the next scan. The directory is the only state: a restart (or another controller scanning
 * the same directory) at worst ingests a committed file again, which changes nothing.
 */
export async function scanCdrErrLog(deps: CdrErrLogDeps): Promise<ErrLogScan> {
  const result: ErrLogScan = { committed: 0, rejected: 0, retry: 0, pending: 0 };
  let names: string[];
  try {
    names = (await readdir(deps.dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && CDR_FILE.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if (isCode(error, 'ENOENT')) return result;
    throw error;
  }
  let databaseDown = false;
  const next = async (): Promise<void> => {
    for (let name = names.shift(); name !== undefined; name = names.shift()) {
      // With the database down every file would fail the same way: leave the rest for the next scan.
      const outcome = databaseDown ? 'retry' : await replayFile(deps, name);
      if (outcome === 'retry') databaseDown = true;
      result[outcome]++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, next));
  return result;
}

async function replayFile(deps: CdrErrLogDeps, name: string): Promise<ErrLogOutcome> {
  const path = join(deps.dir, name);
  const report = (outcome: ErrLogOutcome, reason?: string) => {
    deps.onFile?.(outcome, name, reason);
    return outcome;
  };
  let text: string;
  let mtimeMs: number;
  try {
    [text, { mtimeMs }] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
  } catch (error) {
    // Another controller took it meanwhile.
    if (isCode(error, 'ENOENT')) return report('committed');
    throw error;
  }
  if (!text.endsWith('\n')) {
    if ((deps.now?.() ?? Date.now()) - mtimeMs < SETTLE_MS) return report('pending');
    return setAside(
      deps,
      name,
      'incomplete: the file has no final newline (FreeSWITCH stopped mid-write)',
      report,
    );
  }
  let body: string;
  try {
    body = decodeBackup(text.trim());
  } catch {
    return setAside(deps, name, 'not a CDR: neither JSON nor its URL or base64 encoding', report);
  }
  try {
    await ingestJsonCdr({
      prisma: deps.prisma,
      body,
      tenants: deps.tenants,
      ...(deps.writer ? { writer: deps.writer } : {}),
    });
  } catch (error) {
    if (error instanceof InvalidCdrError || error instanceof UnknownTenantError)
      return setAside(deps, name, error.message, report);
    return report('retry', error instanceof Error ? error.message : String(error));
  }
  await unlink(path).catch((error: unknown) => {
    if (!isCode(error, 'ENOENT')) throw error;
  });
  return report('committed');
}

/**
 * The backup holds the JSON as posted: plain (our json_cdr.conf), or URL- or base64-encoded when json_cdr.conf
 * sets `encode` (then FreeSWITCH writes its escaped copy, without the `cdr=` of the form body).
 */
export function decodeBackup(text: string): string {
  if (text.startsWith('{')) return text;
  if (text.startsWith('%7B') || text.startsWith('%7b')) return decodeURIComponent(text.replace(/\+/g, ' '));
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  if (decoded.startsWith('{')) return decoded;
  throw new Error('not a CDR');
}

async function setAside(
  deps: CdrErrLogDeps,
  name: string,
  reason: string,
  report: (outcome: ErrLogOutcome, reason?: string) => ErrLogOutcome,
): Promise<ErrLogOutcome> {
  const aside = join(deps.dir, REJECTED_DIR);
  await mkdir(aside, { recursive: true });
  await writeFile(join(aside, `${name}.reason`), `${new Date().toISOString()} ${reason}\n`);
  await rename(join(deps.dir, name), join(aside, name)).catch((error: unknown) => {
    if (!isCode(error, 'ENOENT')) throw error;
  });
  return report('rejected', reason);
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/** Scans at start and then every `everyMs` (one scan at a time); `stop()` waits for the scan in progress. */
export function startCdrErrLog(deps: CdrErrLogDeps & { everyMs: number; log: (msg: string) => void }): {
  scanNow: () => Promise<ErrLogScan>;
  stop: () => Promise<void>;
} {
  let running: Promise<ErrLogScan> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const scanNow = (): Promise<ErrLogScan> => {
    running ??= scanCdrErrLog(deps)
      .catch((error: unknown) => {
        deps.log(`CDR err-log scan failed: ${error instanceof Error ? error.message : String(error)}`);
        return { committed: 0, rejected: 0, retry: 0, pending: 0 };
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const loop = () => {
    if (stopped) return;
    void scanNow().then(() => {
      if (!stopped) timer = setTimeout(loop, deps.everyMs);
    });
  };
  loop();
  return {
    scanNow,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** The controller's wiring: scans from start-up, counts every file in /metrics, stops with the app. */
export function wireCdrErrLog(
  app: FastifyInstance,
  d: Omit<CdrErrLogDeps, 'onFile'> & { everyMs: number; metrics: ControllerMetrics },
): { scanNow: () => Promise<ErrLogScan> } {
  const replay = startCdrErrLog({
    ...d,
    log: (msg) => app.log.error(msg),
    onFile: (outcome, file, reason) => {
      d.metrics.cdrErrLogFiles.inc({ outcome });
      if (outcome === 'rejected') app.log.warn({ file, reason }, 'CDR backup file set aside');
      else if (outcome === 'retry') app.log.warn({ file, reason }, 'CDR backup file kept for the next scan');
    },
  });
  // The scan in progress finishes (its rows commit, its files go) before the database is closed.
  app.addHook('onClose', replay.stop);
  return { scanNow: replay.scanNow };
}
