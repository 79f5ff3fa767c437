// `npm run db:migrate` and `npm run db:new-migration -- <name>`.
import { fileURLToPath } from 'node:url';
import { ConfigError, parseEnv, z, env } from '@pbx/config';
import { applyMigrations, createMigration } from './migrations.js';

const prismaDir = fileURLToPath(new URL('../../../../prisma', import.meta.url));

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const { DATABASE_URL } = parseEnv(
    z.object({ DATABASE_URL: env.url(['postgres', 'postgresql'], 'postgresql://root@127.0.0.1:5432/pbx') }),
    process.env,
  );
  if (command === 'apply') {
    const applied = await applyMigrations({ databaseUrl: DATABASE_URL, prismaDir });
    console.log(applied.length === 0 ? 'database is up to date' : `applied: ${applied.join(', ')}`);
    return;
  }
  if (command === 'new') {
    if (!name) throw new ConfigError('usage: npm run db:new-migration -- <name>');
    const folder = await createMigration({ databaseUrl: DATABASE_URL, prismaDir, name });
    console.log(
      folder ? `created prisma/migrations/${folder}/migration.sql` : 'schema unchanged: no migration created',
    );
    return;
  }
  throw new ConfigError('usage: cli.ts apply | new <name>');
}

// The WebAssembly engine leaves a timer behind for ~10 s after it is freed;
// exit as soon as the work is done rather than wait for it.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(error.message);
    } else {
      console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.exit(1);
  },
);
