export { seedDemo, type SeedHashers, type SeedResult } from './seed.js';
export { DEMO } from './demo.js';
