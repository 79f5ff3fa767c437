export { createTenant } from './create-tenant.js';
export { updateTenant } from './update-tenant.js';
export { updateTenantSettings } from './update-tenant-settings.js';
export { scheduleTenantDeletion, restoreTenant } from './tenant-deletion.js';
export { purgeTenant, type PurgeOptions } from './purge-tenant.js';
export { getTenant } from './get-tenant.js';
export { listTenants } from './list-tenants.js';
