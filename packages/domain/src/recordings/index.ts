export { listRecordings, type RecordingFilter } from './list-recordings.js';
export { getRecording } from './get-recording.js';
export { getRecordingAudio } from './get-recording-audio.js';
export { deleteRecording } from './delete-recording.js';
export {
  reconcileRecordings,
  type ReconcileResult,
  type RecordingToProcess,
} from './reconcile-recordings.js';
export { findRecordingToProcess, markRecordingReady, markRecordingFailed } from './finish-recording.js';
