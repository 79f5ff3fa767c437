import { fileURLToPath } from 'node:url';
import { buildWebServer } from './app.js';
import { loadWebConfig } from './config.js';

let config;
try {
  config = loadWebConfig();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const publicDir = fileURLToPath(new URL('./public', import.meta.url));
const server = buildWebServer({
  apiUrl: config.API_URL,
  publicDir,
  timeouts: {
    requestMs: config.WEB_REQUEST_TIMEOUT_MS,
    headersMs: config.WEB_HEADERS_TIMEOUT_MS,
    keepAliveMs: config.WEB_KEEP_ALIVE_TIMEOUT_MS,
  },
});
server.listen(config.WEB_PORT, config.WEB_HOST, () => {
  console.log(`portal on http://${config.WEB_HOST}:${config.WEB_PORT} (API ${config.API_URL})`);
});
const stop = (): void => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5_000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
