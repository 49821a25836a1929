// The plan (kwargs, env, KV memory) and the Python literals the stage scripts are made of.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { processCcl } from '../../src/core/ccl';
import { completionsAt } from '../../src/core/completion';
import { hoverAt } from '../../src/core/hover';
import { MODE_TABLE } from '../../src/core/modeTable';
import { parseVersion, targetVersionOf } from '../../src/core/version';
import { versionKey } from '../../src/core/versionTable';
import { formatBytes, kvEstimate, kvLengths } from '../../src/core/kvMemory';
import { buildPlan, PlanError, type StagePlan } from '../../src/core/plan';
import { isPythonIdentifier, pyKwargs, pyLiteral } from '../../src/core/pythonLiteral';
import type { Mode } from '../../src/core/types';
import { noPython } from './python';

const MIB = 1024 * 1024;

describe('kvEstimate', () => {
  const fp16 = { prefillSeqLen: 128, ctxLen: 8192, mxint8: false };

  test('the catalog\'s check figures: ctx_len 8192, fp16', () => {
    assert.equal(kvEstimate('gpt-oss-120b', 'swa-retain', fp16).bytesPerSlot, 306708480);
    assert.equal(kvEstimate('gpt-oss-120b', 'swa-retain', fp16).bytesPerSlot, 292.5 * MIB);
    assert.equal(kvEstimate('gpt-oss-120b', 'full-kv', fp16).bytesPerSlot, 576 * MIB);
    assert.equal(kvEstimate('gpt-oss-20b', 'swa-retain', fp16).bytesPerSlot, 195 * MIB);
    assert.equal(kvEstimate('gpt-oss-20b', 'full-kv', fp16).bytesPerSlot, 384 * MIB);
  });

  test('the formula: 2 x 8 kv heads x 64 x bytes x (N_full x L_full + N_sliding x L_sliding)', () => {
    const per = (layers: number, full: number, sliding: number, bytes = 2) => 2 * 8 * 64 * bytes * (layers * full + layers * sliding);
    const cases: [Mode, number, number, number, number][] = [
      // mode, psl, ctx, L_full, L_sliding
      ['blocking', 256, 256, 256, 128],
      ['blocking', 1024, 4096, 1024, 128],
      ['chunking', 128, 4096, 4096, 4096],
      ['swa-retain', 1, 4096, 4096, 128],
      ['full-kv', 1, 4096, 4096, 4096],
    ];
    for (const [mode, psl, ctx, full, sliding] of cases) {
      assert.deepEqual(kvLengths(mode, psl, ctx), { full, sliding }, mode);
      const e20 = kvEstimate('gpt-oss-20b', mode, { prefillSeqLen: psl, ctxLen: ctx, mxint8: false });
      assert.equal(e20.bytesPerSlot, per(12, full, sliding), `20b ${mode}`);
      assert.deepEqual([e20.fullLen, e20.slidingLen], [full, sliding]);
      const e120 = kvEstimate('gpt-oss-120b', mode, { prefillSeqLen: psl, ctxLen: ctx, mxint8: true });
      assert.equal(e120.bytesPerSlot, per(18, full, sliding, 1), `120b ${mode} mxint8`);
      assert.equal(e120.approximate, true);
      assert.equal(e20.approximate, false);
    }
  });

  test('slots: kv_cache_batch_size, else full_batch_size, else batch_size, else 1', () => {
    const slots = (o: { kvCacheBatchSize?: number; fullBatchSize?: number; batchSize?: number }) => {
      const e = kvEstimate('gpt-oss-20b', 'full-kv', { ...fp16, ...o });
      assert.equal(e.bytesTotal, e.bytesPerSlot * e.slots);
      return e.slots;
    };
    assert.equal(slots({ kvCacheBatchSize: 8, fullBatchSize: 4, batchSize: 2 }), 8);
    assert.equal(slots({ fullBatchSize: 4, batchSize: 2 }), 4);
    assert.equal(slots({ batchSize: 2 }), 2);
    assert.equal(slots({}), 1);
  });
});

