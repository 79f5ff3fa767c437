export { createIvrMenu } from './create-ivr-menu.js';
export { updateIvrMenu } from './update-ivr-menu.js';
export { deleteIvrMenu } from './delete-ivr-menu.js';
export { getIvrMenu } from './get-ivr-menu.js';
export { listIvrMenus } from './list-ivr-menus.js';
export type { IvrMenuWithOptions } from './types.js';
export { loadIvrMenuForCall, type IvrCallMenu } from './load-ivr-menu-for-call.js';
