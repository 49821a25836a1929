// Property tests (fast-check) of the config language: random and mutated documents never break the
// checker; fixes keep the JSON valid; the plan is total on parseable objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { checkText } from '../../src/core/check';
import { applyTextEdits } from '../../src/core/fixes';
import { LineIndex } from '../../src/core/lineIndex';
import { buildPlan, PlanError } from '../../src/core/plan';
import { ruleInfo } from '../../src/core/ruleRegistry';
import { stageScript } from '../../src/core/pythonScript';
import type { Diagnostic, FileHost } from '../../src/core/types';
import { NPI_FILES } from './ruleCases';
import { repoRoot } from './repoRoot';

// Runs per property; 3000 in all. QEFF_FC_SCALE=10 for a longer hunt, QEFF_FC_SEED=n to replay a run.
const SCALE = Number(process.env.QEFF_FC_SCALE ?? 1);
const RUNS = { randomJsonc: 800 * SCALE, mutatedExamples: 1400 * SCALE, schemaShaped: 500 * SCALE, plan: 300 * SCALE };
const SEED = Number(process.env.QEFF_FC_SEED ?? Date.now() % 2 ** 31);

const EXAMPLES_DIR = join(repoRoot(), 'examples');
const EXAMPLES = readdirSync(EXAMPLES_DIR).filter(f => f.endsWith('.qeff.json')).sort()
  .map(f => ({ path: join(EXAMPLES_DIR, f), text: readFileSync(join(EXAMPLES_DIR, f), 'utf8') }));

/** The NPI files the examples name (the double of a QEfficient checkout beside them) and the rule cases' virtual files, read once. */
const memoryFiles: Record<string, string> = { ...NPI_FILES };
const CHECKOUT_NPI = join(repoRoot(), 'test', 'fake', 'python', 'examples', 'disagg_serving');
for (const f of readdirSync(CHECKOUT_NPI)) {
  memoryFiles[join(EXAMPLES_DIR, 'efficient-transformers', 'examples', 'disagg_serving', f)] = readFileSync(join(CHECKOUT_NPI, f), 'utf8');
}
const host: FileHost = { readFile: p => memoryFiles[p] };


function check(text: string, options: Parameters<typeof checkText>[1]): Diagnostic[] {
  return checkText(text, options);
}

function assertWellFormed(text: string, diags: Diagnostic[]): void {
  const lines = new LineIndex(text);
  for (const d of diags) {
    const where = `${d.code} ${d.offset}+${d.length} (text length ${text.length}): ${d.message}`;
    const info = ruleInfo(d.code);
    assert.ok(info, `not in the rule registry: ${where}`);
    assert.ok((info.severities as readonly string[]).includes(d.severity), `severity ${d.severity} not in the registry's ${info.severities.join('/')}: ${where}`);
    assert.equal(typeof d.message, 'string');
    assert.ok(d.message.length > 0, where);
    assert.ok(Number.isInteger(d.offset) && Number.isInteger(d.length), where);
    assert.ok(d.offset >= 0 && d.length >= 0, where);
    assert.ok(d.offset + d.length <= text.length, `past the end: ${where}`);
    const { start, end } = d.range;
    assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), where);
    assert.deepEqual(d.range, lines.range(d.offset, d.length), where);
  }
  if (diags.some(d => d.code === 'QEFF-JSON')) assert.ok(diags.every(d => d.code === 'QEFF-JSON'), 'when the text does not parse, only QEFF-JSON');
}

const params = (numRuns: number) => ({ numRuns, seed: SEED, includeErrorInReport: true });

// ------------------------------------------------------------------------------------------------
// Generators