describe('formatBytes', () => {
  test('binary units, trailing zeros dropped', () => {
    const cases: [number, string][] = [
      [0, '0 B'], [1, '1 B'], [1023, '1023 B'], [1024, '1 KiB'], [1536, '1.5 KiB'], [1024 * 1.25, '1.25 KiB'],
      [306708480, '292.5 MiB'], [576 * MIB, '576 MiB'], [195 * MIB, '195 MiB'], [384 * MIB, '384 MiB'],
      [4.5 * 1024 * MIB, '4.5 GiB'], [1024 * 1024 * MIB, '1 TiB'], [1024 ** 5, '1024 TiB'],
      [100.5 * 1024, '100.5 KiB'], [10.004 * 1024, '10 KiB'], [1.001 * MIB, '1 MiB'],
    ];
    for (const [n, s] of cases) assert.equal(formatBytes(n), s, String(n));
  });

  test('"~" for approximate (mxint8) figures', () => {
    assert.equal(formatBytes(306708480 / 2, true), '~146.3 MiB');
    assert.equal(formatBytes(288 * MIB, true), '~288 MiB');
    const e = kvEstimate('gpt-oss-120b', 'full-kv', { prefillSeqLen: 1, ctxLen: 8192, mxint8: true });
    assert.equal(formatBytes(e.bytesPerSlot, e.approximate), '~288 MiB');
  });
});

// ------------------------------------------------------------------------------------------------

const stageOf = (text: string, key: 'prefill' | 'decode', configPath = '/cfg/deploy.qeff.json'): StagePlan => {
  const s = buildPlan(text, { configPath }).stages.find(x => x.stage === key);
  assert.ok(s, `no ${key} stage`);
  return s;
};

