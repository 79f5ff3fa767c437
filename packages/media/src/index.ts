export { BEEP, PROMPTS, isPromptName, type PromptName } from './catalog.js';
export { GreetingKind, mediaLayout, type MediaLayout } from './layout.js';
export { sayDateTime, sayDigits, sayNumber } from './say.js';
