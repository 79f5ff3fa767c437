export { listRecordings, type RecordingFilter } from './list-recordings.js';
export { getRecording } from './get-recording.js';
export { getRecordingAudio } from './get-recording-audio.js';
export { deleteRecording } from './delete-recording.js';
export { findRecordingToProcess, markRecordingReady, markRecordingFailed } from './finish-recording.js';
