// What parsing every loaded tenant snapshot with TenantSnapshotSchema costs, against the load's own query, measured in
// the same run on the same snapshot. Tenants of 50 and 500 extensions (each with a forward, a box and a ring group
// member), in a fresh database.
//   node --import tsx apps/controller/bench/snapshot-load.bench.ts
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '@pbx/db';
import { TenantSnapshotSchema } from '@pbx/domain/routing';
import { loadSnapshotJson } from '../src/snapshot-loader.js';
import { createBenchDatabase } from '@pbx/testing/bench-database';

const SIZES = [50, 500];
const ROUNDS = 200;

async function seedTenant(prisma: Db, extensions: number): Promise<string> {
  const domain = `t${extensions}.bench.example`;
  const tenant = await prisma.tenant.create({ data: { id: randomUUID(), name: domain, domain } });
  await prisma.$executeRawUnsafe(
    `INSERT INTO "VoicemailBox" ("id", "tenantId", "number", "name", "pinHash", "updatedAt")
     SELECT gen_random_uuid(), $1::uuid, (1000 + e)::text, 'Box ' || e, 'x', now() FROM generate_series(0, ${extensions - 1}) e`,
    tenant.id,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO "Extension" ("id", "tenantId", "number", "displayName", "sipA1Hash", "voicemailBoxId",
       "forwardNoAnswerType", "forwardNoAnswerValue", "updatedAt")
     SELECT gen_random_uuid(), $1::uuid, b."number", 'Ext ' || b."number", md5(b."number"), b."id", 'VOICEMAIL', b."id", now()
     FROM "VoicemailBox" b WHERE b."tenantId" = $1::uuid`,
    tenant.id,
  );
  const group = await prisma.ringGroup.create({
    data: { tenantId: tenant.id, name: 'All', number: '600', fallbackDestType: 'HANGUP' },
  });
  await prisma.$executeRawUnsafe(
    `INSERT INTO "RingGroupMember" ("id", "tenantId", "ringGroupId", "extensionId", "position")
     SELECT gen_random_uuid(), $1::uuid, $2::uuid, e."id", row_number() OVER (ORDER BY e."number") FROM "Extension" e WHERE e."tenantId" = $1::uuid`,
    tenant.id,
    group.id,
  );
  return domain;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const database = await createBenchDatabase('snapbench');
  const db = createDb({ databaseUrl: database.url, poolSize: 2 });
  try {
    console.log('extensions  query ms (median)  parse ms (median)  parse / query');
    for (const size of SIZES) {
      const domain = await seedTenant(db.prisma, size);
      const query: number[] = [];
      const parse: number[] = [];
      // Query and parse alternate, so background load on the machine hits both alike.
      for (let i = 0; i < ROUNDS; i++) {
        const t0 = performance.now();
        const json = await loadSnapshotJson(db.prisma, domain);
        const t1 = performance.now();
        const parsed = TenantSnapshotSchema.parse(json);
        const t2 = performance.now();
        if (parsed.extensions.length !== size)
          throw new Error(`loaded ${parsed.extensions.length} extensions`);
        if (i >= 10) {
          query.push(t1 - t0);
          parse.push(t2 - t1);
        }
      }
      const q = median(query);
      const p = median(parse);
      console.log(
        `${String(size).padStart(10)}  ${q.toFixed(2).padStart(16)}  ${p.toFixed(3).padStart(17)}  ${(p / q).toFixed(3).padStart(13)}`,
      );
    }
  } finally {
    await db.close();
    await database.drop();
  }
}

await main();
