export { applyMigrations, createMigration, readMigrationsList, type MigrateOptions } from './migrations.js';
