export { createGateway } from './create-gateway.js';
export { updateGateway } from './update-gateway.js';
export { deleteGateway } from './delete-gateway.js';
export { getGateway, listGateways } from './read-gateways.js';
export { listTenantTrunks, setTenantTrunks, type TenantTrunkView } from './tenant-trunks.js';
export type { GatewayView } from './gateway-view.js';
export { decryptSecret, encryptSecret, secretKeyFrom } from './secret-box.js';
