// `qeff-disagg check SCRIPT.py` and `qeff-disagg import`, run as users run them: `node dist/cli.js ...`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './repoRoot';

const ROOT = repoRoot();
const CLI = join(ROOT, 'dist', 'cli.js');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'python');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tmp = '';
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'qeff-cli-py-'));
  for (const f of ['mistakes.py', 'blocking_swa_main.py', 'upstream_gpt_oss_disagg_mode_with_chunking.py']) copyFileSync(join(FIXTURES, f), join(tmp, f));
});
after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

test('check SCRIPT.py: the rules at Python lines and columns, exit 1 on errors', () => {
  const r = cli(['check', 'mistakes.py'], tmp);
  assert.equal(r.status, 1, r.stderr);
  const text = readFileSync(join(tmp, 'mistakes.py'), 'utf8').split('\n');
  const line = (needle: string) => text.findIndex(l => l.includes(needle)) + 1;
  assert.match(r.stdout, new RegExp(`^mistakes\\.py:${line('os.environ["NUM_Q_BLOCKS"]')}:12: warning QEFF-ENV-01 `, 'm'));
  assert.match(r.stdout, new RegExp(`^mistakes\\.py:${line('mxfp6_matmal')}:5: warning QEFF-OPT-01 `, 'm'));
  assert.match(r.stdout, new RegExp(`^mistakes\\.py:${line('decode_qpc = model.compile(')}:20: error QEFF-CB-02 `, 'm'));
});

test('check --format json of a script: the same shape as for configs, with Python ranges and fixes', () => {
  const r = cli(['check', '--format', 'json', 'mistakes.py'], tmp);
  const out = JSON.parse(r.stdout) as { file: string; code: string; range: { start: { line: number; character: number } }; fix?: { edits: { newText: string }[] } }[];
  const opt = out.find(d => d.code === 'QEFF-OPT-01')!;
  assert.equal(opt.file, 'mistakes.py');
  assert.equal(opt.fix?.edits[0].newText, 'mxfp6_matmul');
});

test('import writes the equivalent config next to the script, never over a file without --force', () => {
  const r = cli(['import', 'blocking_swa_main.py'], tmp);
  assert.equal(r.status, 0, r.stderr);
  const out = join(tmp, 'blocking_swa_main.qeff.json');
  const config = readFileSync(out, 'utf8');
  assert.match(config, /\/\/ prefill: prefill_model\.compile\(\.\.\.\) on line 18 \(from_pretrained on line 17\)/);
  const check = cli(['check', '--qefficient-version', '1.22', 'blocking_swa_main.qeff.json'], tmp);
  assert.equal(check.status, 0, check.stdout);
  assert.doesNotMatch(check.stdout, / (error|warning) /, 'the clean script imports to a clean config');

  writeFileSync(out, '{ "mine": true }');
  const again = cli(['import', 'blocking_swa_main.py'], tmp);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /exists; not overwritten \(pass --force/);
  assert.equal(readFileSync(out, 'utf8'), '{ "mine": true }');
  assert.equal(cli(['import', '--force', 'blocking_swa_main.py'], tmp).status, 0);
  assert.equal(readFileSync(out, 'utf8'), config);
});

test('import --out - prints; what was not analysed is in the comments', () => {
  const r = cli(['import', '--out', '-', 'upstream_gpt_oss_disagg_mode_with_chunking.py'], tmp);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\/\/ not analysed in compile \(line 43\): node_precision_info=non_subfunc_npi_file_path/);
  assert.match(r.stdout, /"mode": "full-kv"/);
});

test('import of a script without a stage says why, and writes nothing', () => {
  writeFileSync(join(tmp, 'plain.py'), 'from QEfficient import QEFFAutoModelForCausalLM\nm = QEFFAutoModelForCausalLM.from_pretrained("x")\nm.compile(ctx_len=4)\n');
  const r = cli(['import', 'plain.py'], tmp);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /found no QEFFAutoModelForCausalLM compile call .*\n.*line 3: Not analysed: neither prefill_only=True nor prefill_seq_len=1/);
  assert.equal(cli(['import', 'mistakes.txt'], tmp).status, 2);
});

test('the .vsix holds both wasm files beside the bundles (vsce ls, the packager\'s own list)', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.split('\n').map(l => l.trim());
  for (const f of ['dist/web-tree-sitter.wasm', 'dist/tree-sitter-python.wasm', 'dist/extension.js']) assert.ok(files.includes(f), `${f} not packaged:\n${r.stdout}`);
  assert.ok(!files.some(f => f.startsWith('node_modules/')), 'no node_modules in the .vsix');
});