const lineCommentText = fc.string({ maxLength: 12 }).map(s => s.replace(/[\r\n]/g, ' '));
const blockCommentText = fc.string({ maxLength: 12 }).map(s => s.replace(/\*\//g, '* /'));
const comment = fc.oneof(lineCommentText.map(s => `//${s}\n`), blockCommentText.map(s => `/*${s}*/`));
const eol = fc.constantFrom('\n', '\n', '\r\n', '\r');

interface Decoration { indent: number | string; comments: [number, string][]; trailingCommas: boolean; eol: string }
const decoration: fc.Arbitrary<Decoration> = fc.record({
  indent: fc.constantFrom<number | string>(0, 1, 2, 4, '\t'),
  comments: fc.array(fc.tuple(fc.nat(), comment), { maxLength: 4 }),
  trailingCommas: fc.boolean(),
  eol,
});

/** JSON text of `value`, decorated as JSON-with-comments: comments between lines, trailing commas, an EOL style. */
function renderJsonc(value: unknown, d: Decoration): string {
  let text = JSON.stringify(value, null, d.indent) ?? 'null';
  // Pretty-printed JSON breaks lines only between tokens (strings escape \n), so line ends are safe spots.
  if (d.trailingCommas) text = text.replace(/([^[{,\s])(\n\s*[}\]])/g, '$1,$2');
  const lines = text.split('\n');
  for (const [at, c] of d.comments) {
    const i = at % (lines.length + 1);
    lines.splice(i, 0, c.endsWith('\n') ? c.slice(0, -1) : c);
  }
  return lines.join('\n').replace(/\n/g, d.eol);
}

const CONFIG_KEYS = ['model', 'family', 'qefficientVersion', 'prefill', 'decode', 'mode', 'compile', 'from_pretrained', 'env',
  'prefill_seq_len', 'ctx_len', 'num_cores', 'continuous_batching', 'continous_batching', 'NUM_Q_BLOCKS', 'ENABLE_OPT_SWA',
  'node_precision_info', 'kv_cache_batch_size', 'full_batch_size', 'use_onnx_subfunctions', '$schema', '', '__proto__', 'constructor'];
const vocabularyObject: fc.Arbitrary<unknown> = fc.letrec(tie => ({
  value: fc.oneof({ depthSize: 'small', maxDepth: 4 },
    fc.jsonValue({ maxDepth: 1 }),
    fc.constantFrom('openai/gpt-oss-20b', 'openai/gpt-oss-120b', 'blocking', 'chunking', 'swa-retain', 'full-kv', '1.21', '1.22'),
    tie('obj')),
  obj: fc.dictionary(fc.oneof(fc.constantFrom(...CONFIG_KEYS), fc.string({ maxLength: 6 })), tie('value'), { maxKeys: 6 }),
})).obj;

const TOKENS = ['{', '}', '[', ']', ',', ':', '"', "'", '"model"', '"prefill"', '"mode"', '"chunking"', '"full-kv"', '"compile"',
  '1', '0', '-', '256', '1e999', '-0', '0x10', 'true', 'false', 'null', 'NaN', '//', '/*', '*/', '\n', '\r', '\t', ' ', '\\',
  '\\u', '\\ud800', '\u2028', '\ufeff', '\u0000', 'é', '😀', '"\\', 'x'];
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map(t => t.join(''));

const randomJsonc: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.jsonValue({ maxDepth: 4 }), decoration).map(([v, d]) => renderJsonc(v, d)),
  fc.tuple(vocabularyObject, decoration).map(([v, d]) => renderJsonc(v, d)),
  tokenSoup,
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ',', ':', ' ', '/', '*', '\n', 'a', '1'), maxLength: 80 }),
);

// Mutations of the example configs.
type Mutation =
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'value'; index: number; value: unknown }
  | { kind: 'number'; index: number; value: number }
  | { kind: 'mode'; index: number; mode: string }
  | { kind: 'duplicate'; index: number; value: unknown };

const insertText = fc.oneof(
  fc.constantFrom('{', '}', '[', ']', ',', ':', '"', "'", '//', '/*', '*/', '// c\n', '/* c */', ',,', '\n', '\\', '\u0000', 'null', '"k": 1,'),
  comment,
  fc.string({ maxLength: 8 }),
);
const anyInt = fc.oneof(fc.constantFrom(0, -1, 1, -256, 255, 256, 2 ** 31, -(2 ** 31), 2 ** 53, 1e21, 1e308, 131073), fc.integer());
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: insertText }),
  fc.record({ kind: fc.constant('value' as const), index: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('number' as const), index: fc.nat(), value: anyInt }),
  fc.record({ kind: fc.constant('mode' as const), index: fc.nat(), mode: fc.constantFrom('blocking', 'chunking', 'swa-retain', 'full-kv', 'Blocking', '', 'full_kv') }),
  fc.record({ kind: fc.constant('duplicate' as const), index: fc.nat(), value: fc.oneof(fc.jsonValue({ maxDepth: 1 }), anyInt) }),
);

