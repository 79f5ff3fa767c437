// Issue #17's "done when": a tenant admin who has never seen the portal sets up a receptionist IVR for a 10-person
// company through the portal only (extensions, a ring group, an after-hours voicemail box, a menu with a spoken
// greeting, business hours, the DID pointed at them), then asks "try it" what a call to the DID meets in and out of
// hours. Each step leaves a numbered screenshot (var/portal-screenshots/walkthrough-NN-*.png), passes axe-core and
// logs no console error; the final state is read back from the UI. The platform admin only makes the tenant, its
// administrator and its phone number, which tenant admins cannot do.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO } from '@pbx/db/seed';
import { checkPage } from './checks.js';
import { closePage, openPage, portal, signIn } from './harness.js';

const ACME = { name: 'Acme Ltd', domain: 'acme.pbx.local', timeZone: 'America/New_York', country: 'US' };
const OWNER = { email: 'owner@acme.example', password: 'acme-owner-password-1' };
const DID = '+12125550147';
const STAFF = [
  ['100', 'Reception'],
  ['101', 'Ann Sales'],
  ['102', 'Ben Sales'],
  ['103', 'Cat Sales'],
  ['104', 'Dan Support'],
  ['105', 'Eve Accounts'],
  ['106', 'Fay Accounts'],
  ['107', 'Gus Warehouse'],
  ['108', 'Hal Warehouse'],
  ['109', 'Ivy Director'],
] as const;

