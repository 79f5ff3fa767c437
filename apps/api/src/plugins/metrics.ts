import type { FastifyInstance } from 'fastify';

// A small Prometheus registry of our own: two metric families are all the API
// exports, not worth a dependency.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Series = { labels: string; count: number; sum: number; buckets: number[] };

export class HttpMetrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, Series>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = `method="${esc(method)}",route="${esc(route)}",status="${status}"`;
    this.requests.set(labels, (this.requests.get(labels) ?? 0) + 1);
    const key = labels;
    const s = this.durations.get(key) ?? { labels: key, count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
    s.count += 1;
    s.sum += seconds;
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) s.buckets[i] = (s.buckets[i] ?? 0) + 1;
    });
    this.durations.set(key, s);
  }

  render(): string {
    const lines = [
      '# HELP http_requests_total HTTP requests by method, route and status.',
      '# TYPE http_requests_total counter',
      ...[...this.requests].map(([l, v]) => `http_requests_total{${l}} ${v}`),
      '# HELP http_request_duration_seconds HTTP request duration by method, route and status.',
      '# TYPE http_request_duration_seconds histogram',
    ];
    for (const s of this.durations.values()) {
      BUCKETS.forEach((b, i) =>
        lines.push(`http_request_duration_seconds_bucket{${s.labels},le="${b}"} ${s.buckets[i] ?? 0}`),
      );
      lines.push(`http_request_duration_seconds_bucket{${s.labels},le="+Inf"} ${s.count}`);
      lines.push(`http_request_duration_seconds_sum{${s.labels}} ${s.sum}`);
      lines.push(`http_request_duration_seconds_count{${s.labels}} ${s.count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function registerMetrics(app: FastifyInstance): HttpMetrics {
  const metrics = new HttpMetrics();
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, never the raw URL: ids would explode the label set.
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.observe(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  return metrics;
}