const VALUE_RE = /("(?:[^"\\\n]|\\.)*")(\s*:\s*)("(?:[^"\\\n]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)/g;
const NUMBER_RE = /-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b/g;
const MODE_RE = /"(?:blocking|chunking|swa-retain|full-kv)"/g;

function nth(re: RegExp, text: string, index: number): RegExpExecArray | undefined {
  const all = [...text.matchAll(re)];
  return all.length ? (all[index % all.length] as RegExpExecArray) : undefined;
}

function mutate(text: string, m: Mutation): string {
  const pos = (at: number) => Math.min(text.length, Math.floor(at * (text.length + 1)));
  switch (m.kind) {
    case 'delete': { const p = pos(m.at); return text.slice(0, p) + text.slice(p + m.len); }
    case 'insert': { const p = pos(m.at); return text.slice(0, p) + m.text + text.slice(p); }
    case 'value': {
      const x = nth(VALUE_RE, text, m.index);
      if (!x) return text;
      const start = x.index + x[1].length + x[2].length;
      return text.slice(0, start) + JSON.stringify(m.value) + text.slice(start + x[3].length);
    }
    case 'number': {
      const x = nth(NUMBER_RE, text, m.index);
      return x ? text.slice(0, x.index) + String(m.value) + text.slice(x.index + x[0].length) : text;
    }
    case 'mode': {
      const x = nth(MODE_RE, text, m.index);
      return x ? text.slice(0, x.index) + JSON.stringify(m.mode) + text.slice(x.index + x[0].length) : text;
    }
    case 'duplicate': {
      // The same key again in the same object, after the original pair: `"k": v, "k": other`.
      const x = nth(VALUE_RE, text, m.index);
      if (!x) return text;
      const end = x.index + x[0].length;
      return `${text.slice(0, end)}, ${x[1]}: ${JSON.stringify(m.value)}${text.slice(end)}`;
    }
  }
}

const mutatedExample = fc.record({
  example: fc.nat({ max: EXAMPLES.length - 1 }),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
}).map(({ example, mutations }) => ({
  path: EXAMPLES[example].path,
  text: mutations.reduce(mutate, EXAMPLES[example].text),
}));

// Configs in the schema's shape, with plausible (and some implausible) values.
const int = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(0, 1, 2, 4, 8, 12, 16, 32, 64, 128, 256, 300, 512, 1024, 4096, 8192, 131072, 200000, -1, -256) },
  { weight: 1, arbitrary: fc.integer({ min: -1000, max: 100000 }) },
);
const wrongType = fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constant('4096'), fc.constant(1.5));
const sometimesWrong = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: a }, { weight: 1, arbitrary: wrongType as fc.Arbitrary<unknown> });
const bool = fc.boolean();
const npiPath = fc.constantFrom('npi/subfunction_120b_npi.yaml', 'npi/non_subfunction_120b_npi.yaml', 'npi/plain.yaml',
  'npi/empty_subfunction.yaml', 'npi/broken_subfunction.yaml', 'npi/missing.yaml', '/cfg/npi/plain.yaml', '');

const compileArb = fc.record({
  prefill_seq_len: sometimesWrong(int), ctx_len: sometimesWrong(int), batch_size: sometimesWrong(int),
  full_batch_size: sometimesWrong(fc.oneof(int, fc.constant(null))), kv_cache_batch_size: sometimesWrong(fc.oneof(int, fc.constant(null))),
  num_devices: sometimesWrong(int), num_cores: sometimesWrong(int), mxfp6_matmul: sometimesWrong(bool), mxint8_kv_cache: sometimesWrong(bool),
  prefill_only: sometimesWrong(fc.oneof(bool, fc.constant(null))), use_onnx_subfunctions: sometimesWrong(bool),
  enable_chunking: sometimesWrong(bool), retain_full_kv: sometimesWrong(fc.oneof(bool, fc.constant(null))), layerwise: sometimesWrong(bool),
  kv_cache_prefix: sometimesWrong(fc.constantFrom('kv', 'KV1', 'a_b', '', 'x-y')), mdp_ts_num_devices: int,
  mdp_num_partitions: sometimesWrong(int), mos: sometimesWrong(int), aic_enable_depth_first: sometimesWrong(bool),
  node_precision_info: sometimesWrong(npiPath), mdp_strategy: sometimesWrong(fc.constantFrom('onnx', 'intersection', 'other')),
  comp_ctx_lengths_prefill: sometimesWrong(fc.array(int, { maxLength: 4 })), comp_ctx_lengths_decode: sometimesWrong(fc.array(int, { maxLength: 4 })),
  dynamo: sometimesWrong(bool), enable_qnn: sometimesWrong(bool), mdp_compiler_dump_path: fc.constant('dump'),
  ctx_lenn: int, num_core: int, prefil_seq_len: int, continous_batching: bool, some_compiler_flag: fc.jsonValue({ maxDepth: 1 }),
  'odd key': fc.jsonValue({ maxDepth: 1 }),
}, { requiredKeys: [] });
const fromPretrainedArb = fc.record({
  continuous_batching: sometimesWrong(bool), continous_batching: sometimesWrong(bool), layerwise: sometimesWrong(bool),
  qaic_config: fc.oneof(fc.constant(null), fc.constant({}), fc.record({ ccl_enabled: sometimesWrong(bool) })),
  full_batch_size: sometimesWrong(fc.oneof(int, fc.constant(null))), num_hidden_layers: sometimesWrong(int), revision: fc.string({ maxLength: 8 }),
}, { requiredKeys: [] });
const envValue = fc.oneof(int, int.map(String), fc.constantFrom('0', '1', 'two', '', ' 2', '1.5'), fc.constantFrom(true, false, 1.5, null));
const envArb = fc.record({
  NUM_Q_BLOCKS: envValue, NUM_FFN_BLOCKS: envValue, ENABLE_OPT_SWA: envValue, QEFF_HOME: envValue, HF_HUB_OFFLINE: envValue,
}, { requiredKeys: [] });
const stageArb = fc.record({
  mode: sometimesWrong(fc.constantFrom('blocking', 'chunking', 'swa-retain', 'full-kv', 'chunked')),
  from_pretrained: sometimesWrong(fromPretrainedArb), compile: sometimesWrong(compileArb), env: sometimesWrong(envArb),
}, { requiredKeys: [] });
const configArb = fc.record({
  $schema: fc.constant('../schemas/qeff-disagg.schema.json'),
  model: sometimesWrong(fc.constantFrom('openai/gpt-oss-20b', 'openai/gpt-oss-120b', 'tiny-random/gpt-oss', 'models/local', '')),
  family: sometimesWrong(fc.constantFrom('gpt-oss-20b', 'gpt-oss-120b', 'gpt-oss-7b')),
  qefficientVersion: sometimesWrong(fc.constantFrom('1.21', '1.21.6', '1.22', '1.23', '1.22.8', '1.x')),
  prefill: sometimesWrong(stageArb), decode: sometimesWrong(stageArb),
  continous_batching: bool,
}, { requiredKeys: [] });
const configText = fc.tuple(configArb, decoration).map(([c, d]) => renderJsonc(c, d));

