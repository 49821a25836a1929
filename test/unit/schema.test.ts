// Tests of schemas/qeff-disagg.schema.json: structure, descriptions, snippets and what it accepts/rejects.
// The schema carries structure, types and enums only; numeric and cross-field meaning belongs to the rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { DECODE_MODES, FAMILIES, PREFILL_MODES } from '../../src/core/types';

const SCHEMA_REL = path.join('schemas', 'qeff-disagg.schema.json');

/** Walks up from this file (out/test/unit/ or any other outDir) to the folder holding the schema. */
function findSchemaPath(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, SCHEMA_REL);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return path.resolve(process.cwd(), SCHEMA_REL);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const schemaPath = findSchemaPath();
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as JsonObject;
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function errorsOf(doc: unknown): string {
  return JSON.stringify(validate.errors ?? [], null, 2) + '\nfor ' + JSON.stringify(doc);
}

function assertValid(doc: unknown): void {
  assert.equal(validate(doc), true, errorsOf(doc));
}

/** Asserts the document is rejected, with an error at `instancePath` (when given). */
function assertInvalid(doc: unknown, instancePath?: string, keyword?: string): void {
  assert.equal(validate(doc), false, 'expected a schema error for ' + JSON.stringify(doc));
  if (instancePath !== undefined) {
    const errors = validate.errors ?? [];
    const hit = errors.some(
      (e) => e.instancePath === instancePath && (keyword === undefined || e.keyword === keyword),
    );
    assert.ok(hit, `no ${keyword ?? ''} error at "${instancePath}": ${errorsOf(doc)}`);
  }
}

function definition(name: string): JsonObject {
  const defs = schema.definitions;
  assert.ok(isObject(defs), 'schema has definitions');
  const def = defs[name];
  assert.ok(isObject(def), `definition ${name} exists`);
  return def;
}

function propertiesOf(node: JsonObject): JsonObject {
  const props = node.properties;
  assert.ok(isObject(props), 'node has properties');
  return props;
}

interface Visit { node: JsonObject; pointer: string }

/** Every schema node (objects only), skipping data-valued keywords whose content is not a schema. */
function walkSchema(node: Json, pointer = '#', out: Visit[] = []): Visit[] {
  if (Array.isArray(node)) {
    node.forEach((item, i) => walkSchema(item, `${pointer}/${i}`, out));
  } else if (isObject(node)) {
    out.push({ node, pointer });
    for (const [key, value] of Object.entries(node)) {
      if (['defaultSnippets', 'examples', 'enum', 'default', 'const'].includes(key)) continue;
      walkSchema(value, `${pointer}/${key}`, out);
    }
  }
  return out;
}

/** A full example config: both stages, every section (comments removed). */
const designExample = {
  $schema: '../schemas/qeff-disagg.schema.json',
  model: 'openai/gpt-oss-120b',
  family: 'gpt-oss-120b',
  qefficientVersion: '1.22',
  prefill: {
    mode: 'chunking',
    from_pretrained: { continuous_batching: true },
    compile: {
      prefill_seq_len: 128, ctx_len: 8192, num_cores: 16, num_devices: 1,
      mxfp6_matmul: true, mxint8_kv_cache: true, use_onnx_subfunctions: true,
      kv_cache_batch_size: 4, mos: 1, aic_enable_depth_first: true,
      node_precision_info: 'npi/subfunction_120b_npi.yaml',
    },
  },
  decode: {
    mode: 'full-kv',
    from_pretrained: { continuous_batching: true },
    compile: {
      ctx_len: 8192, full_batch_size: 4, kv_cache_batch_size: 4, num_cores: 16,
      mxfp6_matmul: true, mxint8_kv_cache: true,
      node_precision_info: 'npi/non_subfunction_120b_npi.yaml',
    },
  },
};

/** A deep copy of the DESIGN example with `edit` applied. */
function variant(edit: (doc: any) => void): unknown {
  const doc = structuredClone(designExample) as any;
  edit(doc);
  return doc;
}

test('the schema file is found and is draft-07 without $id', () => {
  assert.ok(fs.existsSync(schemaPath), schemaPath);
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.equal(schema.$id, undefined);
  assert.equal(typeof schema.title, 'string');
  assert.equal(typeof schema.description, 'string');
});

