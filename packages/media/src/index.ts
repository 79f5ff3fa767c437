export {
  AUDIO_FORMAT,
  DEFAULT_VOICE,
  UPLOAD_CONTAINERS,
  checkUpload,
  convertToStoredFormat,
  probeAudio,
  publishFile,
  speakToFile,
  storedDurationSec,
  tempPathFor,
  type AudioInfo,
  type UploadCheck,
  type Voice,
} from './audio.js';
export { BEEP, PROMPTS, isPromptName, type PromptName } from './catalog.js';
export { GreetingKind, mediaLayout, type MediaLayout } from './layout.js';
export { ensurePromptSet, type PromptSetOptions, type PromptSetResult } from './prompt-set.js';
export { sayDateTime, sayDigits, sayNumber } from './say.js';
export { fileExists, sweepTempFiles } from './files.js';
export { AudioToolError, assertToolsInstalled, runTool, type AudioTool } from './tools.js';
