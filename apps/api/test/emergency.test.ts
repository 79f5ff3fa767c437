// Issue #16 (and #14 item 7): emergency numbers of the tenant's country are reserved for extensions, ring groups
// and IVR menus; the emergency callback number must be the tenant's own, like every caller ID; the location fields
// and the trunk's location header are validated.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createTenant, expectProblem, expectStatus, json, startApi, type Tenant } from './helpers.js';

const h = await startApi();
const platform = h.client.as(h.platformKey);

void describe('emergency numbers and settings', () => {
  let gb: Tenant;
  let us: Tenant;
  before(async () => {
    gb = await createTenant(h, 'EmGb', { country: 'GB', defaultCallerIdNumber: '+442071838750' });
    us = await createTenant(h, 'EmUs', { country: 'US', defaultCallerIdNumber: '+12125550100' });
    for (const [t, e164] of [
      [gb, '+442071838750'],
      [us, '+12125550100'],
    ] as const)
      expectStatus(
        await platform('POST', `${t.base}/inbound-numbers`, {
          body: { e164, destination: { type: 'HANGUP' } },
        }),
        201,
      );
  });

  void test("the tenant country's emergency numbers are refused as extension, ring group and IVR numbers", async () => {
    for (const number of ['999', '112'])
      expectProblem(
        await gb.api('POST', `${gb.base}/extensions`, { body: { number, displayName: 'x' } }),
        400,
        'VALIDATION_FAILED',
        'number',
      );
    expectProblem(
      await gb.api('POST', `${gb.base}/ring-groups`, {
        body: { name: 'g', number: '999', fallback: { type: 'HANGUP' } },
      }),
      400,
      'VALIDATION_FAILED',
      'number',
    );
    expectProblem(
      await gb.api('POST', `${gb.base}/ivr-menus`, {
        body: {
          name: 'm',
          number: '112',
          timeoutDestination: { type: 'HANGUP' },
          invalidDestination: { type: 'HANGUP' },
        },
      }),
      400,
      'VALIDATION_FAILED',
      'number',
    );
    // 911 is no emergency number in GB, but is in the US.
    expectStatus(
      await gb.api('POST', `${gb.base}/extensions`, { body: { number: '911', displayName: 'x' } }),
      201,
    );
    expectProblem(
      await us.api('POST', `${us.base}/extensions`, { body: { number: '911', displayName: 'x' } }),
      400,
      'VALIDATION_FAILED',
      'number',
    );
  });

  void test('a country change that would make a used number an emergency number is refused (409 naming country)', async () => {
    // GB's extension 911 would become the US emergency number.
    expectProblem(
      await platform('PATCH', `/v1/tenants/${gb.id}`, { body: { country: 'US' } }),
      409,
      'CONFLICT',
      'country',
    );
    expectStatus(await platform('PATCH', `/v1/tenants/${gb.id}`, { body: { country: 'IE' } }), 200);
    expectStatus(await platform('PATCH', `/v1/tenants/${gb.id}`, { body: { country: 'GB' } }), 200);
  });

  void test('the emergency callback number must be the tenant’s own: another tenant’s is a 400', async () => {
    const ok = await gb.api('POST', `${gb.base}/extensions`, {
      body: {
        number: '2001',
        displayName: 'Desk',
        emergencyCallerIdNumber: '+442071838750',
        emergencyLocation: 'SITE-HQ-FLOOR-3',
      },
    });
    expectStatus(ok, 201);
    assert.equal(json(ok).emergencyLocation, 'SITE-HQ-FLOOR-3');
    expectProblem(
      await gb.api('POST', `${gb.base}/extensions`, {
        body: { number: '2002', displayName: 'x', emergencyCallerIdNumber: '+12125550100' },
      }),
      400,
      'VALIDATION_FAILED',
      'emergencyCallerIdNumber',
    );
    expectProblem(
      await gb.api('PATCH', `${gb.base}/extensions/${json(ok).id}`, {
        body: { emergencyCallerIdNumber: '+12125550100' },
      }),
      400,
      'VALIDATION_FAILED',
      'emergencyCallerIdNumber',
    );
    // Tenant-wide: the platform sets it, the same rule applies.
    expectProblem(
      await platform('PATCH', `/v1/tenants/${gb.id}`, { body: { emergencyCallerIdNumber: '+12125550100' } }),
      400,
      'VALIDATION_FAILED',
      'emergencyCallerIdNumber',
    );
    const set = await platform('PATCH', `/v1/tenants/${gb.id}`, {
      body: { emergencyCallerIdNumber: '+442071838750', emergencyLocation: 'SITE-HQ' },
    });
    expectStatus(set, 200);
    assert.equal(json(set).emergencyLocation, 'SITE-HQ');
    // Verified by a platform admin for the tenant: accepted.
    expectStatus(
      await platform('POST', `${gb.base}/verified-caller-ids`, { body: { e164: '+442079460001' } }),
      201,
    );
    expectStatus(
      await gb.api('PATCH', `${gb.base}/extensions/${json(ok).id}`, {
        body: { emergencyCallerIdNumber: '+442079460001' },
      }),
      200,
    );
  });

  void test('location identifiers and location headers are checked (they go into SIP headers)', async () => {
    for (const emergencyLocation of ['${system(rm)}', 'a\r\nVia: x', '', 'x'.repeat(201)])
      expectProblem(
        await gb.api('POST', `${gb.base}/extensions`, {
          body: { number: '2003', displayName: 'x', emergencyLocation },
        }),
        400,
        'VALIDATION_FAILED',
        'emergencyLocation',
      );
    for (const locationHeader of ['Via', 'X-Bad Header', 'X-a\r\nb'])
      expectProblem(
        await platform('POST', '/v1/gateways', {
          body: { name: 'em-gw', host: 'sip.example.com', locationHeader },
        }),
        400,
        'VALIDATION_FAILED',
        'locationHeader',
      );
    const gw = await platform('POST', '/v1/gateways', {
      body: {
        name: 'em-gw',
        host: 'sip.example.com',
        locationHeader: 'X-Emergency-Location',
        emergencyFallback: true,
      },
    });
    expectStatus(gw, 201);
    assert.equal(json(gw).locationHeader, 'X-Emergency-Location');
    assert.equal(json(gw).emergencyFallback, true);
    // Platform admins only.
    expectProblem(
      await gb.api('POST', '/v1/gateways', { body: { name: 'em-gw2', host: 'sip.example.com' } }),
      403,
      'FORBIDDEN',
    );
  });
});
