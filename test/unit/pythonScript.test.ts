// The config rules inside Python scripts: the same diagnostics as the equivalent config, at the exact Python
// range; values known only at run time are "not analysed", never judged; import writes the equivalent config.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../src/core/check';
import { applyTextEdits } from '../../src/core/fixes';
import { buildPlan } from '../../src/core/plan';
import { analyseScript, checkAnalysis, checkScript, convertibleCalls, hoverScript, importScript, NOT_ANALYSED } from '../../src/core/python/scriptCheck';
import type { Diagnostic, FileHost } from '../../src/core/types';
import { ScriptTrees } from '../../src/core/python/scriptTrees';
import { LineIndex } from '../../src/core/lineIndex';
import { configAsScript } from './configAsScript';
import { repoRoot } from './repoRoot';
import { startPython } from './pythonRuntime';
import { CASES, NPI_FILES } from './ruleCases';

before(startPython);

const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'python');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const host: FileHost = { readFile: p => (NPI_FILES as Record<string, string>)[p] };
const OPEN = '⟦';
const CLOSE = '⟧';

/** The diagnostics as `code "covered text"`, for readable failures. */
const shown = (text: string, ds: Diagnostic[]) => ds.map(d => `${d.code} ${JSON.stringify(text.slice(d.offset, d.offset + d.length))}`);
const at = (text: string, needle: string, nth = 0) => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `"${needle}" not in the script`);
  return i;
};

// Every firing rule case of the config catalog that a script can say, as the script a user would write.
let converted = 0;
// QEFF-PY-01 is about JSON numbers reaching Python: a script's own 2**64 is an exact Python int, and its
// 1e999 is the float the user wrote, so a script cannot say that fault.
const NOT_SAID_IN_SCRIPTS = new Set(['QEFF-PY-01']);
for (const c of CASES.filter(x => x.fires && !NOT_SAID_IN_SCRIPTS.has(x.code))) {
  const marked = c.text;
  const text = marked.replace(OPEN, '').replace(CLOSE, '');
  const start = marked.indexOf(OPEN);
  const script = configAsScript(text);
  if (!script) continue;
  converted++;
  test(`script: ${c.code} fires at the Python node of the config's: ${c.name}`, () => {
    const version = c.version ?? script.version;
    const configDiags = checkText(text, { configPath: '/cfg/deploy.qeff.json', host, qefficientVersion: version });
    const pyDiags = checkScript(script.text, { configPath: '/cfg/deploy.py', host, qefficientVersion: version });
    const span = script.spanOf(start);
    assert.ok(span, `the marked node has no Python counterpart:\n${script.text}`);
    const mine = pyDiags.filter(d => d.code === c.code && d.offset === span.start && d.offset + d.length === span.end);
    assert.equal(mine.length >= 1, true, `expected ${c.code} at ${JSON.stringify(script.text.slice(span.start, span.end))}; got ${JSON.stringify(shown(script.text, pyDiags))}\n${script.text}`);
    // The same rule ids as the config (its MODE-02 hints have no script form: the mode kwargs are the mode).
    const codes = (ds: Diagnostic[]) => [...new Set(ds.map(d => d.code).filter(x => x !== 'QEFF-MODE-02' && x !== NOT_ANALYSED))].sort();
    assert.deepEqual(codes(pyDiags), codes(configDiags), script.text);
    const d = mine[0];
    if (d.fix?.edits.length) {
      const fixed = applyTextEdits(script.text, d.fix.edits);
      const after = checkScript(fixed, { configPath: '/cfg/deploy.py', host, qefficientVersion: version });
      assert.ok(after.filter(x => x.code === c.code).length < pyDiags.filter(x => x.code === c.code).length, `the fix "${d.fix.title}" did not remove ${c.code}:\n${fixed}`);
    }
  });
}
test('most firing rule cases have a script form', () => {
  assert.ok(converted >= 60, `only ${converted} cases converted`);
});

