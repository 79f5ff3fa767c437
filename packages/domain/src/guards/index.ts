export { liftBlock, type BlockLift } from './lift-block.js';