test('the schema compiles with ajv', () => {
  assert.equal(typeof validate, 'function');
  assert.equal(ajv.validateSchema(schema), true, JSON.stringify(ajv.errors));
});

test('the root and definitions have the expected structure', () => {
  assert.deepEqual(schema.required, ['model']);
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(Object.keys(propertiesOf(schema)).sort(),
    ['$schema', 'decode', 'family', 'model', 'prefill', 'qefficientVersion', 'serving']);
  const root = propertiesOf(schema);
  assert.equal((root.prefill as JsonObject).$ref, '#/definitions/prefillStage');
  assert.equal((root.decode as JsonObject).$ref, '#/definitions/decodeStage');
  for (const name of ['prefillStage', 'decodeStage']) {
    const stage = definition(name);
    assert.deepEqual(stage.required, ['mode']);
    assert.equal(stage.additionalProperties, false);
    const props = propertiesOf(stage);
    assert.deepEqual(Object.keys(props).sort(), ['compile', 'env', 'from_pretrained', 'mode']);
    assert.equal((props.from_pretrained as JsonObject).$ref, '#/definitions/fromPretrained');
    assert.equal((props.compile as JsonObject).$ref, '#/definitions/compileKwargs');
    assert.equal((props.env as JsonObject).$ref, '#/definitions/env');
  }
  assert.equal(definition('fromPretrained').additionalProperties, true);
  assert.equal(definition('compileKwargs').additionalProperties, true);
  assert.deepEqual((definition('env').additionalProperties as JsonObject).type, ['string', 'integer']);
});

test('mode and family enums match the core types', () => {
  assert.deepEqual((propertiesOf(definition('prefillStage')).mode as JsonObject).enum, [...PREFILL_MODES]);
  assert.deepEqual((propertiesOf(definition('decodeStage')).mode as JsonObject).enum, [...DECODE_MODES]);
  assert.deepEqual((propertiesOf(schema).family as JsonObject).enum, [...FAMILIES]);
});

test('every enum has enumDescriptions and markdownEnumDescriptions of the same length', () => {
  const withEnum = walkSchema(schema).filter((v) => Array.isArray(v.node.enum));
  assert.ok(withEnum.length >= 4);
  for (const { node, pointer } of withEnum) {
    const n = (node.enum as Json[]).length;
    for (const key of ['enumDescriptions', 'markdownEnumDescriptions']) {
      const list = node[key];
      assert.ok(Array.isArray(list) && list.length === n, `${pointer}: ${key} has ${n} entries`);
      for (const text of list) assert.ok(typeof text === 'string' && text.trim().length > 0, `${pointer}: ${key}`);
    }
  }
});

test('every compile kwarg of QEfficient (1.21 to main) and every known compiler option is a property', () => {
  const known = `onnx_path compile_dir prefill_seq_len ctx_len comp_ctx_lengths_prefill comp_ctx_lengths_decode
    batch_size full_batch_size kv_cache_batch_size num_devices num_cores mxfp6_matmul mxint8_kv_cache
    num_speculative_tokens prefill_only use_onnx_subfunctions offload_pt_weights enable_chunking
    moe_prefill_packed_chunk_size retain_full_kv layerwise layerwise_window_size kv_cache_prefix
    mdp_ts_num_devices mos aic_enable_depth_first node_precision_info user_tiled split_retained_state_io
    allow_mxint8_mdp_io mdp_num_partitions mdp_strategy mdp_compiler_dump_path mdp_load_partition_config
    aic_hw_version`.split(/\s+/);
  assert.deepEqual(Object.keys(propertiesOf(definition('compileKwargs'))).sort(), [...known].sort());
  assert.deepEqual(Object.keys(propertiesOf(definition('env'))).sort(),
    ['ENABLE_OPT_SWA', 'NUM_FFN_BLOCKS', 'NUM_Q_BLOCKS']);
  assert.deepEqual(Object.keys(propertiesOf(definition('fromPretrained'))).sort(),
    ['cache_dir', 'continuous_batching', 'dtype', 'layerwise', 'max_seq_len_cached', 'num_hidden_layers',
      'qaic_config', 'revision', 'token', 'torch_dtype', 'trust_remote_code']);
});