describe('buildPlan', () => {
  test('defaults: only the mode gives the implied kwargs, QEfficient\'s default lengths and one slot', () => {
    const text = `{ "model": "openai/gpt-oss-20b",
      "prefill": { "mode": "blocking" }, "decode": { "mode": "swa-retain" } }`;
    const plan = buildPlan(text);
    assert.equal(plan.family, 'gpt-oss-20b');
    assert.equal(plan.qefficientVersion, null);
    assert.equal(plan.configPath, null);
    const [pre, dec] = plan.stages;
    assert.deepEqual(pre, {
      stage: 'prefill', mode: 'blocking', fromPretrained: {}, compile: { prefill_only: true }, env: {},
      // blocking: psl 32, ctx = psl: full 32, sliding 128
      kvBytesPerSlot: 2 * 8 * 64 * 2 * (12 * 32 + 12 * 128), kvSlots: 1, kvBytesTotal: 2 * 8 * 64 * 2 * (12 * 32 + 12 * 128), kvApproximate: false, ccl: null,
    });
    assert.deepEqual(dec.compile, { prefill_seq_len: 1, prefill_only: false });
    // swa-retain: ctx 128 (default): full 128, sliding 128
    assert.equal(dec.kvBytesPerSlot, 2 * 8 * 64 * 2 * (12 * 128 + 12 * 128));
    const chunk = stageOf('{ "model": "openai/gpt-oss-120b", "prefill": { "mode": "chunking" } }', 'prefill');
    assert.deepEqual(chunk.compile, { prefill_only: true, enable_chunking: true });
    assert.equal(chunk.kvBytesPerSlot, 2 * 8 * 64 * 2 * 36 * 128);
    const full = stageOf('{ "model": "openai/gpt-oss-120b", "decode": { "mode": "full-kv" } }', 'decode');
    assert.deepEqual(full.compile, { prefill_seq_len: 1, prefill_only: false, retain_full_kv: true });
  });

  test('the written kwargs come first, then the implied ones (which win over a contradiction)', () => {
    const s = stageOf('{ "model": "openai/gpt-oss-20b", "decode": { "mode": "full-kv", "compile": { "ctx_len": 4096, "retain_full_kv": false, "prefill_seq_len": 128, "mos": 1 } } }', 'decode');
    assert.deepEqual(Object.keys(s.compile), ['ctx_len', 'retain_full_kv', 'prefill_seq_len', 'mos', 'prefill_only']);
    assert.deepEqual(s.compile, { ctx_len: 4096, retain_full_kv: true, prefill_seq_len: 1, mos: 1, prefill_only: false });
  });

  test('the misspelled continous_batching becomes continuous_batching', () => {
    const s = stageOf('{ "model": "openai/gpt-oss-20b", "decode": { "mode": "full-kv", "from_pretrained": { "continous_batching": true, "revision": "main" } } }', 'decode');
    assert.deepEqual(s.fromPretrained, { revision: 'main', continuous_batching: true });
    assert.ok(!('continous_batching' in s.fromPretrained));
    // When both are written, the right spelling wins and the misspelled key is dropped.
    const both = stageOf('{ "model": "openai/gpt-oss-20b", "decode": { "mode": "full-kv", "from_pretrained": { "continuous_batching": false, "continous_batching": true } } }', 'decode');
    assert.deepEqual(both.fromPretrained, { continuous_batching: false });
  });

  test('env values become strings; integers keep their digits', () => {
    const s = stageOf(`{ "model": "openai/gpt-oss-20b", "prefill": { "mode": "blocking",
      "env": { "NUM_Q_BLOCKS": 2, "NUM_FFN_BLOCKS": "4", "ENABLE_OPT_SWA": "1", "BIG": 123456789012, "NEG": -3, "EMPTY": "" } } }`, 'prefill');
    assert.deepEqual(s.env, { NUM_Q_BLOCKS: '2', NUM_FFN_BLOCKS: '4', ENABLE_OPT_SWA: '1', BIG: '123456789012', NEG: '-3', EMPTY: '' });
    for (const v of Object.values(s.env)) assert.equal(typeof v, 'string');
    // Objects, arrays and null are not environment values: left out (the checker reports them).
    const odd = stageOf('{ "model": "openai/gpt-oss-20b", "prefill": { "mode": "blocking", "env": { "A": null, "B": [1], "C": {}, "D": "ok" } } }', 'prefill');
    assert.deepEqual(odd.env, { D: 'ok' });
  });

  test('KV in the plan follows the written kwargs (mxint8, batch sizes, blocking ctx = psl)', () => {
    const s = stageOf('{ "model": "openai/gpt-oss-120b", "decode": { "mode": "swa-retain", "compile": { "ctx_len": 8192, "mxint8_kv_cache": true, "full_batch_size": 4, "batch_size": 2 } } }', 'decode');
    assert.deepEqual([s.kvBytesPerSlot, s.kvSlots, s.kvBytesTotal, s.kvApproximate], [306708480 / 2, 4, 306708480 * 2, true]);
    const b = stageOf('{ "model": "openai/gpt-oss-20b", "prefill": { "mode": "blocking", "compile": { "prefill_seq_len": 512 } } }', 'prefill');
    assert.equal(b.kvBytesPerSlot, 2 * 8 * 64 * 2 * (12 * 512 + 12 * 128));
    const nofam = stageOf('{ "model": "some/model", "decode": { "mode": "full-kv", "compile": { "kv_cache_batch_size": 3 } } }', 'decode');
    assert.deepEqual([nofam.kvBytesPerSlot, nofam.kvSlots, nofam.kvBytesTotal, nofam.kvApproximate], [null, 3, null, false]);
    const fam = stageOf('{ "model": "some/model", "family": "gpt-oss-20b", "decode": { "mode": "full-kv", "compile": { "ctx_len": 8192 } } }', 'decode');
    assert.equal(fam.kvBytesPerSlot, 384 * MIB);
  });

  test('path kwargs resolve against the config folder', () => {
    const s = stageOf(`{ "model": "openai/gpt-oss-120b", "prefill": { "mode": "chunking", "compile": {
      "node_precision_info": "npi/a.yaml", "onnx_path": "../onnx/m.onnx", "compile_dir": "/abs/./qpc", "mdp_load_partition_config": "./p.json",
      "mdp_compiler_dump_path": "dump", "mos": "npi/not-a-path" } } }`, 'prefill', '/home/u/cfg/deploy.qeff.json');
    assert.equal(s.compile.node_precision_info, '/home/u/cfg/npi/a.yaml');
    assert.equal(s.compile.onnx_path, '/home/u/onnx/m.onnx');
    assert.equal(s.compile.compile_dir, '/abs/qpc');
    assert.equal(s.compile.mdp_load_partition_config, '/home/u/cfg/p.json');
    assert.equal(s.compile.mdp_compiler_dump_path, '/home/u/cfg/dump');
    assert.equal(s.compile.mos, 'npi/not-a-path', 'other kwargs are left alone');
    const noPath = buildPlan('{ "model": "openai/gpt-oss-120b", "prefill": { "mode": "chunking", "compile": { "node_precision_info": "npi/a.yaml" } } }');
    assert.equal(noPath.stages[0].compile.node_precision_info, 'npi/a.yaml', 'without a config path, relative paths stay as written');
  });

  test('stages without a valid mode are left out; the model and version come through', () => {
    const plan = buildPlan('{ "model": "openai/gpt-oss-20b", "qefficientVersion": "1.21", "prefill": { "mode": "full-kv" }, "decode": { "compile": {} } }');
    assert.deepEqual(plan.stages, []);
    assert.equal(plan.qefficientVersion, '1.21');
  });

  test('PlanError when there is no model or the text is not an object', () => {
    for (const text of ['', '{', '[]', '42', '{ "prefill": { "mode": "chunking" } }', '{ "model": 42 }', 'null']) {
      assert.throws(() => buildPlan(text), PlanError, JSON.stringify(text));
    }
  });
});

