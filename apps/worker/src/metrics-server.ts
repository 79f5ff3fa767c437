import { createServer, type Server } from 'node:http';
import type { WorkerMetrics } from './metrics.js';

/**
 * The worker's only HTTP: `GET /metrics` (Prometheus) and `GET /healthz`, on WORKER_METRICS_HOST:PORT, for the
 * scraper on the internal network (never published). Slow or idle clients are cut off.
 */
export function metricsServer(metrics: WorkerMetrics): Server {
  const server = createServer((req, res) => {
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metrics.render().then(
      (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  return server;
}