test('every property everywhere has description and markdownDescription', () => {
  let count = 0;
  for (const { node, pointer } of walkSchema(schema)) {
    if (!isObject(node.properties)) continue;
    for (const [key, prop] of Object.entries(node.properties)) {
      assert.ok(isObject(prop), `${pointer}/properties/${key} is a schema`);
      for (const field of ['description', 'markdownDescription']) {
        const text = prop[field];
        assert.ok(typeof text === 'string' && text.trim().length > 0,
          `${pointer}/properties/${key} has a ${field}`);
      }
      count++;
    }
  }
  assert.ok(count >= 60, `walked ${count} properties`);
});

test('the schema has no numeric range keywords (they belong to the rules)', () => {
  const banned = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];
  for (const { node, pointer } of walkSchema(schema)) {
    for (const key of banned) assert.equal(key in node, false, `${pointer} has ${key}`);
  }
  assert.doesNotMatch(fs.readFileSync(schemaPath, 'utf8'), /"(minimum|maximum|exclusiveMinimum|exclusiveMaximum|multipleOf)"\s*:/);
});

test('a full example config validates', () => {
  assertValid(designExample);
});

test('minimal documents validate', () => {
  assertValid({ model: 'openai/gpt-oss-20b' });
  assertValid({ model: './models/gpt-oss-20b', prefill: { mode: 'blocking' } });
  assertValid({ model: 'openai/gpt-oss-20b', decode: { mode: 'swa-retain' } });
  assertValid({ model: 'm', qefficientVersion: '1.21' });
  assertValid({ model: 'm', qefficientVersion: '1.22.8' });
});

test('every defaultSnippets body validates inside a root document', () => {
  const labels: string[] = [];
  for (const [stageKey, defName] of [['prefill', 'prefillStage'], ['decode', 'decodeStage']] as const) {
    const snippets = definition(defName).defaultSnippets;
    assert.ok(Array.isArray(snippets), `${defName} has defaultSnippets`);
    const modes = (propertiesOf(definition(defName)).mode as JsonObject).enum as string[];
    const snippetModes: string[] = [];
    for (const snippet of snippets) {
      assert.ok(isObject(snippet) && typeof snippet.label === 'string', 'snippet has a label');
      assert.ok(isObject(snippet.body), `${snippet.label} has an object body`);
      labels.push(snippet.label);
      snippetModes.push(snippet.body.mode as string);
      assertValid({ model: 'openai/gpt-oss-20b', [stageKey]: snippet.body });
    }
    assert.deepEqual(snippetModes, modes, `${defName}: one snippet per mode`);
  }
  assert.deepEqual(labels, ['prefill: blocking', 'prefill: chunking', 'decode: swa-retain', 'decode: full-kv']);
});

test('decode snippets follow the design note (CB with full_batch_size, no subfunctions, no prefill_seq_len)', () => {
  for (const snippet of definition('decodeStage').defaultSnippets as JsonObject[]) {
    const body = snippet.body as any;
    assert.equal(body.from_pretrained.continuous_batching, true);
    assert.equal(typeof body.compile.full_batch_size, 'number');
    assert.equal(body.compile.ctx_len, 8192);
    assert.ok(!('prefill_seq_len' in body.compile));
    assert.notEqual(body.compile.use_onnx_subfunctions, true);
  }
  const [blocking, chunking] = definition('prefillStage').defaultSnippets as JsonObject[];
  const b = (blocking.body as any).compile;
  assert.equal(b.prefill_seq_len, 256);
  assert.equal(b.ctx_len, 256);
  assert.equal(b.use_onnx_subfunctions, true);
  assert.ok(!('from_pretrained' in (blocking.body as any)), 'blocking: no continuous batching');
  const c = (chunking.body as any).compile;
  assert.equal(c.prefill_seq_len, 128);
  assert.equal(c.ctx_len, 8192);
});