/** The platform admin's part, through the API as the portal's server forwards it: tenant, owner, phone number. */
async function platformSetup(): Promise<string> {
  const page = await openPage();
  await signIn(page, DEMO.admin.email, DEMO.admin.password);
  await page.getByRole('table', { name: 'Tenants' }).waitFor();
  const post = async (path: string, data: unknown) => {
    const res = await page.request.post(`${portal}${path}`, { data });
    assert.equal(res.status(), 201, `${path}: ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const tenant = await post('/v1/tenants', ACME);
  await post(`/v1/tenants/${tenant.id}/users`, { ...OWNER, name: 'Olive Owner', role: 'TENANT_ADMIN' });
  await post(`/v1/tenants/${tenant.id}/inbound-numbers`, {
    e164: DID,
    description: 'Main line',
    destination: { type: 'HANGUP' },
  });
  await closePage(page);
  return tenant.id;
}

void describe('portal: a new tenant admin sets up a receptionist IVR (issue #17)', () => {
  test('extensions, Sales ring group, after-hours box, Reception menu, business hours, the DID; try it', async () => {
    const tenantId = await platformSetup();
    const page = await openPage();
    // Every click, key press into a field and choice in a list the admin makes, counted for the report.
    let actions = 0;
    let step = 0;
    const shot = async (name: string) => {
      step += 1;
      await checkPage(page, `walkthrough-${String(step).padStart(2, '0')}-${name}`);
    };
    const click = async (role: 'button' | 'link', name: string) => {
      actions += 1;
      await page.getByRole(role, { name, exact: true }).click();
    };
    const fill = async (label: string, value: string) => {
      actions += 1;
      await page.getByLabel(label, { exact: true }).fill(value);
    };
    const pick = async (label: string, option: string) => {
      actions += 2;
      await page.getByRole('textbox', { name: label, exact: true }).click();
      await page.getByRole('option', { name: option, exact: true }).click();
    };
    const nav = (name: string) => click('link', name);

    // 1. Sign in: a new company lands on its (empty) extensions.
    await page.goto(portal);
    await fill('E-mail', OWNER.email);
    await fill('Password', OWNER.password);
    await click('button', 'Sign in');
    await page.getByText('No extensions yet').waitFor();
    assert.equal(new URL(page.url()).pathname, `/t/${tenantId}/extensions`);
    // The landing page lists the set-up steps in the order they depend on each other.
    const steps = page.getByRole('list', { name: 'Set-up steps' });
    // It appears once its six lists have loaded, which may be after the extensions table.
    await steps.getByRole('listitem').nth(5).waitFor();
    assert.equal(await steps.getByRole('listitem').count(), 6);
    assert.equal(await steps.getByText('done').count(), 0);
    await shot('signin');

    // 2. Ten extensions; after the first, the next number is already filled in.
    for (const [number, name] of STAFF) {
      if (number === STAFF[0][0]) await fill('Number', number);
      else assert.equal(await page.getByLabel('Number', { exact: true }).inputValue(), number);
      await fill('Display name', name);
      await click('button', 'Create extension');
      await page.getByRole('table', { name: 'Extensions' }).getByText(name).waitFor();
      await click('button', 'I have saved them');
    }
    await steps.getByText('done').waitFor();
    await shot('extensions');

    // 3. The Sales ring group rings the three salespeople at once; reached from the next set-up step.
    await nav('A ring group for a team that answers together');
    await page.getByText('No ring groups yet').waitFor();
    await nav('New ring group');
    await fill('Name', 'Sales');
    await fill('Number (optional)', '600');
    for (const [i, name] of ['101 · Ann Sales', '102 · Ben Sales', '103 · Cat Sales'].entries()) {
      await click('button', 'Add member');
      await pick(`Member ${i + 1}`, name);
    }
    await pick('When nobody answers, calls go to', 'Extension');
    await pick('When nobody answers, calls go to: which', '100 · Reception');
    await shot('ring-group');
    await click('button', 'Create ring group');
    await page.getByRole('button', { name: 'Save ring group' }).waitFor();

    // 4. A voicemail box for calls out of hours.
    await nav('Voicemail');
    await nav('New box');
    await fill('Number', '800');
    await fill('Name', 'After hours');
    await fill('PIN', '4826');
    await click('button', 'Create box');
    await page.getByRole('heading', { name: 'Voicemail 800 · After hours' }).waitFor();
    await shot('voicemail-box');

    // 5. The Reception menu: 1 Sales, 2 support, 0 the operator; silence or a wrong key also reach the operator.
    await nav('IVR menus');
    await page.getByText('No menus yet').waitFor();
    await nav('New menu');
    await fill('Name', 'Reception');
    await click('button', 'Add option');
    await pick('Key 1 goes to', 'Ring group');
    await pick('Key 1 goes to: which', '600 · Sales');
    await click('button', 'Add option');
    await pick('Key 2 goes to: which', '104 · Dan Support');
    await click('button', 'Add option');
    await fill('Option 3: key', '0');
    await pick('Key 0 goes to: which', '100 · Reception');
    await pick('No key pressed', 'Extension');
    await pick('No key pressed: which', '100 · Reception');
    await pick('Wrong key', 'Extension');
    await pick('Wrong key: which', '100 · Reception');
    await shot('menu');
    await click('button', 'Create menu');
    await page.getByRole('form', { name: 'Try it' }).waitFor();

    // 6. The greeting, spoken by the text-to-speech engine.
    await fill(
      'Or type what callers should hear',
      'Thank you for calling Acme. For sales press 1, for support press 2, for the operator press 0.',
    );
    await click('button', 'Use this text');
    await page.getByRole('button', { name: 'Play greeting' }).waitFor();
    await shot('greeting');

    // 7. Business hours, Monday to Friday 9 to 5 in the company's time zone: the menu while open, voicemail after.
    await nav('Time conditions');
    await nav('New time condition');
    await fill('Name', 'Business hours');
    await pick('While open, calls go to', 'IVR menu');
    await pick('While open, calls go to: which', 'Reception');
    await pick('While closed, calls go to: which', '800 · After hours');
    await page.getByText(`time zone, ${ACME.timeZone}`).waitFor();
    await click('button', 'Monday to Friday, 9 to 5');
    await click('button', 'Create time condition');
    await page.getByRole('button', { name: 'Save time condition' }).waitFor();
    await shot('business-hours');

    // 8. The phone number the platform assigned now rings through business hours.
    await nav('Numbers');
    await click('button', `Change ${DID}`);
    await pick('Calls go to', 'Time condition');
    await pick('Calls go to: which', 'Business hours');
    await click('button', 'Save');
    const number = page.getByTestId('number');
    await number.getByText('Rings: Time condition · Business hours').waitFor();
    await shot('number');
    // Set up: the steps leave the landing page.
    await nav('Extensions');
    await page.getByRole('table', { name: 'Extensions' }).waitFor();
    // Waits out a render from lists cached before the number was saved, should there be one.
    await page.getByRole('region', { name: 'Getting started' }).waitFor({ state: 'detached' });

    // 9. Try it: the DID on a Monday at 10:00 New York time reaches the menu, and 1 rings the Sales group ...
    await nav('IVR menus');
    await page.getByRole('table', { name: 'IVR menus' }).getByText('greeting').waitFor();
    await nav('Reception');
    await page.getByRole('form', { name: 'Try it' }).waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Dials' }).inputValue(), DID, 'the DID is offered');
    await fill('When', '2026-12-07T10:00');
    await fill('Presses', '1');
    await click('button', 'Try it');
    const result = page.getByTestId('explain-result');
    await result.getByText('10:00 AM (America/New_York)', { exact: false }).waitFor();
    const open = await result.innerText();
    assert.match(open, new RegExp(`inbound number \\${DID}`));
    assert.match(open, /time condition Business hours: .* -> match/);
    assert.equal(open.match(/IVR menu Reception/g)?.length, 1, 'the menu is named once');
    assert.match(open, /in Reception, pressed 1 \(option\):/);
    assert.match(open, /ring group Sales \(simultaneous\)/);
    assert.match(open, /ring 101 \+ 102 \+ 103/);
    await shot('try-it-open');

    // ... and at 20:00 the same call goes to the after-hours box.
    await fill('When', '2026-12-07T20:00');
    await click('button', 'Try it');
    await result.getByText('8:00 PM (America/New_York)', { exact: false }).waitFor();
    const closed = await result.innerText();
    assert.match(closed, /time condition Business hours: .* -> no match/);
    assert.match(closed, /voicemail box 800/);
    assert.doesNotMatch(closed, /IVR menu Reception/);
    await shot('try-it-closed');

    console.log(`walkthrough: ${actions} UI actions in ${step} steps`);
    await closePage(page);
  });
});
