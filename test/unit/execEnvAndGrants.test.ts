// Issue 9, points 10 and 11: env variables that change what runs are warned about (QEFF-EXEC-01) and listed
// for the runner's question; the wizard's webview reads files only in the workspace or what the user picked.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkText } from '../../src/core/check';
import { describeExecEnv, execEnvKey, execEnvOf } from '../../src/core/execEnv';
import { buildPlan } from '../../src/core/plan';
import { FileGrants, readFilesForWebview } from '../../src/extension/wizard/files';

const config = (env: string) => `{ "model": "openai/gpt-oss-20b", "prefill": { "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096 }, "env": ${env} }, "decode": { "mode": "full-kv", "compile": { "ctx_len": 4096 } } }`;

describe('QEFF-EXEC-01', () => {
  for (const name of ['LD_PRELOAD', 'LD_LIBRARY_PATH', 'LD_AUDIT', 'PYTHONPATH', 'PYTHONSTARTUP', 'PYTHONHOME', 'PYTHONINSPECT', 'BASH_ENV', 'ENV', 'PATH', 'BASH_FUNC_ls%%']) {
    test(`${name} is a warning on its name, with a fix that removes it`, () => {
      const text = config(`{ "${name}": "/tmp/x" }`);
      const d = checkText(text).filter(x => x.code === 'QEFF-EXEC-01');
      assert.equal(d.length, 1);
      assert.equal(d[0].severity, 'warning');
      assert.equal(text.slice(d[0].offset, d[0].offset + d[0].length), `"${name}"`);
      assert.match(d[0].message, new RegExp(`^${name.replace(/[%]/g, '.')} changes what runs`));
      assert.equal(d[0].fix?.title, `Remove ${name}`);
    });
  }

  test('not firing: the variables QEfficient reads, names that merely look alike, an empty value (it only clears)', () => {
    const text = config('{ "NUM_Q_BLOCKS": "2", "QEFF_X": "1", "MY_PATH": "/x", "LD_BIND_NOW": "1", "PYTHONUNBUFFERED": "1", "PYTHONPATH": "" }');
    assert.deepEqual(checkText(text).filter(x => x.code === 'QEFF-EXEC-01'), []);
  });

  test('the runner lists them per stage, on one line each, and a changed value changes the key', () => {
    const plan = buildPlan(config('{ "LD_PRELOAD": "/evil.so\\nrm -rf ~", "NUM_Q_BLOCKS": "2" }'));
    const vars = execEnvOf(plan, ['prefill', 'decode']);
    assert.deepEqual(vars, [{ stage: 'prefill', name: 'LD_PRELOAD', value: '/evil.so\nrm -rf ~' }]);
    assert.equal(describeExecEnv(vars), 'LD_PRELOAD=/evil.so\\nrm -rf ~ (prefill)');
    assert.deepEqual(execEnvOf(plan, ['decode']), []);
    const other = execEnvOf(buildPlan(config('{ "LD_PRELOAD": "/other.so" }')), ['prefill']);
    assert.notEqual(execEnvKey(vars), execEnvKey(other));
  });
});

describe('files the wizard webview may read', () => {
  const base = mkdtempSync(join(tmpdir(), 'qeff-grants-'));
  const ws = join(base, 'ws');
  const outside = join(base, 'outside');
  mkdirSync(join(ws, 'npi'), { recursive: true });
  mkdirSync(join(outside, 'model'), { recursive: true });
  writeFileSync(join(ws, 'npi', 'a.yaml'), 'FP32NodeInstanceNames:\n  - x\n');
  writeFileSync(join(outside, 'secret.yaml'), 'token: s3cret\n');
  writeFileSync(join(outside, 'model', 'config.json'), '{"num_local_experts": 32}');
  symlinkSync(join(outside, 'secret.yaml'), join(ws, 'npi', 'link.yaml'));

  test('inside the workspace: read; outside it, or through a link leading out: not read', () => {
    const grants = new FileGrants();
    const files = readFilesForWebview([join(ws, 'npi', 'a.yaml'), join(outside, 'secret.yaml'), join(ws, 'npi', 'link.yaml'), join(ws, 'npi', '..', '..', 'outside', 'secret.yaml')], grants, [ws]);
    assert.equal(files[join(ws, 'npi', 'a.yaml')], 'FP32NodeInstanceNames:\n  - x\n');
    assert.equal(files[join(outside, 'secret.yaml')], null);
    assert.equal(files[join(ws, 'npi', 'link.yaml')], null);
    assert.equal(files[join(ws, 'npi', '..', '..', 'outside', 'secret.yaml')], null);
  });

  test('a folder or file the user picked in the panel may be read; its siblings may not', () => {
    const grants = new FileGrants();
    grants.grant(join(outside, 'model'));
    const files = readFilesForWebview([join(outside, 'model', 'config.json'), join(outside, 'secret.yaml')], grants, [ws]);
    assert.equal(files[join(outside, 'model', 'config.json')], '{"num_local_experts": 32}');
    assert.equal(files[join(outside, 'secret.yaml')], null);
    grants.grant(join(outside, 'secret.yaml'));
    assert.equal(readFilesForWebview([join(outside, 'secret.yaml')], grants, [ws])[join(outside, 'secret.yaml')], 'token: s3cret\n');
  });

  test('system files are not read even when granted', () => {
    const grants = new FileGrants();
    grants.grant('/proc/self');
    assert.equal(readFilesForWebview(['/proc/self/config.json'], grants, ['/'])['/proc/self/config.json'], null);
  });
});
