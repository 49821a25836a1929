// Issue 9, point 6: numbers and names Python cannot take are errors on their place (QEFF-PY-01..04),
// never a script that passes None, a rounded number, or does not parse.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../src/core/check';
import { buildPlan } from '../../src/core/plan';
import type { Diagnostic } from '../../src/core/types';

const config = (compile: string, env = '{}', fp = '{}') =>
  `{ "model": "openai/gpt-oss-20b", "decode": { "mode": "full-kv", "from_pretrained": ${fp}, "compile": { "ctx_len": 4096${compile} }, "env": ${env} } }`;
const at = (text: string, token: string, code: string): Diagnostic[] =>
  checkText(text).filter(d => d.code === code && text.slice(d.offset, d.offset + d.length) === token);

describe('QEFF-PY-01: integers Python cannot get exactly', () => {
  for (const [token, why] of [['1e999', /Infinity.*None/], ['-1e999', /Infinity/], ['18446744073709551616', /rounded to 18446744073709551616/], ['1e-999', /becomes 0/]] as const) {
    test(`"num_cores": ${token} is an error on the value`, () => {
      const text = config(`, "num_cores": ${token}`);
      const d = at(text, token, 'QEFF-PY-01');
      assert.equal(d.length, 1, JSON.stringify(checkText(text).map(x => [x.code, x.message])));
      assert.equal(d[0].severity, 'error');
      assert.match(d[0].message, why);
    });
  }

  test('an env value of 2^64 and an unknown compiler option of 1e999 too; one diagnostic each', () => {
    const text = config(', "aic_x": 1e999', '{ "QEFF_X": 18446744073709551616 }');
    assert.equal(at(text, '1e999', 'QEFF-PY-01').length, 1);
    assert.equal(at(text, '18446744073709551616', 'QEFF-PY-01').length, 1);
    assert.equal(checkText(text).filter(d => text.slice(d.offset, d.offset + d.length) === '1e999').length, 1);
  });

  test('not firing: safe integers, fractions and 0 as written', () => {
    const text = config(', "num_cores": 9007199254740991, "aic_y": 0.5, "aic_z": 0, "aic_w": 1e3');
    assert.deepEqual(checkText(text).filter(d => d.code === 'QEFF-PY-01'), []);
  });

  test('a num_cores of 1e999 reaches the plan as null: the check refuses it', () => {
    const text = config(', "num_cores": 1e999');
    // The plan is still built (other tools read it); checkText is what refuses the run.
    assert.equal(JSON.parse(JSON.stringify(buildPlan(text).stages[0].compile)).num_cores, null);
    assert.ok(checkText(text).some(d => d.code === 'QEFF-PY-01' && d.severity === 'error'));
  });
});

describe('QEFF-PY-02: kwarg names Python rejects', () => {
  for (const name of ['__debug__', 'None', 'class', 'lambda', 'True']) {
    test(`"${name}" in compile is an error on the key, with a fix that removes it`, () => {
      const text = config(`, "${name}": 1`);
      const d = at(text, `"${name}"`, 'QEFF-PY-02');
      assert.equal(d.length, 1);
      assert.equal(d[0].fix?.title, `Remove ${name}`);
    });
  }
  test('in from_pretrained too; not firing for soft keywords and ordinary names', () => {
    assert.equal(at(config('', '{}', '{ "import": true }'), '"import"', 'QEFF-PY-02').length, 1);
    assert.deepEqual(checkText(config(', "match": 1, "type": 2, "_": 3, "debug": 4')).filter(d => d.code === 'QEFF-PY-02'), []);
  });
});

describe('QEFF-PY-03: strings that cannot reach os.environ or Python', () => {
  test('a NUL in an env value, a lone surrogate in a key and in the model', () => {
    const text = `{ "model": "openai/gpt-oss-20b\\ud800", "decode": { "mode": "full-kv", "compile": { "ctx_len": 4096, "aic_\\udc01": "x" }, "env": { "A": "x\\u0000y" } } }`;
    assert.match(at(text, '"x\\u0000y"', 'QEFF-PY-03')[0]?.message ?? '', /NUL/);
    assert.match(at(text, '"aic_\\udc01"', 'QEFF-PY-03')[0]?.message ?? '', /This name .*lone surrogate \(\\udc01\)/);
    assert.equal(at(text, '"openai/gpt-oss-20b\\ud800"', 'QEFF-PY-03').length, 1);
  });
  test('not firing: a surrogate pair (an emoji) and ordinary escapes', () => {
    const text = config('', '{ "A": "\\ud83d\\ude00 tab\\t nl\\n" }');
    assert.deepEqual(checkText(text).filter(d => d.code === 'QEFF-PY-03'), []);
  });
});

describe('QEFF-PY-04: environment variable names os.environ refuses', () => {
  test('"A=B" and "" are errors on the key', () => {
    const text = config('', '{ "A=B": "1", "": "2", "OK_1": "3" }');
    assert.equal(at(text, '"A=B"', 'QEFF-PY-04').length, 1);
    assert.equal(at(text, '""', 'QEFF-PY-04').length, 1);
    assert.equal(checkText(text).filter(d => d.code === 'QEFF-PY-04').length, 2);
  });
});
