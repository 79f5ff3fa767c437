export { createUser } from './create-user.js';
export { updateUser } from './update-user.js';
export { deleteUser } from './delete-user.js';
export { getUser } from './get-user.js';
export { listUsers } from './list-users.js';
