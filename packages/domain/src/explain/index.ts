export { explainCall } from './explain-call.js';
export { loadSnapshotJson } from './load-snapshot.js';
