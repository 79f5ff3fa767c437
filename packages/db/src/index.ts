export { createDb, type Db, type DbHandle } from './client.js';
export * from './generated/prisma/client.js';
