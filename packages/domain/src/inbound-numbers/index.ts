export { createInboundNumber } from './create-inbound-number.js';
export { updateInboundNumber } from './update-inbound-number.js';
export { deleteInboundNumber } from './delete-inbound-number.js';
export { getInboundNumber } from './get-inbound-number.js';
export { listInboundNumbers } from './list-inbound-numbers.js';
