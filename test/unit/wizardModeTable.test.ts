// The wizard follows the mode table (src/core/modeTable.ts): each mode's parameters in the form and in a new
// config are the table's kwargs, from_pretrained kwargs and environment variables for that mode, in the
// table's order; a kwarg added to the table needs a wizard field (or is declared editor-only); and the
// message schema's lists (steps, parameters, modes) are the wizard's own.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MODE_TABLE } from '../../src/core/modeTable';
import type { Mode } from '../../src/core/types';
import {
  applyChange, configText, EDITOR_ONLY_KWARGS, emptyStage, initialState, isParamName, isRelevant, modeParams, MODES_OF,
  paramLocation, PARAMS, STEPS, type ParamName, type WizardState,
} from '../../src/core/wizard';
import validateMessage from '../../src/extension/wizard/generated/validateMessage.js';
import { paramHelp, paramLabel } from '../../webview/text';

const MODES = Object.keys(MODE_TABLE) as Mode[];
/** What the table lists for a mode, in its order: from_pretrained kwargs, compile kwargs, environment. */
const tableList = (m: Mode): string[] => [...MODE_TABLE[m].fromPretrained, ...MODE_TABLE[m].kwargs, ...MODE_TABLE[m].env];

describe('the wizard\'s parameters come from the mode table', () => {
  test('every name the table lists for a mode is a wizard parameter or declared editor-only', () => {
    for (const m of MODES) {
      for (const name of tableList(m)) {
        assert.ok(isParamName(name) || EDITOR_ONLY_KWARGS.includes(name), `${m}: ${name} is in the mode table but neither a wizard field nor editor-only`);
      }
    }
  });

  test('each mode\'s wizard list is the table\'s list for the mode, in the table\'s order', () => {
    for (const m of MODES) {
      const stage = MODE_TABLE[m].stage;
      assert.deepEqual(modeParams(stage, m), tableList(m).filter(n => !EDITOR_ONLY_KWARGS.includes(n)), m);
    }
  });

  test('the form shows exactly those parameters (the batch sizes once continuous batching is on)', () => {
    for (const m of MODES) {
      const stage = MODE_TABLE[m].stage;
      const s = { ...emptyStage(m), continuous_batching: true };
      const shown = PARAMS.filter(n => isRelevant(stage, s, n));
      assert.deepEqual(new Set(shown), new Set(tableList(m).filter(isParamName)), m);
    }
  });

  test('every wizard parameter belongs to some mode, has words, and lives where the table puts it', () => {
    for (const name of PARAMS) {
      const modes = MODES.filter(m => tableList(m).includes(name));
      assert.ok(modes.length > 0, `${name} is a wizard field no mode uses`);
      for (const m of modes) {
        assert.ok(paramHelp(name, MODE_TABLE[m].stage).length > 20, `${name}: help for ${MODE_TABLE[m].stage}`);
        const where = MODE_TABLE[m].fromPretrained.includes(name) ? 'from_pretrained' : MODE_TABLE[m].env.includes(name) ? 'env' : 'compile';
        assert.equal(paramLocation(name), `${where}.${name}`);
      }
      assert.ok(paramLabel(name).startsWith(name));
    }
  });

  test('a new config lists each stage\'s keys in the table\'s order', () => {
    for (const m of MODES) {
      const stage = MODE_TABLE[m].stage;
      let s: WizardState = applyChange(initialState('/ws'), { kind: 'model', value: 'openai/gpt-oss-20b' });
      s = applyChange(applyChange(s, { kind: 'stages', value: stage }), { kind: 'mode', stage, value: m });
      const written = JSON.parse(configText(s).replace(/^\/\/.*\n/, ''))[stage] as Record<string, Record<string, unknown> | string>;
      const keys = ['from_pretrained', 'compile', 'env'].flatMap(g => Object.keys((written[g] ?? {}) as object)) as ParamName[];
      const order = tableList(m);
      assert.ok(keys.length > 3, `${m}: ${keys.join(', ')}`);
      assert.deepEqual(keys, [...keys].sort((a, b) => order.indexOf(a) - order.indexOf(b)), `${m}: ${keys.join(', ')}`);
    }
  });
});

describe('the message schema is completed from the wizard\'s lists (scripts/gen-wizard-validator.mjs)', () => {
  const save = (state: unknown) => validateMessage({ type: 'save', state, run: false }) === true;

  test('the step: every step index passes, one past the last is refused', () => {
    const s = initialState('/ws');
    STEPS.forEach((_, i) => assert.ok(save({ ...s, step: i }), `step ${i}`));
    assert.equal(save({ ...s, step: STEPS.length }), false);
    assert.equal(save({ ...s, step: -1 }), false);
  });

  test('every parameter is a stage property and a name "touched" may hold; a stage without one is refused', () => {
    const s = initialState('/ws');
    assert.ok(save({ ...s, prefill: { ...s.prefill, touched: [...PARAMS] } }));
    for (const name of PARAMS) {
      const { [name]: _dropped, ...rest } = s.prefill;
      assert.equal(save({ ...s, prefill: rest }), false, name);
    }
  });

  test('the modes are the mode table\'s, and no other', () => {
    const s = initialState('/ws');
    for (const m of [...MODES_OF.prefill, ...MODES_OF.decode]) assert.ok(save({ ...s, prefill: { ...s.prefill, mode: m } }), m);
    assert.equal(save({ ...s, prefill: { ...s.prefill, mode: 'turbo' } }), false);
  });
});