// ------------------------------------------------------------------------------------------------

describe('Python literals', () => {
  const STRINGS = [
    '', 'plain', 'with "double" quotes', "with 'single' quotes", 'back\\slash', '\\n is not a newline', 'C:\\new\\x41\\u0041\\N',
    'new\nline', 'cr\rlf\r\n', 'tab\there', 'nul\u0000byte', 'bell\u0007 del\u007f esc\u001b', 'é à ü ß', '中文字符', 'emoji 😀',
    'line sep \u2028 para sep \u2029', 'bom \ufeff', '"""', "'''", '\\', '\\"', '{"json": [1]}', 'trailing backslash \\',
  ];
  const VALUES: unknown[] = [
    null, true, false, 0, 1, -1, 42, 2 ** 53, -(2 ** 31), 1.5, -0.25, 1e21, 1e-7, ...STRINGS,
    [], [1, 'two', null, true], { a: 1 }, { 'key with "quotes"': ['x', { nested: 'é\n' }] }, {},
  ];

  test('pyLiteral: None/True/False, numbers, and non-finite numbers as None', () => {
    assert.equal(pyLiteral(null), 'None');
    assert.equal(pyLiteral(undefined), 'None');
    assert.equal(pyLiteral(true), 'True');
    assert.equal(pyLiteral(false), 'False');
    assert.equal(pyLiteral(256), '256');
    assert.equal(pyLiteral(-1.5), '-1.5');
    assert.equal(pyLiteral(NaN), 'None');
    assert.equal(pyLiteral(Infinity), 'None');
    assert.equal(pyLiteral([1, [true, null]]), '[1, [True, None]]');
    assert.equal(pyLiteral({ a: false, 'b c': 'd' }), '{"a": False, "b c": "d"}');
    assert.equal(pyLiteral({}), '{}');
  });

  test('isPythonIdentifier: ASCII names that are not keywords', () => {
    for (const ok of ['ctx_len', '_x', 'X1', 'match', 'case', 'type', '_', 'print']) assert.ok(isPythonIdentifier(ok), ok);
    for (const bad of ['', '1x', 'a-b', 'a b', 'class', 'None', 'True', 'lambda', 'async', 'é', 'x.y']) assert.ok(!isPythonIdentifier(bad), bad);
  });

  test('pyKwargs: one name=value per line; names that are not identifiers go into **{...}', () => {
    assert.equal(pyKwargs({ ctx_len: 4096, prefill_only: true }, '  '), '  ctx_len=4096,\n  prefill_only=True,');
    assert.equal(pyKwargs({ a: 1, 'b-c': 2, class: 'x', d: null }, ''), 'a=1,\nd=None,\n**{"b-c": 2, "class": "x"},');
    assert.equal(pyKwargs({}, '    '), '');
  });

  test('every literal and kwargs list round-trips through python3 (ast.literal_eval, a call)', { skip: noPython }, () => {
    const kwargsCases: Record<string, unknown>[] = [
      { ctx_len: 4096, mos: 1, aic_enable_depth_first: true, node_precision_info: '/a b/"c".yaml' },
      { 'odd-key': 'v', 'with space': [1, 2], class: null, from: 'kw', 'é': 'non-ASCII name', '1st': 1, normal: 'x\ny' },
      Object.fromEntries(STRINGS.map((s, i) => [`k${i}`, s])),
      Object.fromEntries(STRINGS.filter(s => s !== '').map((s, i) => [s, i])),
    ];
    const identifiers = ['ctx_len', '_x', 'match', 'class', 'None', 'a-b', '1x', 'é', 'async', 'await', 'print', 'nonlocal'];
    const input = {
      literals: VALUES.map(v => pyLiteral(v)),
      kwargs: kwargsCases.map(k => pyKwargs(k, '    ')),
      identifiers,
    };
    const script = [
      'import ast, json, keyword, sys',
      'data = json.load(sys.stdin)',
      'def capture(**kw):',
      '    return kw',
      'out = {',
      '    "literals": [ast.literal_eval(t) for t in data["literals"]],',
      '    "kwargs": [eval("capture(\\n" + t + "\\n)", {"capture": capture, "__builtins__": {}}) for t in data["kwargs"]],',
      '    "identifiers": [n.isidentifier() and not keyword.iskeyword(n) for n in data["identifiers"]],',
      '}',
      'sys.stdout.write(json.dumps(out, ensure_ascii=True))',
    ].join('\n');
    const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', env: { ...process.env, PYTHONIOENCODING: 'utf-8' } });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { literals: unknown[]; kwargs: unknown[]; identifiers: boolean[] };
    VALUES.forEach((v, i) => assert.deepEqual(out.literals[i], v, `${JSON.stringify(v)} written as ${input.literals[i]}`));
    kwargsCases.forEach((k, i) => assert.deepEqual(out.kwargs[i], k, input.kwargs[i]));
    // Where we call a name an identifier, Python agrees (the converse need not hold: é goes into **{}).
    identifiers.forEach((n, i) => { if (isPythonIdentifier(n)) assert.ok(out.identifiers[i], n); });
  });
});

