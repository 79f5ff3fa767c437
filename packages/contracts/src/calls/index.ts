export * from './cdr-ingest.js';
export * from './registration.js';
export * from './live-call.js';
export * from './views.js';
