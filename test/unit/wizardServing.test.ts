// The wizard's Serving step (issue 11, point 1): the "serving" section written from its fields, clean under
// the core's QEFF-SRV rules with the defaults, each diagnostic beside its field, device groups following
// num_devices, read back by Edit in Wizard and rewritten only where changed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../src/core/check';
import type { Diagnostic, Mode } from '../../src/core/types';
import {
  analyse, applyChange, configText, configValues, editText, initialState, stateFromText, valueAt, type WizardChange, type WizardState,
} from '../../src/core/wizard';

const NPI = 'FP32NodeInstanceNames:\n  - /model/layers.0/Add_output_0\n';
const FILES = { '/ws/npi/subfunction_120b_npi.yaml': NPI, '/ws/npi/non_subfunction_120b_npi.yaml': NPI };
const problems = (text: string): string[] => checkText(text, { configPath: '/ws/x.qeff.json', host: { readFile: p => FILES[p as keyof typeof FILES] } })
  .filter((d: Diagnostic) => d.severity === 'error' || d.severity === 'warning').map(d => `${d.code}: ${d.message}`);

function served(...changes: WizardChange[]): WizardState {
  return [{ kind: 'model', value: 'openai/gpt-oss-20b' } as WizardChange, { kind: 'serving', value: true } as WizardChange, ...changes]
    .reduce(applyChange, initialState('/ws'));
}

describe('the Serving step', () => {
  for (const [p, d] of [['chunking', 'full-kv'], ['blocking', 'swa-retain'], ['chunking', 'swa-retain'], ['blocking', 'full-kv']] as [Mode, Mode][]) {
    test(`the defaults write a serving section the core finds clean (${p} + ${d})`, () => {
      const s = served({ kind: 'mode', stage: 'prefill', value: p }, { kind: 'mode', stage: 'decode', value: d });
      const text = configText(s);
      // A pair that is not natural has its own warnings (QEFF-PAIR): none from serving.
      const natural = (p === 'chunking') === (d === 'full-kv');
      assert.deepEqual(problems(text).filter(m => natural || m.startsWith('QEFF-SRV')), [], text);
      assert.deepEqual(JSON.parse(JSON.stringify(valueAt(text, 'serving'))), { port: 8000, prefill: { deviceGroups: [[0]], ports: [9900] }, decode: { deviceGroups: [[1]], ports: [9800] } });
      assert.match(text, /"deviceGroups": \[\[0\]\],/);
      assert.equal(analyse(s, {}).mapped.errors, 0);
    });
  }

  test('skipped (the default), or with one stage only: no serving section', () => {
    assert.equal(valueAt(configText(applyChange(initialState('/ws'), { kind: 'model', value: 'openai/gpt-oss-20b' })), 'serving'), undefined);
    assert.equal(valueAt(configText(served({ kind: 'stages', value: 'decode' })), 'serving'), undefined);
  });

  test('the device groups follow each stage\'s num_devices until the user types them', () => {
    let s = served({ kind: 'param', stage: 'prefill', name: 'num_devices', value: '2' }, { kind: 'param', stage: 'decode', name: 'num_devices', value: '4' });
    assert.deepEqual(valueAt(configText(s), 'serving.prefill.deviceGroups'), [[0, 1]]);
    assert.deepEqual(valueAt(configText(s), 'serving.decode.deviceGroups'), [[2, 3, 4, 5]]);
    assert.deepEqual(problems(configText(s)), []);
    s = applyChange(s, { kind: 'servingField', name: 'decode.deviceGroups', value: '8, 9, 10, 11; 12, 13, 14, 15' });
    s = applyChange(s, { kind: 'servingField', name: 'decode.ports', value: '9800, 9801' });
    s = applyChange(s, { kind: 'param', stage: 'decode', name: 'num_devices', value: '2' });
    assert.deepEqual(valueAt(configText(s), 'serving.decode.deviceGroups'), [[8, 9, 10, 11], [12, 13, 14, 15]]);
  });

  test('each QEFF-SRV diagnostic is beside its field', () => {
    const at = (s: WizardState, field: string) => (analyse(s, {}).mapped.byField[field] ?? []).map(d => d.code);
    assert.deepEqual(at(served({ kind: 'servingField', name: 'decode.ports', value: '9900' }), 'serving.decode.ports'), ['QEFF-SRV-01']);
    assert.deepEqual(at(served({ kind: 'servingField', name: 'decode.deviceGroups', value: '0' }), 'serving.decode.deviceGroups'), ['QEFF-SRV-02']);
    assert.deepEqual(at(served({ kind: 'servingField', name: 'prefill.ports', value: '9900, 9901' }), 'serving.prefill.ports'), ['QEFF-SRV-03']);
    assert.deepEqual(at(served({ kind: 'servingField', name: 'decode.maxNumSeqs', value: '2' }), 'serving.decode.maxNumSeqs'), ['QEFF-SRV-06']);
    assert.deepEqual(at(served({ kind: 'servingField', name: 'port', value: '70000' }), 'serving.port'), ['QEFF-SRV-01']);
    const typo = served({ kind: 'servingField', name: 'prefill.deviceGroups', value: '0, x' });
    assert.equal(valueAt(configText(typo), 'serving.prefill.deviceGroups'), '0, x', 'written as typed');
    assert.ok(at(typo, 'serving.prefill.deviceGroups').length > 0);
  });

  test('docker: the runtime and its image are written; bare writes neither', () => {
    const s = served({ kind: 'servingField', name: 'runtime', value: 'docker' }, { kind: 'servingField', name: 'image', value: 'registry.example/vllm-disagg:1' });
    assert.equal(valueAt(configText(s), 'serving.runtime'), 'docker');
    assert.equal(valueAt(configText(s), 'serving.image'), 'registry.example/vllm-disagg:1');
    assert.deepEqual(problems(configText(s)), []);
    const bare = applyChange(s, { kind: 'servingField', name: 'runtime', value: 'bare' });
    assert.equal(valueAt(configText(bare), 'serving.runtime'), undefined);
    assert.equal(valueAt(configText(bare), 'serving.image'), undefined);
  });

  test('Edit in Wizard reads the section and writes back only the value changed', () => {
    const text = configText(served({ kind: 'servingField', name: 'decode.deviceGroups', value: '1, 2; 3, 4' },
      { kind: 'servingField', name: 'decode.ports', value: '9800, 9801' }, { kind: 'param', stage: 'decode', name: 'num_devices', value: '2' }))
      .replace('"port": 8000', '"port": 8000, // the router');
    const r = stateFromText(text, { uri: 'file:///ws/x.qeff.json', path: '/ws/x.qeff.json' });
    assert.ok(r.ok);
    assert.equal(r.state.serving?.enabled, true);
    assert.equal(r.state.serving?.values['decode.deviceGroups'], '1, 2; 3, 4');
    assert.equal(configText(r.state), text, 'nothing changed: the text as it was');
    const s = applyChange(r.state, { kind: 'servingField', name: 'prefill.ports', value: '9700' });
    const edited = editText(text, r.state.edit!.loaded, configValues(s));
    assert.equal(edited, text.replace('"ports": [9900]', '"ports": [9700]'));
    const off = applyChange(r.state, { kind: 'serving', value: false });
    assert.equal(valueAt(configText(off), 'serving'), undefined);
  });
});
