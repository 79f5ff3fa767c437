export { createDb, DB_DEFAULTS, type Db, type DbHandle, type DbHealth, type DbOptions } from './client.js';
export * from './generated/prisma/client.js';
