export { createExtension } from './create-extension.js';
export { updateExtension } from './update-extension.js';
export { setExtensionDnd } from './set-extension-dnd.js';
export { setExtensionForward, type ForwardKind } from './set-extension-forward.js';
export { EXTENSION_OWNER_FIELDS } from './change-extension.js';
export { resetExtensionPassword } from './reset-extension-password.js';
export { deleteExtension } from './delete-extension.js';
export { getExtension } from './get-extension.js';
export { listExtensions } from './list-extensions.js';
