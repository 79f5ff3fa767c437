export { explainCall } from './explain-call.js';
export { loadSnapshotJson } from './load-snapshot.js';
export { explainTrunks, type ExplainedTrunk, type GatewayStatesOf } from './trunk-states.js';