test('upstream gpt_oss_disagg_mode.py: blocking + SWA-retain, the config import checks the same', () => {
  const text = fixture('upstream_gpt_oss_disagg_mode.py');
  const a = analyseScript(text);
  assert.deepEqual(a.groups[0].stages.map(s => `${s.key}:${s.mode}`), ['prefill:blocking', 'decode:swa-retain']);
  const diags = checkAnalysis(a, {});
  // Module constants (PREFILL_SEQ_LEN = 256) are followed; only the subfunctions note remains.
  assert.deepEqual(shown(text, diags), ['QEFF-SUB-02 "True"']);
  assert.equal(text.split('\n')[diags[0].range.start.line].trim(), 'use_onnx_subfunctions=True,');
  assert.equal(diags[0].range.start.line, text.slice(0, at(text, 'prefill_only=True')).split('\n').length, 'the prefill call\'s kwarg, the line after prefill_only');
  const config = importScript(a, 'gpt_oss_disagg_mode.py');
  assert.deepEqual(checkText(config).map(d => d.code), ['QEFF-SUB-02']);
  const plan = buildPlan(config);
  assert.deepEqual(plan.stages.map(s => [s.stage, s.mode, s.compile.prefill_seq_len, s.compile.ctx_len]), [['prefill', 'blocking', 256, 256], ['decode', 'swa-retain', 1, 256]]);
  assert.match(config, /\/\/ prefill: qeff_model\.compile\(\.\.\.\) on line 74 \(from_pretrained on line 45\)/);
});

test('upstream gpt_oss_disagg_mode_with_chunking.py: chunking + full-KV, NPI paths not analysed', () => {
  const text = fixture('upstream_gpt_oss_disagg_mode_with_chunking.py');
  const a = analyseScript(text);
  const diags = checkAnalysis(a, {});
  assert.deepEqual(shown(text, diags), [
    'QEFF-MODEL-01 "model_id"', 'QEFF-SCRIPT "compile"', 'QEFF-DEC-01 "True"', 'QEFF-SCRIPT "compile"', 'QEFF-SUB-02 "True"',
  ]);
  const dec = diags.find(d => d.code === 'QEFF-DEC-01')!;
  assert.deepEqual(dec.range, { start: { line: 52, character: 26 }, end: { line: 52, character: 30 } });
  assert.equal(text.split('\n')[52].trim(), 'use_onnx_subfunctions=True,');
  assert.match(diags[1].message, /node_precision_info=non_subfunc_npi_file_path \(the variable non_subfunc_npi_file_path\)/);
  const config = importScript(a, 'gpt_oss_disagg_mode_with_chunking.py');
  assert.match(config, /not analysed in compile \(line 63\): node_precision_info=subfunc_npi_file_path/);
  // The same diagnostics on the config, minus the hints (which the comments carry).
  assert.deepEqual(checkText(config).map(d => d.code).sort(), diags.filter(d => d.code !== NOT_ANALYSED).map(d => d.code).sort());
});

test('aliases, QEfficient. attributes, env set in main(), CCL lists; a clean script imports to a clean config', () => {
  const text = fixture('blocking_swa_main.py');
  const a = analyseScript(text);
  assert.deepEqual(a.groups[0].stages.map(s => `${s.key}:${s.mode}:${s.site.model.variable}`), ['prefill:blocking:prefill_model', 'decode:swa-retain:decode_model']);
  assert.deepEqual(a.groups[0].stages[0].env.map(e => e.name), ['NUM_Q_BLOCKS', 'NUM_FFN_BLOCKS', 'ENABLE_OPT_SWA']);
  assert.deepEqual(a.groups[0].stages[1].env.map(e => e.name), [], 'the blocking variables are not the decode stage\'s');
  const diags = checkAnalysis(a, { qefficientVersion: '1.22' }).filter(d => d.severity === 'error' || d.severity === 'warning');
  assert.deepEqual(shown(text, diags), []);
  const config = importScript(a, 'blocking_swa_main.py');
  assert.deepEqual(checkText(config, { qefficientVersion: '1.22' }).filter(d => d.severity === 'error' || d.severity === 'warning').map(d => d.code), []);
  assert.deepEqual(buildPlan(config).stages.map(s => s.env), [{ NUM_Q_BLOCKS: '2', NUM_FFN_BLOCKS: '2', ENABLE_OPT_SWA: '1' }, {}]);
});

