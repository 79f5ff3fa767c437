// The portal in a real headless Chromium (Debian's package, driven by
// playwright-core), served by the portal's own server in front of the real API.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createDb } from '@pbx/db';
import { DEMO, seedDemo } from '@pbx/db/seed';
import { hashSecret, sipA1Hash } from '@pbx/domain/security';
import { createTestDatabase, TEST_REDIS_URL, testRedisPrefix } from '@pbx/testing';
import { Redis } from 'ioredis';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApi } from '../../apps/api/src/app.js';
import { loadConfig } from '../../apps/api/src/config.js';
import { buildWebServer } from '../../apps/web/src/server/app.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Set up at the top level, not in before(): createTestDatabase registers its
// own after() hook, which inside a before() would drop the database at once.
const outDir = await mkdtemp(join(tmpdir(), 'pbx-portal-'));
after(() => rm(outDir, { recursive: true, force: true }));
const built = spawnSync(process.execPath, ['apps/web/build.mjs', outDir], { cwd: root, encoding: 'utf8' });
assert.equal(built.status, 0, built.stderr);

const database = await createTestDatabase();
const db = createDb({ databaseUrl: database.url, poolSize: 4 });
await seedDemo(db.prisma, { hashSecret, sipA1Hash });
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });
const config = loadConfig({
  DATABASE_URL: database.url,
  REDIS_URL: TEST_REDIS_URL,
  REDIS_PREFIX: testRedisPrefix(),
  LOG_LEVEL: 'silent',
});
const api = await buildApi({ config, prisma: db.prisma, redis, logger: { level: 'error' } });
await api.listen({ port: 0, host: '127.0.0.1' });
const apiPort = (api.server.address() as AddressInfo).port;

const web = buildWebServer({
  apiUrl: `http://127.0.0.1:${apiPort}`,
  publicDir: join(outDir, 'public'),
});
await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
const portal = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;

const browser: Browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
after(async () => {
  await browser.close();
  web.closeAllConnections();
  await new Promise((resolve) => web.close(resolve));
  await api.close();
  redis.disconnect();
  await db.close();
});

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(portal);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('portal', () => {
  test('a wrong password is refused with a message and no session', async () => {
    const page = await browser.newPage();
    await signIn(page, DEMO.admin.email, 'not-the-password');
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /invalid|incorrect|wrong/i);
    assert.equal(await page.getByTestId('whoami').count(), 0);
    await page.close();
  });

  test('the platform admin signs in, sees the tenants and opens the demo tenant', async () => {
    const page = await browser.newPage();
    await signIn(page, DEMO.admin.email, DEMO.admin.password);
    await page.getByTestId('whoami').waitFor();
    assert.match(await page.getByTestId('whoami').innerText(), /admin@pbx\.local · platform admin/);
    await page.getByRole('button', { name: DEMO.tenant.name }).click();
    const table = page.getByRole('table', { name: 'Extensions' });
    await table.waitFor();
    const text = await table.innerText();
    for (const ext of DEMO.extensions) assert.match(text, new RegExp(`${ext.number}\\s+${ext.displayName}`));
    await page.screenshot({ path: `${root}var/portal-tenant.png` }).catch(() => undefined);
    await page.close();
  });

  test('a tenant admin creates an extension and is shown its SIP password once; the session survives a reload', async () => {
    const page = await browser.newPage();
    await signIn(page, DEMO.tenantAdmin.email, DEMO.tenantAdmin.password);
    await page.getByRole('table', { name: 'Extensions' }).waitFor();
    await page.getByLabel('Number').fill('1042');
    await page.getByLabel('Display name').fill('Dana Desk');
    await page.getByRole('button', { name: 'Create extension' }).click();
    const creds = page.getByTestId('sip-credentials');
    await creds.waitFor();
    const shown = await creds.innerText();
    assert.match(shown, /user 1042 · domain demo\.pbx\.local/);
    const password = /· password (\S+)/.exec(shown)?.[1] ?? '';
    assert.ok(password.length >= 16, `a strong password is shown: ${shown}`);
    await page.getByRole('cell', { name: 'Dana Desk' }).waitFor();

    // A duplicate number gets the API's message naming the field.
    await page.getByLabel('Number').fill('1042');
    await page.getByLabel('Display name').fill('Again');
    await page.getByRole('button', { name: 'Create extension' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /number/i);

    await page.reload();
    await page.getByRole('table', { name: 'Extensions' }).waitFor();
    assert.ok((await page.content()).includes('Dana Desk'));
    assert.ok(!(await page.content()).includes(password), 'the password is never shown again');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.close();
  });
});
