export { deleteGreeting } from './delete-greeting.js';
export { getGreetingAudio } from './get-greeting-audio.js';
export {
  storeGreeting,
  type GreetingLimits,
  type GreetingSource,
  type StoredGreeting,
} from './store-greeting.js';
export { greetingPath, type GreetingTarget } from './target.js';