// ------------------------------------------------------------------------------------------------

test('(a) random JSON-with-comments documents: checkText never throws and every diagnostic is well-formed', () => {
  fc.assert(fc.property(randomJsonc, text => {
    assertWellFormed(text, check(text, { configPath: '/cfg/deploy.qeff.json', host }));
  }), params(RUNS.randomJsonc));
});

test('(a) mutated example configs: checkText never throws and every diagnostic is well-formed', () => {
  fc.assert(fc.property(mutatedExample, ({ path, text }) => {
    assertWellFormed(text, check(text, { configPath: path, host }));
  }), params(RUNS.mutatedExamples));
});

test('(b) schema-shaped configs: checkText never throws; every fix keeps the JSON valid', () => {
  const applied = new Map<string, number>();
  fc.assert(fc.property(configText, text => {
    const options = { configPath: '/cfg/deploy.qeff.json', host };
    const diags = check(text, options);
    if (!diags) return;
    assertWellFormed(text, diags);
    assert.ok(!diags.some(d => d.code === 'QEFF-JSON'), `the generated config parses:\n${text}`);
    for (const d of diags) {
      for (const fix of [d.fix, ...(d.moreFixes ?? [])]) {
        if (!fix || !fix.edits.length) continue;
        const fixed = applyTextEdits(text, fix.edits);
        applied.set(d.code, (applied.get(d.code) ?? 0) + 1);
        const after = check(fixed, options);
        if (!after) continue;
        const broken = after.filter(x => x.code === 'QEFF-JSON');
        assert.deepEqual(broken.map(x => x.message), [], `${d.code}: the fix "${fix.title}" broke the JSON:\n--- before\n${text}\n--- after\n${fixed}`);
        assertWellFormed(fixed, after);
      }
    }
  }), params(RUNS.schemaShaped));
  // Not vacuous: fixes of many rules were applied.
  assert.ok(applied.size >= 10, `fixes applied: ${JSON.stringify([...applied])}`);
});

test('(c) buildPlan returns or throws PlanError, for any parseable object (and any text); scripts render', () => {
  const anyText = fc.oneof(
    { weight: 4, arbitrary: configText },
    { weight: 2, arbitrary: fc.tuple(vocabularyObject, decoration).map(([v, d]) => renderJsonc(v, d)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(v => JSON.stringify(v)) },
    { weight: 2, arbitrary: mutatedExample.map(m => m.text) },
  );
  fc.assert(fc.property(anyText, text => {
    let plan;
    try {
      plan = buildPlan(text, { configPath: '/cfg/deploy.qeff.json', host });
    } catch (e) {
      assert.ok(e instanceof PlanError, `not a PlanError: ${(e as Error).stack}`);
      return;
    }
    assert.equal(typeof plan.model, 'string');
    for (const s of plan.stages) {
      assert.ok(['blocking', 'chunking', 'swa-retain', 'full-kv'].includes(s.mode));
      for (const v of Object.values(s.env)) assert.equal(typeof v, 'string');
      assert.ok(Number.isFinite(s.kvSlots));
      assert.equal(typeof stageScript(plan, s.stage), 'string');
    }
  }), params(RUNS.plan));
});

