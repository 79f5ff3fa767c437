// The keys of the mailbox menus; the prompts that announce them are vm-main-menu, vm-message-menu and
// vm-options-menu in packages/media/src/catalog.ts (keep both in step).
export const MAIN = { newMessages: '1', savedMessages: '2', options: '0', hangup: '*' } as const;
export const MESSAGE = { replay: '1', keep: '2', delete: '7', callBack: '8', next: '#', main: '*' } as const;
export const OPTIONS = { unavailable: '1', busy: '2', name: '3', pin: '4', main: '*' } as const;
