export { createTenant } from './create-tenant.js';
export { updateTenant } from './update-tenant.js';
export { deleteTenant } from './delete-tenant.js';
export { getTenant } from './get-tenant.js';
export { listTenants } from './list-tenants.js';
