// Page checks shared by the portal's browser tests of the admin pages.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEMO } from '@pbx/db/seed';
import {
  accessibilityViolations,
  horizontalOverflow,
  openPage,
  portal,
  SHOTS,
  signIn,
  type Tab,
} from './harness.js';

export const PHONE = { width: 390, height: 844 };

/** As a phone shows it: no horizontal scroll, no axe-core violations; the screenshot is kept. */
export async function checkPage(page: Tab, name: string): Promise<void> {
  assert.equal(await horizontalOverflow(page), 0, `${name}: no horizontal scroll`);
  assert.deepEqual(await accessibilityViolations(page), [], `${name}: axe-core`);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** The demo tenant's admin, signed in, on `path`. */
export async function adminOn(path: string, viewport?: { width: number; height: number }): Promise<Tab> {
  const page = await openPage(viewport);
  await signIn(page, DEMO.tenantAdmin.email, DEMO.tenantAdmin.password);
  await page
    .getByTestId('whoami')
    .or(page.getByRole('button', { name: 'Menu' }))
    .first()
    .waitFor();
  await page.goto(`${portal}${path}`);
  return page;
}
