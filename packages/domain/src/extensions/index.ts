export { createExtension } from './create-extension.js';
export { updateExtension } from './update-extension.js';
export { resetExtensionPassword } from './reset-extension-password.js';
export { deleteExtension } from './delete-extension.js';
export { getExtension } from './get-extension.js';
export { listExtensions } from './list-extensions.js';