test('a "__proto__" kwarg stays a kwarg of the plan', () => {
  const plan = buildPlan('{ "model": "openai/gpt-oss-20b", "decode": { "mode": "full-kv", "compile": { "__proto__": 3, "ctx_len": 256 } } }');
  const compile = plan.stages[0].compile;
  assert.deepEqual(Object.keys(compile).sort(), ['__proto__', 'ctx_len', 'prefill_only', 'prefill_seq_len', 'retain_full_kv']);
  assert.equal(JSON.stringify(compile).includes('"__proto__":3'), true);
});

test('formatBytes moves to the next unit when rounding reaches 1024', () => {
  assert.equal(formatBytes(1024 * 1024 - 1), '1 MiB');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(306708480), '292.5 MiB');
});

// ------------------------------------------------------------------------------------------------
// CCL lists as QEfficient rewrites them. Expected values: upstream's process_ccl_specializations
// (QEfficient/utils/check_ccl_specializations.py, identical on release/v1.21.6 .. main) run on the same inputs.

describe('compute-context-length lists', () => {
  const cases: [prefill: number[] | undefined, decode: number[] | undefined, ctx: number, psl: number, chunking: boolean, out: [number[] | undefined, number[] | undefined, number]][] = [
    [undefined, [1024, 2048, 4096], 4096, 1, false, [[1024, 2048, 4096], [1024, 2048, 4096], 4096]],
    [undefined, [512, 2048], 4096, 1, false, [[1024, 2048, 4096], [1024, 2048, 4096], 4096]],
    [[4096, 2048], undefined, 4096, 128, true, [[2048, 4096], undefined, 4096]],
    [undefined, [1024, 4096], 4096, 128, true, [[4064], [1024, 4096], 4096]],
    [undefined, undefined, 5000, 1, false, [[4096, 5120], [4096, 5120], 5120]],
    [undefined, undefined, 40000, 128, true, [[8000, 16000, 32000, 40928], [8192, 16384, 32768, 40960], 40960]],
    [[1024], undefined, 4096, 1, false, [[1024, 4096], [1024, 4096], 4096]],
    [[1000, 3000], [2000, 3000], 4096, 128, false, [[1024, 2976, 4064], [2000, 3000, 4096], 4096]],
  ];
  for (const [p, d, ctx, psl, chunking, [ep, ed, ectx]] of cases) {
    test(`process_ccl_specializations(${JSON.stringify(p)}, ${JSON.stringify(d)}, ctx ${ctx}, psl ${psl}${chunking ? ', chunking' : ''})`, () => {
      const r = processCcl(p, d, ctx, psl, chunking);
      assert.deepEqual([r.prefill, r.decode, r.ctxLen], [ep, ed, ectx]);
    });
  }

  test('a ctx_len beyond 2^53 ends (found by the property tests: seed 11 looped forever moving prefill values down)', () => {
    const huge = 4.784041877261881e+243;
    const r = processCcl([8734, 4096, 23672, 4], [12], huge, 8, false);
    assert.equal(r.ctxLen, huge);
    assert.ok(Array.isArray(r.decode) && r.decode.includes(huge));
  });

  const withCcl = `{ "model": "openai/gpt-oss-20b",
    "prefill": { "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "comp_ctx_lengths_prefill": [4096, 2048] } },
    "decode": { "mode": "full-kv", "from_pretrained": { "qaic_config": { "ccl_enabled": true } }, "compile": { "ctx_len": 4096, "comp_ctx_lengths_decode": [512, 2048] } } }`;

  test('the plan shows the list each stage compiles with', () => {
    assert.deepEqual(stageOf(withCcl, 'prefill').ccl, { kwarg: 'comp_ctx_lengths_prefill', effective: [2048, 4096], ctxLen: 4096 });
    assert.deepEqual(stageOf(withCcl, 'decode').ccl, { kwarg: 'comp_ctx_lengths_decode', effective: [1024, 2048, 4096], ctxLen: 4096 });
    assert.equal(stageOf(withCcl.replace('"comp_ctx_lengths_prefill": [4096, 2048]', '"num_cores": 16'), 'prefill').ccl, null);
  });

  test('hover on a CCL list shows the effective list', () => {
    const at = withCcl.indexOf('"comp_ctx_lengths_decode"') + 3;
    const h = hoverAt(withCcl, at);
    assert.ok(h?.markdown.includes('`comp_ctx_lengths_decode` = `[1024, 2048, 4096]`, ctx_len 4096'), h?.markdown);
  });
});

