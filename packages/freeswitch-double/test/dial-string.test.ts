// The dial-string grammar of FreeSWITCH 1.10 (switch_ivr_originate.c switch_ivr_originate, switch_event.c
// switch_event_create_brackets, switch_utils.c switch_separate_string) as the double's `bridge` parses it, on the
// strings the controller renders (apps/controller/src/dialplan-lines.ts) and on the corners of the syntax.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DialStringError, legVariables, parseDialString, separate } from '@pbx/freeswitch-double';

void test('simultaneous ring: {} variables for every leg, legs split on commas outside []', () => {
  const d = parseDialString(
    '{leg_timeout=20}[pbx_extension=1002]user/1002@acme.test,[pbx_extension=1003]user/1003@acme.test',
  );
  assert.deepEqual(d.globals, [['leg_timeout', '20']]);
  assert.deepEqual(d.groups, [
    [
      { endpoint: 'user', target: '1002@acme.test', vars: [['pbx_extension', '1002']] },
      { endpoint: 'user', target: '1003@acme.test', vars: [['pbx_extension', '1003']] },
    ],
  ]);
});

void test('sequential ring: | separates failover groups; the commas inside [] separate variables, not legs', () => {
  const d = parseDialString(
    '[leg_timeout=10,pbx_extension=1002]user/1002@acme.test|[leg_timeout=20,pbx_extension=1001]user/1001@acme.test',
  );
  assert.deepEqual(d.globals, []);
  assert.deepEqual(
    d.groups.map((g) => g.map((l) => [l.target, l.vars])),
    [
      [
        [
          '1002@acme.test',
          [
            ['leg_timeout', '10'],
            ['pbx_extension', '1002'],
          ],
        ],
      ],
      [
        [
          '1001@acme.test',
          [
            ['leg_timeout', '20'],
            ['pbx_extension', '1001'],
          ],
        ],
      ],
    ],
  );
});

void test('^^<char> changes the separator of a set, so values may hold commas', () => {
  const g = parseDialString('{^^:a=b:c=d}user/1@x.test');
  assert.deepEqual(g.globals, [
    ['a', 'b'],
    ['c', 'd'],
  ]);
  const l = parseDialString('[^^:codecs=PCMU,PCMA:x=1]user/1@x.test,user/2@x.test');
  assert.equal(l.groups[0]?.length, 2);
  assert.deepEqual(l.groups[0]?.[0]?.vars, [
    ['codecs', 'PCMU,PCMA'],
    ['x', '1'],
  ]);
  assert.deepEqual(parseDialString("{a='x,y',b=c}user/1@x.test").globals, [
    ['a', 'x,y'],
    ['b', 'c'],
  ]);
});

void test('several sets in a row, leading blanks, a gateway and an error leg', () => {
  const d = parseDialString(' {a=1}{b=2} [c=3][d=4]sofia/gateway/trunk-a/+15551234,error/USER_BUSY');
  assert.deepEqual(d.globals, [
    ['a', '1'],
    ['b', '2'],
  ]);
  assert.deepEqual(d.groups[0], [
    {
      endpoint: 'sofia',
      target: 'gateway/trunk-a/+15551234',
      vars: [
        ['c', '3'],
        ['d', '4'],
      ],
    },
    { endpoint: 'error', target: 'USER_BUSY', vars: [] },
  ]);
});

void test('variables behave as a CHANNEL_DATA event: case-insensitive, the last one wins; a pair needs a value', () => {
  assert.deepEqual(parseDialString('{a=1,b=2,A=3}user/1@x.test').globals, [
    ['b', '2'],
    ['A', '3'],
  ]);
  // The quotes go with the split on commas, so the pair is `a=`, which has no value and is skipped.
  assert.deepEqual(parseDialString("{a=1,a=''}user/1@x.test").globals, [['a', '1']]);
  assert.deepEqual(parseDialString('{flag,b=x=y}user/1@x.test').globals, [['b', 'x=y']]);
});

void test('on the leg the {} value wins over the [] one unless local_var_clobber is true', () => {
  const plain = parseDialString('{x=global}[x=leg,y=leg]user/1@x.test');
  const final = (d: typeof plain) =>
    Object.fromEntries(legVariables(d.globals, d.groups[0]?.[0] ?? { endpoint: '', target: '', vars: [] }));
  assert.deepEqual(final(plain), { x: 'global', y: 'leg' });
  assert.deepEqual(final(parseDialString('{local_var_clobber=true,x=global}[x=leg]user/1@x.test')), {
    local_var_clobber: 'true',
    x: 'leg',
  });
});

void test('separate: a backslash protects the delimiter, ^^<char> at the start changes it', () => {
  assert.deepEqual(separate('a\\,b,c', ','), ['a,b', 'c']);
  assert.deepEqual(separate('^^;a,b;c', ','), ['a,b', 'c']);
  assert.deepEqual(separate('a=b=c', '=', 2), ['a', 'b=c']);
});

void test('what the double does not model, and what FreeSWITCH rejects, throws a DialStringError naming it', () => {
  const refused = (s: string, re: RegExp) =>
    assert.throws(
      () => parseDialString(s),
      (e: unknown) => e instanceof DialStringError && re.test(e.message),
    );
  refused('user/1@x.test:_:user/2@x.test', /enterprise originate \(:_:\)/);
  refused('<ignore_early_media=true>user/1@x.test', /<\.\.\.> \(enterprise\) variables/);
  refused('[a[1]=x]user/1@x.test', /indexed variable a\[1\]/);
  refused('{a=b user/1@x.test', /unclosed \{/);
  refused('[a=b user/1@x.test', /unclosed \[/);
  refused('{a=b}', /nothing to dial/);
  refused('user/1@x.test||user/2@x.test', /empty failover group/);
});