test('mistakes in a script land on the argument, key or env assignment they concern', () => {
  const text = fixture('mistakes.py');
  const diags = checkScript(text, { qefficientVersion: '1.22' });
  const find = (code: string) => diags.filter(d => d.code === code).map(d => text.slice(d.offset, d.offset + d.length));
  assert.deepEqual(find('QEFF-ENV-01'), ['"NUM_Q_BLOCKS"']);
  assert.deepEqual(find('QEFF-CB-02'), ['compile']);
  assert.deepEqual(find('QEFF-OPT-01'), ['mxfp6_matmal']);
  assert.deepEqual(find('QEFF-CORES-01'), ['32']);
  assert.deepEqual(find('QEFF-PAIR-03'), ['False']);
  // Fixes are literal edits of the script.
  const opt = diags.find(d => d.code === 'QEFF-OPT-01')!;
  assert.match(applyTextEdits(text, opt.fix!.edits), /mxfp6_matmul=True/);
  const env = diags.find(d => d.code === 'QEFF-ENV-01')!;
  const removed = applyTextEdits(text, env.fix!.edits);
  assert.ok(!removed.includes('NUM_Q_BLOCKS') && removed.includes('\nMODEL = '), 'the env line is gone, and only it');
  assert.ok(!checkScript(removed, { qefficientVersion: '1.22' }).some(d => d.code === 'QEFF-ENV-01'));
});

test('kwargs through variables, calls and **kwargs are not analysed: one hint per call, no error', () => {
  const text = [
    'import os',
    'from QEfficient import QEFFAutoModelForCausalLM',
    'def main(ctx, extra):',
    '    m = QEFFAutoModelForCausalLM.from_pretrained("openai/gpt-oss-20b")',
    '    m.compile(prefill_only=True, prefill_seq_len=ctx, ctx_len=ctx, num_cores=int("16"), **extra)',
    '    m.compile(prefill_seq_len=1, ctx_len=ctx)',
    '',
  ].join('\n');
  const diags = checkScript(text);
  assert.deepEqual(diags.filter(d => d.severity !== 'hint' && d.severity !== 'info').map(d => d.code), [], 'no rule judges a value it cannot see');
  const hints = diags.filter(d => d.code === NOT_ANALYSED);
  assert.equal(hints.length, 2);
  assert.equal(hints[0].severity, 'hint');
  assert.match(hints[0].message, /prefill_seq_len=ctx \(the variable ctx\); ctx_len=ctx \(the variable ctx\); num_cores=int\("16"\) \(a call\); a \*args\/\*\*kwargs splat/);
  // Without the splat the missing use_onnx_subfunctions is reported on the call; with it, not.
  assert.ok(!diags.some(d => d.code === 'QEFF-SUB-01'));
  assert.ok(checkScript(text.replace(', **extra', '')).some(d => d.code === 'QEFF-SUB-01' && text.slice(d.offset, d.offset + d.length) === 'compile'));
});

test('an environment value known only at run time: a hint on it, no PB rule guesses', () => {
  const text = 'import os\nfrom QEfficient import QEFFAutoModelForCausalLM\nos.environ["NUM_Q_BLOCKS"] = str(2)\n'
    + 'm = QEFFAutoModelForCausalLM.from_pretrained("openai/gpt-oss-20b")\nm.compile(prefill_only=True, prefill_seq_len=512, ctx_len=512, use_onnx_subfunctions=True)\n';
  const diags = checkScript(text, { qefficientVersion: '1.22' });
  assert.deepEqual(diags.filter(d => d.code.startsWith('QEFF-PB')).map(d => d.code), []);
  const hint = diags.find(d => d.code === NOT_ANALYSED)!;
  assert.equal(text.slice(hint.offset, hint.offset + hint.length), 'str(2)');
  assert.ok(checkScript(text.replace('str(2)', '"3"'), { qefficientVersion: '1.22' }).some(d => d.code === 'QEFF-PB-08'), 'with a literal, the rule runs');
});

