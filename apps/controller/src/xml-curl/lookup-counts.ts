import { mirrorCounter } from '@pbx/metrics';
import type { ControllerMetrics } from '../metrics.js';

/**
 * `pbx_xml_curl_lookups_total{path,status}`: every answer of a lookup path, the access hook's 401s and 403s and
 * Fastify's own 4xx for the route included. Kept as plain numbers and copied into the counter when /metrics is
 * scraped: every call is a lookup, and prom-client's `inc` builds and validates a label hash each time. Counting
 * where the answer is sent (handler, access hook, error handler) rather than in a route `onResponse` hook also spares
 * Fastify's per-request response listeners.
 */
export class LookupCounts {
  private readonly byPath = new Map<string, Map<number, number>>();

  constructor(metrics: ControllerMetrics) {
    metrics.registry.onCollect(() => mirrorCounter(metrics.xmlCurlLookups, this.series()));
  }

  /** A lookup path: its answers are counted from now on. */
  path(path: string): (status: number) => void {
    const counts = new Map<number, number>();
    this.byPath.set(path, counts);
    return (status) => counts.set(status, (counts.get(status) ?? 0) + 1);
  }

  /** Counts `status` if `path` (a route's URL, or undefined when no route matched) is a lookup path. */
  countIfLookup(path: string | undefined, status: number): void {
    const counts = path === undefined ? undefined : this.byPath.get(path);
    counts?.set(status, (counts.get(status) ?? 0) + 1);
  }

  private *series(): Iterable<readonly [{ path: string; status: string }, number]> {
    for (const [path, counts] of this.byPath)
      for (const [status, n] of counts) yield [{ path, status: String(status) }, n];
  }
}
