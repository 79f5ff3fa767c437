export { createApiKey } from './create-api-key.js';
export { revokeApiKey } from './revoke-api-key.js';
export { getApiKey } from './get-api-key.js';
export { listApiKeys } from './list-api-keys.js';