test('wrong types and bad enums are rejected', () => {
  assertInvalid(variant((d) => { d.prefill.compile.num_cores = '16'; }), '/prefill/compile/num_cores', 'type');
  assertInvalid(variant((d) => { d.decode.compile.ctx_len = 8192.5; }), '/decode/compile/ctx_len', 'type');
  assertInvalid(variant((d) => { d.prefill.compile.mxfp6_matmul = 'true'; }), '/prefill/compile/mxfp6_matmul', 'type');
  assertInvalid(variant((d) => { d.prefill.compile.node_precision_info = 1; }), '/prefill/compile/node_precision_info', 'type');
  assertInvalid(variant((d) => { d.prefill.compile.mdp_strategy = 'greedy'; }), '/prefill/compile/mdp_strategy', 'enum');
  assertInvalid(variant((d) => { d.prefill.compile.comp_ctx_lengths_prefill = [1024, 'x']; }),
    '/prefill/compile/comp_ctx_lengths_prefill/1', 'type');
  assertInvalid(variant((d) => { d.prefill.compile.num_speculative_tokens = 'two'; }),
    '/prefill/compile/num_speculative_tokens', 'type');
  assertInvalid(variant((d) => { d.decode.from_pretrained.continuous_batching = 'true'; }),
    '/decode/from_pretrained/continuous_batching', 'type');
  assertInvalid(variant((d) => { d.prefill.from_pretrained.qaic_config = 'ccl'; }),
    '/prefill/from_pretrained/qaic_config', 'type');
  assertInvalid(variant((d) => { d.prefill.compile = [1]; }), '/prefill/compile', 'type');
  assertInvalid(variant((d) => { d.model = 42; }), '/model', 'type');
  assertInvalid(variant((d) => { d.model = ''; }), '/model', 'minLength');
  assertInvalid(variant((d) => { d.family = 'gpt-oss-7b'; }), '/family', 'enum');
  assertInvalid(variant((d) => { d.qefficientVersion = 'v1.22'; }), '/qefficientVersion', 'pattern');
  assertInvalid(variant((d) => { d.qefficientVersion = 1.22; }), '/qefficientVersion', 'type');
  assertInvalid([], '', 'type');
});

test('env values: ENABLE_OPT_SWA only "0"/"1", other variables string or integer', () => {
  const env = (e: Record<string, unknown>) => ({ model: 'openai/gpt-oss-20b', prefill: { mode: 'blocking', env: e } });
  assertInvalid(env({ ENABLE_OPT_SWA: true }), '/prefill/env/ENABLE_OPT_SWA', 'type');
  assertInvalid(env({ ENABLE_OPT_SWA: 1 }), '/prefill/env/ENABLE_OPT_SWA', 'type');
  assertInvalid(env({ ENABLE_OPT_SWA: '2' }), '/prefill/env/ENABLE_OPT_SWA', 'enum');
  assertInvalid(env({ NUM_Q_BLOCKS: true }), '/prefill/env/NUM_Q_BLOCKS', 'type');
  assertInvalid(env({ NUM_FFN_BLOCKS: 1.5 }), '/prefill/env/NUM_FFN_BLOCKS', 'type');
  assertInvalid(env({ QEFF_HOME: false }), '/prefill/env/QEFF_HOME', 'type');
  assertValid(env({ ENABLE_OPT_SWA: '1', NUM_Q_BLOCKS: '2', NUM_FFN_BLOCKS: 4, QEFF_HOME: '/data/qeff' }));
  assertValid(env({ ENABLE_OPT_SWA: '0', NUM_Q_BLOCKS: 2 }));
});

test('a mode of the other stage is rejected', () => {
  assertInvalid(variant((d) => { d.prefill.mode = 'swa-retain'; }), '/prefill/mode', 'enum');
  assertInvalid(variant((d) => { d.prefill.mode = 'full-kv'; }), '/prefill/mode', 'enum');
  assertInvalid(variant((d) => { d.decode.mode = 'blocking'; }), '/decode/mode', 'enum');
  assertInvalid(variant((d) => { d.decode.mode = 'chunking'; }), '/decode/mode', 'enum');
  assertInvalid(variant((d) => { d.decode.mode = 'Full-KV'; }), '/decode/mode', 'enum');
});

