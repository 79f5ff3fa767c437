import assert from 'node:assert/strict';
import { after } from 'node:test';
import type { Notification } from '@pbx/contracts';
import { createDb, type Db } from '@pbx/db';
import { createStorage } from '@pbx/storage';
import { createTestDatabase } from '@pbx/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemActor, type Actor, type PlatformContext, type TenantContext } from '../src/context.js';
import { AppError } from '../src/errors.js';
import { createTenant } from '../src/tenants/create-tenant.js';

/** The domain over this file's own database, with a notify port that records what it is told. */
export async function domainHarness() {
  const database = await createTestDatabase();
  const { prisma, close } = createDb({ databaseUrl: database.url, poolSize: 3 });
  after(close);
  // A local storage of this file's own, for the writes that remove stored copies.
  const storageDir = mkdtempSync(join(tmpdir(), 'pbx-domain-storage-'));
  const storage = createStorage({
    STORAGE_BACKEND: 'local',
    STORAGE_DIR: storageDir,
    S3_REGION: 'us-east-1',
    S3_FORCE_PATH_STYLE: false,
  });
  after(() => {
    storage.close();
    rmSync(storageDir, { recursive: true, force: true });
  });
  const notifications: Notification[] = [];
  const notify = (n: Notification): Promise<void> => {
    notifications.push(n);
    return Promise.resolve();
  };
  const platform: PlatformContext = { db: prisma, notify, actor: systemActor };
  const tenantCtx = (tenant: { id: string; domain: string }, actor: Partial<Actor> = {}): TenantContext => ({
    db: prisma,
    notify,
    actor: { ...systemActor, role: 'TENANT_ADMIN', tenantId: tenant.id, ...actor },
    tenantId: tenant.id,
    domain: tenant.domain,
  });
  return { prisma: prisma as Db, notifications, platform, tenantCtx, createTenant, storage };
}

/** Runs `fn`, expects an AppError with this code (and field), and returns it. */
export async function refused(fn: () => Promise<unknown>, code: string, field?: string): Promise<AppError> {
  const error = await fn().then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AppError, String(error));
  assert.equal(error.code, code, error.message);
  if (field !== undefined) assert.equal(error.field, field, error.message);
  return error;
}
