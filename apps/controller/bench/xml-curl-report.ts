// The xml-curl bench's results: rounds merged, ratios per pair of rounds and their medians, the printed report.
import type { LoadResult } from './load-worker.js';

/**
 * cpuMs: CPU time of the server's thread (the bench's main thread), busyMs: the time its event loop was busy. Per request they are
 * the server's own cost, which background load disturbs much less than throughput; busy time also counts time the
 * thread waited for a core, CPU time does not.
 */
export type Result = LoadResult & { name: string; busyMs: number; cpuMs: number };

/** Rounds are combined by totals; percentiles are over every request of every round. */
export function merge(rs: Result[]): Result {
  const all = new Float64Array(rs.reduce((n, r) => n + r.latencies.length, 0));
  let at = 0;
  for (const r of rs) {
    all.set(r.latencies, at);
    at += r.latencies.length;
  }
  const sum = (f: (r: Result) => number) => rs.reduce((a, r) => a + f(r), 0);
  return {
    name: rs[0]?.name ?? '',
    requests: sum((r) => r.requests),
    errors: sum((r) => r.errors),
    seconds: sum((r) => r.seconds),
    latencies: all.sort(),
    busyMs: sum((r) => r.busyMs),
    cpuMs: sum((r) => r.cpuMs),
  };
}

export const pct = (r: Result, p: number) =>
  r.latencies[Math.min(r.latencies.length - 1, Math.floor((p / 100) * r.latencies.length))] ?? NaN;
export const rate = (r: Result) => r.requests / r.seconds;

export function report(o: {
  seedSec: number;
  warmSec: number;
  warmErrors: number;
  pairs: { bare: Result; ctrl: Result }[];
  setup: { tenants: number; extensions: number; concurrency: number; roundMs: number; target: number };
}): void {
  const { tenants, extensions, concurrency, roundMs, target } = o.setup;
  const bare = merge(o.pairs.map((p) => p.bare));
  const ctrl = merge(o.pairs.map((p) => p.ctrl));
  const num = (v: number, d = 0, w = 9) => v.toFixed(d).padStart(w);
  const perReq = (r: Result, ms: number) => (ms * 1000) / Math.max(1, r.requests);
  const haveCpu = Number.isFinite(bare.cpuMs) && Number.isFinite(ctrl.cpuMs);
  const cost = (r: Result) => perReq(r, haveCpu ? r.cpuMs : r.busyMs);
  const throughput = o.pairs.map((p) => rate(p.ctrl) / rate(p.bare)).sort((a, b) => a - b);
  const costs = o.pairs.map((p) => cost(p.bare) / cost(p.ctrl)).sort((a, b) => a - b);
  const median = (v: number[]) => {
    const m = v.length >> 1;
    return v.length % 2 === 1 ? (v[m] ?? NaN) : ((v[m - 1] ?? NaN) + (v[m] ?? NaN)) / 2;
  };
  const spread = (v: number[]) => `${(v[0] ?? NaN).toFixed(2)}-${(v[v.length - 1] ?? NaN).toFixed(2)}`;
  const ratio = median(throughput);
  const costRatio = median(costs);

  console.log(
    `\nseed: ${tenants} tenants x ${extensions} extensions in ${o.seedSec.toFixed(1)} s, migrations included;` +
      ` cache filled with one call per tenant in ${o.warmSec.toFixed(2)} s (${o.warmErrors} errors)`,
  );
  console.log(
    `\ndialplan lookups, closed loop: ${concurrency} connections, a new TCP connection per lookup;` +
      ` ${o.pairs.length} pairs of rounds of ${roundMs / 1000} s each (one per endpoint, alternating order); totals:`,
  );
  console.log(
    `${'endpoint'.padEnd(28)}${'req/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}` +
      `${'errors'.padStart(8)}${'cpu µs/req'.padStart(12)}${'busy µs/req'.padStart(13)}`,
  );
  for (const r of [bare, ctrl])
    console.log(
      `${r.name.padEnd(28)}${num(rate(r), 0, 8)}${num(pct(r, 50), 2)}${num(pct(r, 99), 2)}${num(r.errors, 0, 8)}` +
        `${num(perReq(r, r.cpuMs), 0, 12)}${num(perReq(r, r.busyMs), 0, 13)}`,
    );
  console.log(
    `\ncontroller / bare Fastify, median of ${o.pairs.length} pairs (range): ${ratio.toFixed(2)}x throughput ` +
      `(${spread(throughput)}; target >= ${target}: ${ratio >= target ? 'met' : 'NOT met'}); ` +
      `${costRatio.toFixed(2)}x by server ${haveCpu ? 'CPU' : 'busy'} time per lookup (${spread(costs)}; bare ÷ ` +
      'controller: what a server with a core to itself would approach; the load generator shares the cores, so ' +
      'this is the steadier figure on a busy machine)',
  );
  console.log(
    'the bare endpoint reads the same form fields through the same parser and answers a document of the same size ' +
      "(the controller's own answer to one of these calls): the difference is the controller's own work (access " +
      "checks, tenant cache, routing, rendering; the bench's extensions forward nowhere, so a failed ring hangs up " +
      'inline and no answer carries a transfer token)',
  );
}