test('a value equal to a literal elsewhere is probed too: no PB-03 guess when ctx_len is unknown', () => {
  const text = 'from QEfficient import QEFFAutoModelForCausalLM\nimport sys\nm = QEFFAutoModelForCausalLM.from_pretrained("openai/gpt-oss-20b")\n'
    + 'm.compile(prefill_only=True, prefill_seq_len=256, ctx_len=int(sys.argv[1]), use_onnx_subfunctions=True)\n';
  assert.deepEqual(checkScript(text).filter(d => d.code.startsWith('QEFF-PB') || d.code.startsWith('QEFF-CTX')).map(d => d.code), []);
  assert.ok(checkScript(text.replace('int(sys.argv[1])', '512')).some(d => d.code === 'QEFF-PB-03'));
});

test('literals: escapes, raw strings, concatenation, numbers with _ and 0x, dict keys; f-strings unknown', () => {
  const text = 'from QEfficient import QEFFAutoModelForCausalLM as Q\nm = Q.from_pretrained("openai/" "gpt-oss-20b", qaic_config={"ccl_enabled": True, "x": f"{y}"})\n'
    + 'm.compile(prefill_seq_len=1, ctx_len=4_096, num_cores=0x10, node_precision_info=r"a\\b", kv_cache_prefix="a\\tb", comp_ctx_lengths_decode=[1024, (4096)])\n';
  const a = analyseScript(text);
  const stage = a.groups[0].stages[0];
  const kw = Object.fromEntries(stage.site.call.kwargs.map(k => [k.name, k.value.kind === 'literal' ? k.value.value : k.value.kind]));
  assert.deepEqual(kw, { prefill_seq_len: 1, ctx_len: 4096, num_cores: 16, node_precision_info: 'a\\b', kv_cache_prefix: 'a\tb', comp_ctx_lengths_decode: [1024, 4096] });
  const fp = stage.site.model.fromPretrained;
  assert.equal(fp.positional[0].kind === 'literal' && fp.positional[0].value, 'openai/gpt-oss-20b');
  const qc = fp.kwargs[0].value;
  assert.ok(qc.kind === 'literal' && qc.entries);
  assert.deepEqual(qc.entries.map(e => [e.key, e.value.kind]), [['ccl_enabled', 'literal'], ['x', 'unknown']]);
});

test('ranges are UTF-16 columns: non-ASCII text before a kwarg', () => {
  const text = 'from QEfficient import QEFFAutoModelForCausalLM\nm = QEFFAutoModelForCausalLM.from_pretrained("openai/gpt-oss-20b")\n'
    + 'm.compile(prefill_seq_len=1, ctx_len=4096, **{}); x = "é😀"; m.compile(prefill_only=True, prefill_seq_len=256, ctx_len=256, num_cores=99)\n';
  const d = checkScript(text).find(x => x.code === 'QEFF-CORES-01')!;
  assert.equal(text.slice(d.offset, d.offset + d.length), '99');
  assert.equal(d.range.start.character, text.split('\n')[2].indexOf('99'));
});

test('broken syntax later in the file does not hide earlier calls', () => {
  const text = 'from QEfficient import QEFFAutoModelForCausalLM\nm = QEFFAutoModelForCausalLM.from_pretrained("openai/gpt-oss-20b")\n'
    + 'm.compile(prefill_only=True, prefill_seq_len=256, ctx_len=256, num_cores=99)\ndef broken(:\n';
  assert.ok(checkScript(text).some(d => d.code === 'QEFF-CORES-01'));
});

test('hover on a kwarg: the config documentation, and the KV memory on ctx_len', () => {
  const text = fixture('blocking_swa_main.py');
  const a = analyseScript(text);
  const off = at(text, 'ctx_len=4096') + 2;
  const h = hoverScript(a, off, {});
  assert.ok(h);
  assert.equal(text.slice(h.offset, h.offset + h.length), 'ctx_len');
  assert.match(h.markdown, /KV cache of this decode stage/);
  assert.equal(hoverScript(a, at(text, 'import os'), {}), undefined);
});