describe('mode table', () => {
  test('natural partners are symmetric and belong to the other stage', () => {
    for (const [mode, info] of Object.entries(MODE_TABLE)) {
      const partner = MODE_TABLE[info.partner];
      assert.notEqual(partner.stage, info.stage, mode);
      assert.equal(partner.partner, mode, mode);
    }
  });

  test('what the plan passes is what the mode implies, minus redundant false defaults', () => {
    for (const [mode, info] of Object.entries(MODE_TABLE)) {
      for (const [k, v] of Object.entries(info.passes)) assert.equal(info.implied[k], v, `${mode}.${k}`);
      const text = `{ "model": "openai/gpt-oss-20b", "${info.stage}": { "mode": "${mode}" } }`;
      assert.deepEqual(stageOf(text, info.stage).compile, info.passes, mode);
    }
  });
});

describe('target version when a config pins none', () => {
  test('an explicit setting wins over the detected QEfficient; then the detected one; then the latest', () => {
    assert.deepEqual(targetVersionOf('1.21', '1.22.8.0'), { version: '1.21', source: 'setting' });
    assert.deepEqual(targetVersionOf('  ', '1.22.8.0'), { version: '1.22.8.0', source: 'detected' });
    assert.deepEqual(targetVersionOf(undefined, undefined), { source: 'latest' });
  });
});

describe('version table', () => {
  test('hover on a kwarg the target version does not take says it becomes a compiler flag', () => {
    const text = '{ "model": "openai/gpt-oss-20b", "qefficientVersion": "1.21.6", "decode": { "mode": "full-kv", "compile": { "kv_cache_prefix": "dec0" } } }';
    const h = hoverAt(text, text.indexOf('"kv_cache_prefix"') + 2);
    assert.match(h?.markdown ?? '', /Not a keyword of QEfficient 1\.21\.6\*\* \(release\/v1\.21\.6\): it reaches the compiler as `-kv-cache-prefix`/);
    const h22 = hoverAt(text.replace('1.21.6', '1.22.0'), text.indexOf('"kv_cache_prefix"') + 2);
    assert.doesNotMatch(h22?.markdown ?? '', /Not a keyword/);
  });

  test('target versions map to the upstream branch the facts come from', () => {
    const key = (v: string | undefined) => versionKey(parseVersion(v));
    assert.deepEqual(['1.21', '1.21.6', '1.22', '1.22.7', '1.22.8.0', '1.23.0.dev0', undefined].map(key),
      ['1.21', '1.21', '1.22.0', '1.22.0', '1.22.8', 'main', 'main']);
  });
});

describe('completion per version', () => {
  const text = '{ "model": "openai/gpt-oss-20b", "qefficientVersion": "1.21", "decode": { "mode": "full-kv", "compile": { "" } } }';
  const labels = (t: string, version?: string) => completionsAt(t, t.indexOf('{ "" }') + 3, { qefficientVersion: version }).map(c => c.label);

  test('compile keys the target version does not take are not offered (QEFF-VER-01 would flag them)', () => {
    const on121 = labels(text);
    assert.ok(on121.includes('ctx_len'), on121.join());
    assert.ok(!on121.includes('kv_cache_prefix') && !on121.includes('mdp_num_partitions'), on121.join());
    const latest = labels(text.replace('"qefficientVersion": "1.21", ', ''));
    assert.ok(latest.includes('kv_cache_prefix') && latest.includes('mdp_num_partitions'), latest.join());
    assert.ok(!labels(text.replace('"qefficientVersion": "1.21", ', ''), '1.21.6').includes('kv_cache_prefix'));
  });
});
