import { METRICS_CONTENT_TYPE, MetricsRegistry } from '@pbx/metrics';
import type { FastifyInstance } from 'fastify';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Request counts and durations by method, route pattern and status (prom-client through @pbx/metrics). */
export function httpMetrics(registry = new MetricsRegistry()) {
  const labels = ['method', 'route', 'status'] as const;
  return {
    registry,
    contentType: METRICS_CONTENT_TYPE,
    requests: registry.counter('http_requests_total', 'HTTP requests by method, route and status.', labels),
    durations: registry.histogram(
      'http_request_duration_seconds',
      'HTTP request duration by method, route and status.',
      labels,
      BUCKETS,
    ),
  };
}

export type HttpMetrics = ReturnType<typeof httpMetrics>;

export function registerMetrics(app: FastifyInstance): HttpMetrics {
  const metrics = httpMetrics();
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, never the raw URL: ids would explode the label set.
    const series = {
      method: req.method,
      route: req.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
    };
    metrics.requests.inc(series);
    metrics.durations.observe(series, reply.elapsedTime / 1000);
  });
  return metrics;
}
