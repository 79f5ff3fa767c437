import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/**
 * The component library writes its theme variables into <style> elements at run time: they carry this
 * response's nonce (index.html's `__CSP_NONCE__`, read by the client from a meta tag), so no 'unsafe-inline'.
 */
function securityHeaders(nonce: string): Record<string, string> {
  return {
    'content-security-policy': `default-src 'self'; img-src 'self' data:; media-src 'self' blob:; style-src 'self' 'nonce-${nonce}'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  };
}

// Hop-by-hop headers must not be forwarded (RFC 9110 §7.6.1).
const HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
]);

export type WebTimeouts = { requestMs: number; headersMs: number; keepAliveMs: number };

const DEFAULT_TIMEOUTS: WebTimeouts = { requestMs: 30_000, headersMs: 15_000, keepAliveMs: 5_000 };

/**
 * Serves the portal and forwards /v1 and /healthz to the API, so the browser
 * talks to one origin and the session cookie stays first-party.
 */
export function buildWebServer(options: {
  apiUrl: string;
  publicDir: string;
  timeouts?: WebTimeouts;
}): http.Server {
  const api = new URL(options.apiUrl);
  const root = normalize(options.publicDir + sep);
  const t = options.timeouts ?? DEFAULT_TIMEOUTS;
  const headersTimeout = Math.min(t.headersMs, t.requestMs);
  const serverOptions: http.ServerOptions = {
    requestTimeout: t.requestMs,
    headersTimeout,
    keepAliveTimeout: t.keepAliveMs,
    // node:http enforces the two time-outs only when it checks its connections (every 30 s by default): checking
    // at a quarter of the shorter one bounds a slow client's hold to about 1.25× the time-out.
    connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(headersTimeout / 4))),
  };

  return http.createServer(serverOptions, (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/v1/') || path === '/v1' || path === '/healthz') {
      forward(req, res, api);
      return;
    }
    void serveFile(path, root, res);
  });
}

function forward(req: http.IncomingMessage, res: http.ServerResponse, api: URL): void {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k) && v !== undefined) headers[k] = v;
  headers.host = api.host;
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
  const upstream = http.request(
    { hostname: api.hostname, port: api.port || 80, path: req.url, method: req.method, headers },
    (up) => {
      const out: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(up.headers)) if (!HOP.has(k) && v !== undefined) out[k] = v;
      res.writeHead(up.statusCode ?? 502, out);
      up.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/problem+json' });
      res.end(
        JSON.stringify({ type: 'about:blank', title: 'API unreachable', status: 502, code: 'BAD_GATEWAY' }),
      );
    } else {
      res.destroy();
    }
  });
  req.pipe(upstream);
}

async function serveFile(urlPath: string, root: string, res: http.ServerResponse): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    res.writeHead(400).end();
    return;
  }
  let file = normalize(join(root, decoded));
  if (!file.startsWith(root)) {
    res.writeHead(404).end();
    return;
  }
  let info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    // Client-side routes all load the single page.
    file = join(root, 'index.html');
    info = await stat(file).catch(() => null);
    if (!info) {
      res.writeHead(404).end();
      return;
    }
  }
  const nonce = randomBytes(16).toString('base64');
  if (file.endsWith('index.html')) {
    const html = (await readFile(file, 'utf8')).replaceAll('__CSP_NONCE__', nonce);
    res.writeHead(200, {
      ...securityHeaders(nonce),
      'content-type': TYPES['.html'],
      'cache-control': 'no-cache',
    });
    res.end(html);
    return;
  }
  res.writeHead(200, {
    ...securityHeaders(nonce),
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'public, max-age=300',
  });
  await pipeline(createReadStream(file), res).catch(() => res.destroy());
}
