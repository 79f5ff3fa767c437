// Names people read (#14 item 12): normalized and free of invisible characters; searches that mean what they say;
// a query parameter given twice is a clear 400.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTenant, expectProblem, expectStatus, json, startApi } from './helpers.js';

const h = await startApi();
const t = await createTenant(h, 'Names');
const platform = h.client.as(h.platformKey);

/** Each looks like (or hides inside) an ordinary name in a list. */
const INVISIBLE: [string, string][] = [
  ['right-to-left override', 'Rtl\u202eTXT.exe'],
  ['bidi isolate', 'a\u2067b\u2069'],
  ['zero-width space', 'Ali\u200bce'],
  ['zero-width joiner', 'Bob\u200d'],
  ['byte-order mark inside', 'Ca\ufeffrol'],
  ['bell (control)', 'Dave\u0007'],
  ['newline (control)', 'Eve\nAdmin'],
  ['line separator', 'Frank\u2028Admin'],
];
const BLANK: [string, string][] = [
  ['spaces', '   '],
  ['tab and newline', '\t\n'],
  ['no-break and ideographic spaces', '\u00a0\u3000'],
];

let next = 200;
const newExtension = (body: Record<string, unknown>) =>
  t.api('POST', `${t.base}/extensions`, { body: { number: String(next++), ...body } });

void describe('names', () => {
  void test('invisible characters are refused in every kind of name, naming the field', async () => {
    for (const [what, value] of INVISIBLE) {
      const cases = [
        { res: await newExtension({ displayName: value }), field: 'displayName' },
        { res: await newExtension({ displayName: 'Ok', callerIdName: value }), field: 'callerIdName' },
        {
          res: await platform('POST', '/v1/tenants', { body: { name: value, domain: 'x.pbx.test' } }),
          field: 'name',
        },
        {
          res: await t.api('POST', `${t.base}/ring-groups`, {
            body: { name: value, fallback: { type: 'HANGUP' } },
          }),
          field: 'name',
        },
        {
          res: await t.api('POST', `${t.base}/time-conditions`, {
            body: {
              name: 'Hours',
              match: { type: 'HANGUP' },
              noMatch: { type: 'HANGUP' },
              ranges: [],
              holidays: [{ date: '2026-12-25', name: value }],
            },
          }),
          field: 'holidays.0.name',
        },
      ];
      for (const c of cases) {
        expectProblem(c.res, 400, 'VALIDATION_FAILED', c.field);
        assert.match(json(c.res).detail, /control, zero-width or bidi-override/, `${what} in ${c.field}`);
      }
    }
  });

  void test('a name that is only whitespace is refused as empty', async () => {
    for (const [what, value] of BLANK) {
      for (const body of [{ displayName: value }, { displayName: 'Ok', callerIdName: value }]) {
        const res = await newExtension(body);
        expectProblem(res, 400, 'VALIDATION_FAILED', 'callerIdName' in body ? 'callerIdName' : 'displayName');
        assert.match(json(res).detail, /must not be empty or only spaces/, what);
      }
    }
  });

  void test('names are stored trimmed and in NFC, so the same name is the same text', async () => {
    const res = await newExtension({
      displayName: '  Zoe\u0308 Mu\u0308ller ',
      callerIdName: '\u00a0Front desk\t',
    });
    expectStatus(res, 201);
    const ext = json(res);
    assert.equal(ext.displayName, 'Zo\u00eb M\u00fcller');
    assert.equal(ext.callerIdName, 'Front desk');
    const patched = json(
      await t.api('PATCH', `${t.base}/extensions/${ext.id}`, { body: { displayName: ' Zo\u00eb ' } }),
    );
    assert.equal(patched.displayName, 'Zo\u00eb');
  });
});

void describe('search', () => {
  void test('% and _ match only themselves', async () => {
    for (const displayName of ['Alpha One', 'Beta Two', 'Gamma_Three', '50% Off']) {
      expectStatus(await newExtension({ displayName }), 201);
    }
    const names = async (search: string) =>
      (
        json(await t.api('GET', `${t.base}/extensions`, { query: { search } })).items as {
          displayName: string;
        }[]
      )
        .map((e) => e.displayName)
        .sort();
    assert.deepEqual(await names('_'), ['Gamma_Three']);
    assert.deepEqual(await names('%'), ['50% Off']);
    assert.deepEqual(await names('a_t'), ['Gamma_Three']);
    assert.deepEqual(await names('a%'), []);
    assert.deepEqual(await names('\\'), []);
    assert.deepEqual(await names('beta'), ['Beta Two'], 'an ordinary search still finds, case-insensitively');

    // The same through another list: tenants (platform) by name.
    const tenants = json(await platform('GET', '/v1/tenants', { query: { search: '%' } })).items as unknown[];
    assert.equal(tenants.length, 0);
  });
});

void describe('query parameters', () => {
  void test('a parameter given twice is a 400 naming it, not "received NaN"', async () => {
    for (const [call, url, field] of [
      [t.api, `${t.base}/extensions?limit=1&limit=2`, 'limit'],
      [t.api, `${t.base}/extensions?search=a&search=b`, 'search'],
      [platform, '/v1/tenants?offset=0&offset=1', 'offset'],
    ] as const) {
      const res = await call('GET', url);
      expectProblem(res, 400, 'VALIDATION_FAILED', field);
      assert.match(json(res).detail, new RegExp(`${field} is given more than once`));
      assert.doesNotMatch(res.body, /NaN/);
    }
  });
});
