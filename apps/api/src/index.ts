export { buildApi, type ApiDeps } from './app.js';
export { loadConfig, type ApiConfig } from './config.js';
