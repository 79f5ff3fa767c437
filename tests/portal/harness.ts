// The portal in a real headless Chromium (Debian's package, driven by playwright-core), served by the portal's
// own server in front of the real API on a real PostgreSQL database. Shared by the portal's browser tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createDb } from '@pbx/db';
import { seedDemo } from '@pbx/db/seed';
import { hashSecret, sipA1Hash } from '@pbx/domain/security';
import { createTestDatabase, TEST_REDIS_URL, testRedisPrefix } from '@pbx/testing';
import { Redis } from 'ioredis';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApi } from '../../apps/api/src/app.js';
import { loadConfig } from '../../apps/api/src/config.js';
import { buildWebServer } from '../../apps/web/src/server/app.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of the main pages, kept after the run (var/ is git-ignored). */
export const SHOTS = join(root, 'var/portal-screenshots');
await mkdir(SHOTS, { recursive: true });

// Set up at the top level, not in before(): createTestDatabase registers its
// own after() hook, which inside a before() would drop the database at once.
const outDir = await mkdtemp(join(tmpdir(), 'pbx-portal-'));
after(() => rm(outDir, { recursive: true, force: true }));
const built = spawnSync(process.execPath, ['apps/web/build.mjs', outDir], { cwd: root, encoding: 'utf8' });
assert.equal(built.status, 0, built.stderr);

const database = await createTestDatabase();
export const db = createDb({ databaseUrl: database.url, poolSize: 4 });
await seedDemo(db.prisma, { hashSecret, sipA1Hash });
/** The API's Redis and key prefix: tests put there what the controller would (registrations, live calls). */
export const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });
export const redisPrefix = testRedisPrefix();
const config = loadConfig({
  DATABASE_URL: database.url,
  REDIS_URL: TEST_REDIS_URL,
  REDIS_PREFIX: redisPrefix,
  LOG_LEVEL: 'silent',
  MEDIA_DIR: join(outDir, 'media'),
  // Every browser signs in from 127.0.0.1.
  LOGIN_RATE_LIMIT_PER_MIN: '1000',
  LOGIN_MAX_FAILURES: '3',
  // Trunk passwords are stored encrypted: without a key the API refuses registering trunks.
  GATEWAY_SECRET_KEY: randomBytes(32).toString('base64'),
});
await mkdir(join(outDir, 'media'), { recursive: true });
const api = await buildApi({ config, prisma: db.prisma, redis, logger: { level: 'error' } });
await api.listen({ port: 0, host: '127.0.0.1' });
const web = buildWebServer({
  apiUrl: `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`,
  publicDir: join(outDir, 'public'),
});
await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
export const portal = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;

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

// The API's expected refusals (a wrong password, a taken number) are answers the page shows; Chromium still logs
// each as "Failed to load resource". Anything else logged as an error (a CSP violation, an exception) fails.
const EXPECTED_REFUSAL =
  /^Failed to load resource: the server responded with a status of (?:400|401|403|404|409|423)/;

export type Tab = Page & { errors: string[] };

/**
 * A fresh browser context (own cookies) and page that records console errors and uncaught exceptions; `clock`
 * gives the browser another time zone and language than the machine's.
 */
export async function openPage(
  viewport = { width: 1280, height: 900 },
  clock: { timezoneId?: string; locale?: string } = {},
): Promise<Tab> {
  const context = await browser.newContext({ viewport, ...clock });
  const page = (await context.newPage()) as Tab;
  page.errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !EXPECTED_REFUSAL.test(m.text())) page.errors.push(m.text());
  });
  page.on('pageerror', (e) => page.errors.push(e.message));
  return page;
}

export async function closePage(page: Tab): Promise<void> {
  assert.deepEqual(page.errors, [], 'no console errors');
  await page.context().close();
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(portal);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2 A/AA rules on the page as it is; evaluated over the DevTools protocol, so the CSP stays on. */
export async function accessibilityViolations(page: Tab): Promise<string[]> {
  const before = page.errors.length;
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    type Axe = {
      run: (o: unknown) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }>;
    };
    const axe = (globalThis as unknown as { axe: Axe }).axe;
    const r = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return r.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
  });
  // axe-core compiles its message templates with new Function(), which the portal's CSP (rightly) refuses; those
  // refusals, logged while axe ran, are axe's and not the portal's.
  const theirs = page.errors
    .splice(before)
    .filter((e) => !/unsafe-eval|'script-src' was not explicitly set/.test(e));
  page.errors.push(...theirs);
  return found;
}

/** The page is no wider than the viewport (no horizontal scroll). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const html = (
      globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
    ).document.documentElement;
    return html.scrollWidth - html.clientWidth;
  });
}