test('unknown top-level and stage keys, missing model and missing mode are rejected', () => {
  assertInvalid(variant((d) => { d.prefil = { mode: 'chunking' }; }), '', 'additionalProperties');
  assertInvalid(variant((d) => { d.compile = {}; }), '', 'additionalProperties');
  assertInvalid(variant((d) => { d.prefill.compiler = {}; }), '/prefill', 'additionalProperties');
  assertInvalid(variant((d) => { delete d.model; }), '', 'required');
  assertInvalid({}, '', 'required');
  assertInvalid(variant((d) => { delete d.prefill.mode; }), '/prefill', 'required');
  assertInvalid(variant((d) => { delete d.decode.mode; }), '/decode', 'required');
});

test('unknown compile and from_pretrained keys are accepted', () => {
  assertValid(variant((d) => {
    d.prefill.compile.mdp_dump_partition_config = 'dump.json';
    d.prefill.compile.some_new_compiler_flag = true;
    d.prefill.compile.num_core = 16; // a typo is a rule (QEFF-OPT-01), not a schema error
    d.decode.compile.continous_batching = true;
    d.decode.from_pretrained.attn_implementation = 'eager';
    d.decode.from_pretrained.continous_batching = true; // QEFF-CB-05, not a schema error
  }));
});

test('numeric and cross-field faults are left to the rules', () => {
  assertValid(variant((d) => {
    d.prefill.compile.num_cores = 0;
    d.prefill.compile.prefill_seq_len = 100;
    d.prefill.compile.ctx_len = 1;
    d.prefill.compile.kv_cache_prefix = 'not_alnum';
    d.prefill.compile.mdp_ts_num_devices = 2;
    d.prefill.compile.prefill_only = false;
    d.decode.compile.num_cores = 64;
    d.decode.compile.ctx_len = 10_000_000;
    d.decode.compile.mdp_num_partitions = 0;
    d.decode.compile.use_onnx_subfunctions = true;
    d.decode.compile.layerwise = true;
    d.decode.from_pretrained.continuous_batching = false;
  }));
});

test('nullable kwargs accept null and their documented shapes', () => {
  assertValid(variant((d) => {
    Object.assign(d.prefill.compile, {
      onnx_path: null, compile_dir: null, comp_ctx_lengths_prefill: '[1024, 2048]',
      comp_ctx_lengths_decode: [1024, 2048, 4096], full_batch_size: null, num_speculative_tokens: [2, 4],
      prefill_only: null, retain_full_kv: null,
    });
    Object.assign(d.decode.compile, { kv_cache_batch_size: null, num_speculative_tokens: null, comp_ctx_lengths_decode: null });
    Object.assign(d.decode.from_pretrained, { qaic_config: null, max_seq_len_cached: null });
    d.prefill.from_pretrained.qaic_config = { ccl_enabled: true };
  }));
});

test('the serving section: structure, and what it accepts and rejects', () => {
  assert.equal((propertiesOf(schema).serving as JsonObject).$ref, '#/definitions/serving');
  assert.deepEqual(Object.keys(propertiesOf(definition('serving'))).sort(),
    ['decode', 'extraArgs', 'image', 'kvHandoffPort', 'kvStoreSizeMB', 'port', 'prefill', 'runtime']);
  for (const name of ['servingStage_prefill', 'servingStage_decode']) {
    assert.deepEqual(Object.keys(propertiesOf(definition(name))).sort(), ['deviceGroups', 'maxNumSeqs', 'ports', 'qpc']);
  }
  const serving = { prefill: { deviceGroups: [[0, 1]], ports: [9900] }, decode: { deviceGroups: [[2]] } };
  assertValid({ model: 'openai/gpt-oss-20b', serving });
  assertValid({ model: 'openai/gpt-oss-20b', serving: { ...serving, runtime: 'docker', extraArgs: ['--tool-call-parser', 'openai'] } });
  assertInvalid({ model: 'openai/gpt-oss-20b', serving: { prefill: serving.prefill } }, '/serving', 'required');
  assertInvalid({ model: 'openai/gpt-oss-20b', serving: { ...serving, runtime: 'k8s' } }, '/serving/runtime', 'enum');
  assertInvalid({ model: 'openai/gpt-oss-20b', serving: { ...serving, decode: { deviceGroups: [2] } } }, '/serving/decode/deviceGroups/0', 'type');
  assertInvalid({ model: 'openai/gpt-oss-20b', serving: { ...serving, decode: { deviceGroups: [[2]], qpcs: 'x' } } }, '/serving/decode', 'additionalProperties');
});
