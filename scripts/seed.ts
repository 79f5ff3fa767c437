// `npm run db:seed`: the demo platform (idempotent). The seed data lives in
// @pbx/db; hashing comes from @pbx/domain, which db must not import.
import { ConfigError, env, parseEnv, z } from '@pbx/config';
import { createDb } from '@pbx/db';
import { DEMO, seedDemo } from '@pbx/db/seed';
import { hashSecret, sipA1Hash } from '@pbx/domain/security';

async function main(): Promise<void> {
  const { DATABASE_URL } = parseEnv(
    z.object({ DATABASE_URL: env.url(['postgres', 'postgresql'], 'postgresql://root@127.0.0.1:5432/pbx') }),
    process.env,
  );
  const db = createDb({ databaseUrl: DATABASE_URL, poolSize: 2 });
  try {
    const result = await seedDemo(db.prisma, { hashSecret, sipA1Hash });
    console.log(
      result.created
        ? `seeded demo tenant ${DEMO.tenant.domain} and platform admin ${DEMO.admin.email}`
        : 'demo data already present: nothing to do',
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError
      ? error.message
      : `seed failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