test('CodeLens places: each analysed compile call', () => {
  const text = fixture('blocking_swa_main.py');
  assert.deepEqual(convertibleCalls(analyseScript(text)).map(s => text.slice(s.start, s.end)), ['compile', 'compile']);
});

test('a script that never mentions QEfficient is not parsed', () => {
  const a = analyseScript('print("hello")\n');
  assert.deepEqual([a.groups.length, a.notes.length], [0, 0]);
});

test('mutated scripts (deleted, duplicated or swapped slices): the analysis never throws; ranges stay in the text', () => {
  const bases = ['mistakes.py', 'blocking_swa_main.py', 'upstream_gpt_oss_disagg_mode_with_chunking.py'].map(fixture);
  // A fixed pseudo-random walk (no fast-check shrinking needed: any failure prints the text).
  let seed = 12345;
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  for (let run = 0; run < 150; run++) {
    let text = bases[run % bases.length];
    for (let k = 0; k < 1 + rand(4); k++) {
      const a = rand(text.length);
      const b = Math.min(text.length, a + rand(40));
      const op = rand(3);
      text = op === 0 ? text.slice(0, a) + text.slice(b) : op === 1 ? text.slice(0, b) + text.slice(a, b) + text.slice(b) : text.slice(0, a) + '(=)"\'\\é'[rand(7)] + text.slice(a);
    }
    let diags: Diagnostic[] = [];
    assert.doesNotThrow(() => { diags = checkScript(text, {}); }, text);
    for (const d of diags) assert.ok(d.offset >= 0 && d.offset + d.length <= text.length, `${d.code} out of range in:\n${text}`);
  }
});

test('import: script text in comments cannot end the comment (a model id expression over several lines)', () => {
  const text = 'from QEfficient import QEFFAutoModelForCausalLM\nm = QEFFAutoModelForCausalLM.from_pretrained(pick(\n"a",\n} "b"))\n'
    + 'm.compile(prefill_seq_len=1, ctx_len=4096)\n';
  const config = importScript(analyseScript(text), 'x.py');
  assert.deepEqual(checkText(config).filter(d => d.code === 'QEFF-JSON').map(d => d.message), []);
  assert.match(config, /\n {2}\/\/ not analysed: the model id pick\( "a", \} "b"\) is known only at run time; fill in "model"\n {2}"model": "",\n/);
});

test('incremental reparse: edits applied to the old tree give the same analysis as a fresh parse', () => {
  const text = fixture('mistakes.py');
  const trees = new ScriptTrees();
  trees.tree('doc', text);
  // Two edits, as an editor reports them: num_cores=32 -> 8, then a new line with a typo'd kwarg.
  const a1 = text.indexOf('num_cores=32') + 'num_cores='.length;
  const lines = new LineIndex(text);
  trees.edit('doc', [{ rangeOffset: a1, rangeLength: 2, start: lines.positionAt(a1), end: lines.positionAt(a1 + 2), text: '8' }]);
  const t1 = text.slice(0, a1) + '8' + text.slice(a1 + 2);
  const a2 = t1.indexOf('    mxint8_kv_cache=False,');
  const l1 = new LineIndex(t1);
  trees.edit('doc', [{ rangeOffset: a2, rangeLength: 0, start: l1.positionAt(a2), end: l1.positionAt(a2), text: '    nm_cores=4,\n' }]);
  const t2 = t1.slice(0, a2) + '    nm_cores=4,\n' + t1.slice(a2);
  const incremental = checkScript(t2, {}, trees.tree('doc', t2));
  assert.deepEqual(incremental, checkScript(t2, {}));
  assert.ok(incremental.some(d => d.code === 'QEFF-OPT-01' && t2.slice(d.offset, d.offset + d.length) === 'nm_cores'));
  assert.ok(!incremental.some(d => d.code === 'QEFF-CORES-01'));
  trees.dispose();
});
