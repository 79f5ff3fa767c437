export { buildWorker, type WorkerApp, type WorkerDeps } from './app.js';
export { loadWorkerConfig, type WorkerConfig } from './config.js';
