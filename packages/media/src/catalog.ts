// The built-in English prompt set: every prompt the IVR and voicemail runtimes play, with the text the
// text-to-speech engine speaks for it. The audio files are generated from this table (never recorded by
// hand), so adding a prompt here is all it takes to have it on every node.

const NUMBER_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
] as const;
const TENS_WORDS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'] as const;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const numbers = Object.fromEntries([
  ...NUMBER_WORDS.map((w, i) => [`num-${i}`, w]),
  ...TENS_WORDS.map((w, i) => [`num-${(i + 2) * 10}`, w]),
  ['num-hundred', 'hundred'],
  ['num-thousand', 'thousand'],
]) as Record<`num-${number}` | 'num-hundred' | 'num-thousand', string>;
const months = Object.fromEntries(MONTHS.map((m, i) => [`month-${i + 1}`, m])) as Record<
  `month-${number}`,
  string
>;
const weekdays = Object.fromEntries(WEEKDAYS.map((d, i) => [`weekday-${i}`, d])) as Record<
  `weekday-${number}`,
  string
>;

const phrases = {
  // general
  goodbye: 'Goodbye.',
  'please-hold': 'Please hold while we connect your call.',
  'error-try-later': 'Sorry, we cannot take your call right now. Please try again later.',
  'time-am': 'A M',
  'time-pm': 'P M',
  'time-oclock': "o'clock",
  'time-today': 'today',
  'time-yesterday': 'yesterday',
  'time-at': 'at',
  // outbound calls the platform refused (the dialplan plays them after the information tone)
  'outbound-barred':
    'Sorry, your call cannot be completed. Calls to this number are not allowed from your line.',
  'outbound-busy': 'Sorry, all lines for outside calls are in use. Please try again later.',
  'outbound-line-blocked':
    'Outside calls from your line have been stopped for your protection. Please contact your administrator.',
  // IVR
  'ivr-default-greeting': 'Welcome. Please enter the extension of the person you are calling.',
  'ivr-invalid': 'That is not a valid option.',
  'ivr-no-input': 'We did not receive your selection.',
  // voicemail deposit
  'vm-person-at-extension': 'The person at extension',
  'vm-not-available': 'is not available.',
  'vm-is-busy': 'is on the phone.',
  'vm-leave-message':
    'Please leave your message after the tone. When you are finished, hang up or press the pound key.',
  'vm-box-full': 'Sorry, this mailbox is full and cannot take new messages.',
  'vm-message-saved': 'Your message has been saved. Goodbye.',
  // voicemail check
  'vm-enter-box': 'Please enter your mailbox number, followed by the pound key.',
  'vm-enter-pin': 'Please enter your PIN, followed by the pound key.',
  'vm-login-incorrect': 'Login incorrect.',
  'vm-locked': 'This mailbox is locked after too many failed attempts. Please try again later.',
  'vm-you-have': 'You have',
  'vm-new-message': 'new message',
  'vm-new-messages': 'new messages',
  'vm-saved-message': 'saved message',
  'vm-saved-messages': 'saved messages',
  'vm-and': 'and',
  'vm-no-more-messages': 'You have no more messages.',
  'vm-message-from': 'Message from',
  'vm-unknown-caller': 'an unknown caller',
  'vm-received': 'received',
  // voicemail menus (keys as apps/controller/src/voicemail/keys.ts maps them)
  'vm-main-menu':
    'To listen to your new messages, press 1. For saved messages, press 2. For mailbox options, press 0. To hang up, press star.',
  'vm-message-menu':
    'To hear this message again, press 1. To keep it, press 2. To delete it, press 7. To call back, press 8. For the next message, press pound. For the main menu, press star.',
  'vm-options-menu':
    'To record your unavailable greeting, press 1. Your busy greeting, press 2. Your name, press 3. To change your PIN, press 4. For the main menu, press star.',
  'vm-record-greeting': 'Record your greeting after the tone. When you are finished, press the pound key.',
  'vm-greeting-saved': 'Your greeting has been saved.',
  'vm-enter-new-pin': 'Please enter your new PIN of 4 to 12 digits, followed by the pound key.',
  'vm-pin-changed': 'Your PIN has been changed.',
  'vm-message-kept': 'Message saved.',
  'vm-message-deleted': 'Message deleted.',
  'vm-no-messages': 'You have no messages.',
} as const;

export const PROMPTS = { ...numbers, ...months, ...weekdays, ...phrases };
export type PromptName =
  keyof typeof phrases | keyof typeof numbers | keyof typeof months | keyof typeof weekdays;

export function isPromptName(name: string): name is PromptName {
  return Object.hasOwn(PROMPTS, name);
}

/** The tone callers hear before recording starts (FreeSWITCH's tone_stream, no file needed). */
export const BEEP = 'tone_stream://%(500,0,1000)';
