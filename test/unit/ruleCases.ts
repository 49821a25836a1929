// Rule cases: each config marks the expected range of the diagnostic with ⟦ ⟧ (removed before checking).
// Every rule of the registry (docs/rules.md) has at least one firing and one non-firing case.

export interface RuleCase {
  code: string;
  name: string;
  text: string;
  severity?: string;
  version?: string;
  files?: Record<string, string>;
  /** For non-firing cases: the code must not appear at all. */
  fires: boolean;
  /** A firing case of a rule with a quick fix that offers none here (the schema's fixes are for some faults only). */
  withoutFix?: boolean;
}

/** A QPC folder as QEfficient writes it (src/core/serving/qpcFolder.ts): `<dir>/qpc/programqpc.bin` and, beside
 *  `qpc/`, specializations.json (flat, or named from 1.22.8), custom_io.yaml and qconfig.json. */
export interface QpcFixture {
  seq: number; ctx?: number; named?: boolean; prefillOnly?: boolean; qconfig?: boolean; prefixed?: boolean;
  sdk?: string; layers?: number; program?: boolean; mxint8?: boolean;
}
export function qpcFiles(dir: string, o: QpcFixture): Record<string, string> {
  const spec = { batch_size: '1', seq_len: String(o.seq), ctx_len: String(o.ctx ?? 4096) };
  const kv = (n: string) => (o.prefixed ?? true) ? `${n}_vllmKvCache_RetainedState` : `${n}_RetainedState`;
  const files: Record<string, string> = {
    [`${dir}/specializations.json`]: JSON.stringify({ specializations: [o.named ? { name: 'Prefill', symbols: spec } : spec] }),
    [`${dir}/custom_io.yaml`]: ['past_key.0', 'past_value.0'].map(n => ` - IOName: ${kv(n)}\n   Precision: float16\n\n`).join(''),
  };
  if (o.program ?? true) files[`${dir}/qpc/programqpc.bin`] = '\u0000';
  if (o.qconfig ?? true) {
    files[`${dir}/qconfig.json`] = JSON.stringify({
      huggingface_config: { model_type: 'gpt_oss', num_hidden_layers: o.layers ?? 24 },
      qpc_config: {
        compiler_config: { prefill_only: o.prefillOnly ?? o.seq > 1, mxint8_kv_cache: o.mxint8 ?? false, mxfp6_matmul: false },
        aic_sdk_config: { qaic_apps_version: o.sdk ?? '1.21.2.0', qaic_platform_version: o.sdk ?? '1.21.2.0' },
      },
    });
  }
  return files;
}
export const QPC_FILES: Record<string, string> = {
  ...qpcFiles('/cfg/qpc/p', { seq: 128, named: true }),
  ...qpcFiles('/cfg/qpc/d', { seq: 1 }),
  ...qpcFiles('/cfg/qpc/p-plain', { seq: 128, prefixed: false }),
  ...qpcFiles('/cfg/qpc/d-plain', { seq: 1, prefixed: false }),
  ...qpcFiles('/cfg/qpc/d-seq', { seq: 128 }),
  ...qpcFiles('/cfg/qpc/d-ctx', { seq: 1, ctx: 8192 }),
  ...qpcFiles('/cfg/qpc/d-role', { seq: 1, prefillOnly: true }),
  ...qpcFiles('/cfg/qpc/d-hand', { seq: 1, qconfig: false, prefillOnly: true }),
  ...qpcFiles('/cfg/qpc/d-model', { seq: 1, layers: 36 }),
  ...qpcFiles('/cfg/qpc/d-sdk', { seq: 1, sdk: '1.22.0.0' }),
  ...qpcFiles('/cfg/qpc/d-empty', { seq: 1, program: false }),
};

const VALID_NPI = 'FP32NodeInstanceNames:\n  - /model/layers.0/Add_output_0\n';
export const NPI_FILES = {
  '/cfg/npi/subfunction_120b_npi.yaml': VALID_NPI,
  '/cfg/npi/non_subfunction_120b_npi.yaml': VALID_NPI,
  '/cfg/npi/plain.yaml': VALID_NPI,
  '/cfg/npi/empty_subfunction.yaml': 'FP32NodeInstanceNames: []\n',
  '/cfg/npi/broken_subfunction.yaml': 'FP32NodeInstanceNames: [a, b\n',
  '/cfg/models/local/config.json': '{ "num_local_experts": 128, "num_hidden_layers": 36 }',
  ...QPC_FILES,
};

/** A clean chunking + full-kv pair for gpt-oss-20b, where `prefill`/`decode` bodies can be replaced. */
export function pair(prefill: string, decode: string, extra = ''): string {
  return `{\n  "model": "openai/gpt-oss-20b",${extra}\n  "prefill": ${prefill},\n  "decode": ${decode}\n}\n`;
}
const P_CHUNK = '{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true } }';
const D_FULL = '{ "mode": "full-kv", "compile": { "ctx_len": 4096 } }';
const P_BLOCK = '{ "mode": "blocking", "compile": { "prefill_seq_len": 256, "ctx_len": 256, "use_onnx_subfunctions": true } }';
const D_SWA = '{ "mode": "swa-retain", "compile": { "ctx_len": 256 } }';

export const CLEAN_CONFIGS = [pair(P_CHUNK, D_FULL), pair(P_BLOCK, D_SWA)];

/** A blocking prefill with subfunctions, the given prefill_seq_len and env entries, paired with swa-retain decode. */
const blocking = (psl: number, env: string) =>
  pair(`{ "mode": "blocking", "compile": { "prefill_seq_len": ${psl}, "use_onnx_subfunctions": true }, "env": { ${env} } }`, D_SWA);

/** A decode stage with continuous batching, as serving needs it. */
const D_FULL_CB = '{ "mode": "full-kv", "from_pretrained": { "continuous_batching": true }, "compile": { "ctx_len": 4096, "full_batch_size": 4, "kv_cache_batch_size": 4 } }';
const P_CHUNK_2 = P_CHUNK.replace('"ctx_len": 4096', '"ctx_len": 4096, "num_devices": 2');
const SRV_BASE = '{ "prefill": { "deviceGroups": [[0]] }, "decode": { "deviceGroups": [[1]] } }';
/** A chunking + full-kv pair with a "serving" section (the text may carry ⟦ ⟧). */
const served = (serving: string, prefill = P_CHUNK, decode = D_FULL_CB) => pair(prefill, decode, `\n  "serving": ${serving},`);
const SERVED = served('{ "port": 8000, "kvHandoffPort": 5656, "prefill": { "deviceGroups": [[0]], "ports": [9900] }, "decode": { "deviceGroups": [[1]], "ports": [9800] } }');
/** Serving the QPC fixtures of QPC_FILES; a ⟦ ⟧ around a path marks the quoted JSON string. */
const servedQpc = (p: string, d: string, prefill = P_CHUNK, decode = D_FULL_CB) => {
  const q = (path: string) => path.startsWith('⟦') ? `⟦"${path.slice(1, -1)}/qpc"⟧` : `"${path}/qpc"`;
  return served(`{ "prefill": { "deviceGroups": [[0]], "qpc": ${q(p)} }, "decode": { "deviceGroups": [[1]], "qpc": ${q(d)} } }`, prefill, decode);
};

const f = (code: string, name: string, text: string, more: Partial<RuleCase> = {}): RuleCase => ({ code, name, text, fires: true, ...more });
const n = (code: string, name: string, text: string, more: Partial<RuleCase> = {}): RuleCase => ({ code, name, text, fires: false, ...more });

export const CASES: RuleCase[] = [
  // Structure
  f('QEFF-SCHEMA', 'missing model, at the first brace', '⟦{⟧ "prefill": { "mode": "chunking" } }', { withoutFix: true }),
  f('QEFF-SCHEMA', 'unknown top-level key', '{ "model": "openai/gpt-oss-20b", ⟦"modle"⟧: 1 }', { withoutFix: true }),
  f('QEFF-SCHEMA', 'wrong type of a kwarg', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": ⟦"4096"⟧, "use_onnx_subfunctions": true } }', D_FULL), { withoutFix: true }),
  f('QEFF-SCHEMA', 'bad prefill mode', pair('{ "mode": ⟦"chunked"⟧, "compile": { "use_onnx_subfunctions": true } }', D_FULL)),
  f('QEFF-SCHEMA', 'missing mode on the stage key', pair('{ "compile": { "use_onnx_subfunctions": true } }', D_FULL).replace('"prefill"', '⟦"prefill"⟧'), { withoutFix: true }),
  n('QEFF-SCHEMA', 'comments and trailing commas are fine', '{\n // a comment\n "model": "openai/gpt-oss-20b", /* block */\n}'),
  f('QEFF-MODEL-01', 'unknown family', '{ "model": ⟦"tiny-random/gpt-oss-bf16"⟧ }', { severity: 'warning' }),
  n('QEFF-MODEL-01', 'family given', '{ "model": "tiny-random/gpt-oss-bf16", "family": "gpt-oss-20b" }'),
  n('QEFF-MODEL-01', 'family from a local config.json', '{ "model": "models/local", "prefill": { "mode": "chunking", "compile": { "use_onnx_subfunctions": true, "node_precision_info": "npi/subfunction_120b_npi.yaml" } } }'),
  n('QEFF-MODEL-01', 'model missing: not reported', '{ "family": "gpt-oss-20b" }'),

  // Mode
  f('QEFF-MODE-01', 'prefill_only false in prefill', pair('{ "mode": "chunking", "compile": { "prefill_only": ⟦false⟧, "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true } }', D_FULL)),
  f('QEFF-MODE-01', 'prefill_seq_len 1 in prefill (over PB-01)', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": ⟦1⟧, "use_onnx_subfunctions": true } }', D_SWA)),
  f('QEFF-MODE-01', 'blocking with enable_chunking true', pair('{ "mode": "blocking", "compile": { "enable_chunking": ⟦true⟧, "prefill_seq_len": 256, "use_onnx_subfunctions": true } }', D_SWA)),
  f('QEFF-MODE-01', 'chunking with enable_chunking false', pair('{ "mode": "chunking", "compile": { "enable_chunking": ⟦false⟧, "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true } }', D_FULL)),
  f('QEFF-MODE-01', 'decode with prefill_seq_len 128', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "prefill_seq_len": ⟦128⟧, "ctx_len": 4096 } }')),
  f('QEFF-MODE-01', 'decode with enable_chunking true', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "enable_chunking": ⟦true⟧, "ctx_len": 4096 } }')),
  f('QEFF-MODE-01', 'swa-retain with retain_full_kv true', pair(P_BLOCK, '{ "mode": "swa-retain", "compile": { "retain_full_kv": ⟦true⟧, "ctx_len": 256 } }')),
  f('QEFF-MODE-01', 'full-kv with retain_full_kv false', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "retain_full_kv": ⟦false⟧, "ctx_len": 4096 } }')),
  f('QEFF-MODE-01', 'decode with prefill_only true', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "prefill_only": ⟦true⟧, "ctx_len": 4096 } }')),
  n('QEFF-MODE-01', 'a wrong-typed value is the schema\'s', pair('{ "mode": "chunking", "compile": { "prefill_only": "no", "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true } }', D_FULL)),
  n('QEFF-PB-01', 'MODE-01 wins over PB-01 on prefill_seq_len 1', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 1, "use_onnx_subfunctions": true } }', D_SWA)),
  f('QEFF-MODE-02', 'redundant prefill_only true', pair('{ "mode": "chunking", "compile": { ⟦"prefill_only"⟧: true, "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true } }', D_FULL), { severity: 'hint' }),
  f('QEFF-MODE-02', 'redundant retain_full_kv true in full-kv', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { ⟦"retain_full_kv"⟧: true, "ctx_len": 4096 } }')),
  f('QEFF-MODE-02', 'redundant prefill_seq_len 1 in swa-retain', pair(P_BLOCK, '{ "mode": "swa-retain", "compile": { ⟦"prefill_seq_len"⟧: 1, "ctx_len": 256 } }')),
  n('QEFF-MODE-02', 'no mode kwargs written', pair(P_CHUNK, D_FULL)),
  f('QEFF-MODE-03', 'decode mode in prefill', pair('{ "mode": ⟦"swa-retain"⟧, "compile": { "use_onnx_subfunctions": true } }', D_SWA)),
  f('QEFF-MODE-03', 'prefill mode in decode', pair(P_CHUNK, '{ "mode": ⟦"chunking"⟧, "compile": { "ctx_len": 4096 } }')),
  n('QEFF-SCHEMA', 'MODE-03 replaces the schema enum error', pair('{ "mode": "swa-retain", "compile": { "use_onnx_subfunctions": true } }', D_SWA)),
  n('QEFF-PAIR-01', 'MODE-03 skips the pairing rules', pair(P_CHUNK, '{ "mode": "blocking", "compile": { "ctx_len": 4096 } }')),
  n('QEFF-MODE-03', 'valid modes', pair(P_CHUNK, D_FULL)),

  // Continuous batching
  f('QEFF-CB-01', 'full_batch_size without CB', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, ⟦"full_batch_size"⟧: 4 } }'), { severity: 'warning' }),
  n('QEFF-CB-01', 'full_batch_size with CB', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { "continuous_batching": true }, "compile": { "ctx_len": 4096, "full_batch_size": 4 } }')),
  // Without CB, kv_cache_batch_size on a blocking prefill sets the QPC's batch size (modeling_auto.py compile(), release/v1.22.0): CB-01, not PB-02.
  f('QEFF-CB-01', 'kv_cache_batch_size in blocking without CB', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 256, ⟦"kv_cache_batch_size"⟧: 4, "use_onnx_subfunctions": true } }', D_SWA), { severity: 'warning' }),
  n('QEFF-CB-01', 'full_batch_size in from_pretrained turns CB on', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { "full_batch_size": 4 }, "compile": { "ctx_len": 4096, "full_batch_size": 4 } }')),
  // from_pretrained pops full_batch_size and sets continuous_batching=True (modeling_auto.py, release/v1.21.6 .. main).
  f('QEFF-CB-06', 'full_batch_size in from_pretrained', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { ⟦"full_batch_size"⟧: 8 }, "compile": { "ctx_len": 4096, "full_batch_size": 4 } }'), { severity: 'warning' }),
  f('QEFF-CB-06', 'full_batch_size beside continuous_batching', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { "continuous_batching": true, ⟦"full_batch_size"⟧: 8 }, "compile": { "ctx_len": 4096, "full_batch_size": 4 } }')),
  f('QEFF-CB-06', 'full_batch_size overrides continuous_batching false', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { "continuous_batching": false, ⟦"full_batch_size"⟧: 8 }, "compile": { "ctx_len": 4096, "full_batch_size": 4 } }')),
  n('QEFF-CB-06', 'full_batch_size 0 in from_pretrained is falsy: CB stays off', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { "full_batch_size": 0 }, "compile": { "ctx_len": 4096 } }')),
  f('QEFF-CB-02', 'CB on via from_pretrained full_batch_size: decode needs compile full_batch_size', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { "full_batch_size": 4 }, ⟦"compile"⟧: { "ctx_len": 4096 } }')),
  f('QEFF-PB-02', 'CB via from_pretrained full_batch_size in blocking', pair('{ "mode": ⟦"blocking"⟧, "from_pretrained": { "full_batch_size": 4 }, "compile": { "prefill_seq_len": 256, "use_onnx_subfunctions": true } }', D_SWA)),
  f('QEFF-CB-02', 'decode CB without full_batch_size', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { "continuous_batching": true }, ⟦"compile"⟧: { "ctx_len": 4096 } }')),
  f('QEFF-CB-02', 'decode CB without compile at all, on the stage key', '{ "model": "openai/gpt-oss-20b", ⟦"decode"⟧: { "mode": "swa-retain", "from_pretrained": { "continuous_batching": true } } }'),
  f('QEFF-CB-02', 'the misspelled key counts as CB', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { "continous_batching": true }, ⟦"compile"⟧: { "ctx_len": 4096 } }')),
  n('QEFF-CB-02', 'decode CB with full_batch_size', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { "continuous_batching": true }, "compile": { "ctx_len": 4096, "full_batch_size": 2 } }')),
  f('QEFF-CB-03', 'chunking CB without batch sizes', pair('{ "mode": "chunking", "from_pretrained": { "continuous_batching": true }, ⟦"compile"⟧: { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true } }', D_FULL)),
  n('QEFF-CB-03', 'chunking CB with full_batch_size', pair('{ "mode": "chunking", "from_pretrained": { "continuous_batching": true }, "compile": { "full_batch_size": 1, "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true } }', D_FULL)),
  f('QEFF-CB-04', 'kv_cache_batch_size < full_batch_size', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { "continuous_batching": true }, "compile": { "ctx_len": 4096, "full_batch_size": 4, "kv_cache_batch_size": ⟦2⟧ } }'), { severity: 'warning' }),
  n('QEFF-CB-04', 'kv_cache_batch_size >= full_batch_size', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { "continuous_batching": true }, "compile": { "ctx_len": 4096, "full_batch_size": 4, "kv_cache_batch_size": 8 } }')),
  f('QEFF-CB-05', 'misspelled continous_batching', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { ⟦"continous_batching"⟧: true }, "compile": { "ctx_len": 4096, "full_batch_size": 4 } }')),
  f('QEFF-CB-05', 'misspelled at the top level: not a schema error', '{ "model": "openai/gpt-oss-20b", ⟦"continous_batching"⟧: true }'),
  n('QEFF-SCHEMA', 'the misspelled top-level key is CB-05 only', '{ "model": "openai/gpt-oss-20b", "continous_batching": true }'),
  n('QEFF-CB-05', 'the right spelling', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { "continuous_batching": true }, "compile": { "ctx_len": 4096, "full_batch_size": 4 } }')),
  n('QEFF-OPT-01', 'the misspelled key in compile is CB-05 only', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "continous_batching": true } }')),

  // Prefill blocking
  f('QEFF-PB-01', 'prefill_seq_len 128', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": ⟦128⟧, "use_onnx_subfunctions": true } }', D_SWA)),
  f('QEFF-PB-01', 'prefill_seq_len 300', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": ⟦300⟧, "use_onnx_subfunctions": true } }', D_SWA)),
  f('QEFF-PB-01', 'prefill_seq_len missing', pair('{ "mode": "blocking", ⟦"compile"⟧: { "use_onnx_subfunctions": true } }', D_SWA)),
  f('QEFF-PB-01', 'on 1.21 without NUM_Q_BLOCKS', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": ⟦128⟧, "use_onnx_subfunctions": true } }', D_SWA), { version: '1.21' }),
  n('QEFF-PB-01', 'on 1.21 NUM_Q_BLOCKS replaces the 256 rule', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 128, "use_onnx_subfunctions": true }, "env": { "NUM_Q_BLOCKS": "2" } }', D_SWA), { version: '1.21' }),
  n('QEFF-PB-01', 'prefill_seq_len 512', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 512, "use_onnx_subfunctions": true } }', D_SWA)),
  f('QEFF-PB-02', 'CB in blocking', pair('{ "mode": ⟦"blocking"⟧, "from_pretrained": { "continuous_batching": true }, "compile": { "prefill_seq_len": 256, "use_onnx_subfunctions": true } }', D_SWA)),
  // The NotImplementedError needs continuous_batching (modeling_auto.py export(), release/v1.21.6 .. main).
  n('QEFF-PB-02', 'kv_cache_batch_size in blocking without CB', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 256, "kv_cache_batch_size": 2, "use_onnx_subfunctions": true } }', D_SWA)),
  n('QEFF-PB-02', 'plain blocking', pair(P_BLOCK, D_SWA)),
  f('QEFF-PB-03', 'ctx_len differs from prefill_seq_len', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 256, "ctx_len": ⟦4096⟧, "use_onnx_subfunctions": true } }', D_SWA), { severity: 'warning' }),
  n('QEFF-PB-03', 'CTX-01 wins over PB-03', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 512, "ctx_len": 256, "use_onnx_subfunctions": true } }', D_SWA)),
  n('QEFF-PB-03', 'ctx_len absent', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 256, "use_onnx_subfunctions": true } }', D_SWA)),
  f('QEFF-PB-04', 'NUM_Q_BLOCKS zero', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 256, "use_onnx_subfunctions": true }, "env": { "NUM_Q_BLOCKS": ⟦"0"⟧ } }', D_SWA)),
  f('QEFF-PB-04', 'NUM_FFN_BLOCKS not digits', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 256, "use_onnx_subfunctions": true }, "env": { "NUM_FFN_BLOCKS": ⟦"two"⟧ } }', D_SWA)),
  f('QEFF-PB-04', 'NUM_Q_BLOCKS negative number', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 256, "use_onnx_subfunctions": true }, "env": { "NUM_Q_BLOCKS": ⟦-2⟧ } }', D_SWA)),
  n('QEFF-PB-04', 'digit string and number', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 256, "use_onnx_subfunctions": true }, "env": { "NUM_Q_BLOCKS": "2", "NUM_FFN_BLOCKS": 4 } }', D_SWA)),
  // 1.21 reads NUM_Q_BLOCKS from the env; 1.22+ takes prefill_seq_len // 256 (modeling_auto.py,
  // get_seq_len_and_handle_specialized_prefill_model, release/v1.21.6 vs release/v1.22.0).
  f('QEFF-PB-05', 'on 1.21 env NUM_Q_BLOCKS 2 against NUM_FFN_BLOCKS 3', blocking(256, '"NUM_Q_BLOCKS": ⟦"2"⟧, "NUM_FFN_BLOCKS": "3"'), { version: '1.21' }),
  f('QEFF-PB-05', 'on 1.21 without NUM_Q_BLOCKS, psl // 256 = 2 against NUM_FFN_BLOCKS 3', blocking(512, '"NUM_FFN_BLOCKS": ⟦"3"⟧'), { version: '1.21' }),
  f('QEFF-PB-05', 'on 1.22 psl // 256 = 2 against NUM_FFN_BLOCKS 3', blocking(512, '"NUM_FFN_BLOCKS": ⟦"3"⟧'), { version: '1.22.0' }),
  f('QEFF-PB-05', 'on 1.22 the env NUM_Q_BLOCKS does not rescue it', blocking(512, '"NUM_Q_BLOCKS": "3", "NUM_FFN_BLOCKS": ⟦"3"⟧')),
  n('QEFF-PB-05', 'on 1.22 the env NUM_Q_BLOCKS 2 is not read: psl // 256 = 1 and 3 agree', blocking(256, '"NUM_Q_BLOCKS": "2", "NUM_FFN_BLOCKS": "3"')),
  n('QEFF-PB-05', '4 and 2', blocking(512, '"NUM_Q_BLOCKS": "2", "NUM_FFN_BLOCKS": "4"')),
  // The export hash keeps prefill_seq_len // 256 while the opt-SWA graph reads the env (modeling_auto.py and
  // gpt_oss/modeling_gpt_oss.py opt_eager_attention_forward_blocked, release/v1.22.0 .. main).
  f('QEFF-PB-08', 'NUM_Q_BLOCKS 4 with prefill_seq_len 512 and opt-SWA', blocking(512, '"ENABLE_OPT_SWA": "1", "NUM_Q_BLOCKS": ⟦"4"⟧'), { severity: 'warning' }),
  f('QEFF-PB-08', 'NUM_Q_BLOCKS 1 with prefill_seq_len 512, a number', blocking(512, '"NUM_Q_BLOCKS": ⟦1⟧'), { version: '1.22.8' }),
  n('QEFF-PB-08', 'NUM_Q_BLOCKS = prefill_seq_len // 256', blocking(512, '"ENABLE_OPT_SWA": "1", "NUM_Q_BLOCKS": "2"')),
  n('QEFF-PB-08', 'on 1.21 the env drives both the hash and the graph', blocking(512, '"ENABLE_OPT_SWA": "1", "NUM_Q_BLOCKS": "4"'), { version: '1.21.6' }),
  f('QEFF-PB-06', 'ENABLE_OPT_SWA true (over schema and ENV-02)', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 256, "use_onnx_subfunctions": true }, "env": { "NUM_Q_BLOCKS": 1, "ENABLE_OPT_SWA": ⟦true⟧ } }', D_SWA)),
  f('QEFF-PB-06', 'ENABLE_OPT_SWA "yes"', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 256, "use_onnx_subfunctions": true }, "env": { "NUM_Q_BLOCKS": 1, "ENABLE_OPT_SWA": ⟦"yes"⟧ } }', D_SWA)),
  n('QEFF-ENV-02', 'PB-06 wins over ENV-02', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 256, "use_onnx_subfunctions": true }, "env": { "NUM_Q_BLOCKS": 1, "ENABLE_OPT_SWA": true } }', D_SWA)),
  n('QEFF-SCHEMA', 'PB-06 wins over the schema', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 256, "use_onnx_subfunctions": true }, "env": { "NUM_Q_BLOCKS": 1, "ENABLE_OPT_SWA": true } }', D_SWA)),
  n('QEFF-PB-06', 'ENABLE_OPT_SWA "0"', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 256, "use_onnx_subfunctions": true }, "env": { "ENABLE_OPT_SWA": "0" } }', D_SWA)),
  f('QEFF-PB-07', 'opt-SWA without NUM_Q_BLOCKS on 1.22', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 512, "use_onnx_subfunctions": true }, "env": { "ENABLE_OPT_SWA": ⟦"1"⟧ } }', D_SWA), { severity: 'warning' }),
  n('QEFF-PB-07', 'opt-SWA on 1.21 (NUM_Q_BLOCKS defaults from psl)', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 512, "use_onnx_subfunctions": true }, "env": { "ENABLE_OPT_SWA": "1" } }', D_SWA), { version: '1.21' }),
  n('QEFF-PB-07', 'opt-SWA with NUM_Q_BLOCKS', pair('{ "mode": "blocking", "compile": { "prefill_seq_len": 512, "use_onnx_subfunctions": true }, "env": { "ENABLE_OPT_SWA": "1", "NUM_Q_BLOCKS": "2" } }', D_SWA)),

  // Prefill chunking
  f('QEFF-PC-01', 'ctx_len < psl + 128', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 256, "ctx_len": ⟦300⟧, "use_onnx_subfunctions": true } }', '{ "mode": "full-kv", "compile": { "ctx_len": 300 } }'), { severity: 'warning' }),
  f('QEFF-PC-01', 'default ctx_len 128 with the default psl 32, on the compile key', pair('{ "mode": "chunking", ⟦"compile"⟧: { "use_onnx_subfunctions": true } }', '{ "mode": "full-kv" }')),
  n('QEFF-PC-01', 'CTX-01 wins over PC-01', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 512, "ctx_len": 256, "use_onnx_subfunctions": true } }', '{ "mode": "full-kv", "compile": { "ctx_len": 256 } }')),
  n('QEFF-PC-01', 'ctx_len = psl + 128', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 256, "use_onnx_subfunctions": true } }', '{ "mode": "full-kv", "compile": { "ctx_len": 256 } }')),
  f('QEFF-PC-02', 'num_cores 12 for 32 experts', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "num_cores": ⟦12⟧, "use_onnx_subfunctions": true } }', D_FULL)),
  n('QEFF-PC-02', 'num_cores 12 on 1.21', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "num_cores": 12, "use_onnx_subfunctions": true } }', D_FULL), { version: '1.21' }),
  n('QEFF-PC-02', 'CORES-01 wins over PC-02', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "num_cores": 0, "use_onnx_subfunctions": true } }', D_FULL)),
  n('QEFF-PC-02', 'num_cores 8', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "num_cores": 8, "use_onnx_subfunctions": true } }', D_FULL)),

  // Environment
  f('QEFF-ENV-01', 'NUM_Q_BLOCKS in chunking', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true }, "env": { ⟦"NUM_Q_BLOCKS"⟧: "2" } }', D_FULL), { severity: 'warning' }),
  f('QEFF-ENV-01', 'ENABLE_OPT_SWA in decode', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096 }, "env": { ⟦"ENABLE_OPT_SWA"⟧: "1" } }')),
  n('QEFF-ENV-01', 'other variables in decode', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096 }, "env": { "QEFF_HOME": "/data/qeff" } }')),
  f('QEFF-ENV-02', 'a boolean env value', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096 }, "env": { "HF_HUB_OFFLINE": ⟦true⟧ } }')),
  f('QEFF-ENV-02', 'a fractional env value', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096 }, "env": { "X": ⟦1.5⟧ } }')),
  n('QEFF-ENV-02', 'string and integer values', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096 }, "env": { "X": "a", "Y": 3 } }')),

  // Decode
  f('QEFF-DEC-01', 'subfunctions in decode on 1.21: error', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "use_onnx_subfunctions": ⟦true⟧ } }'), { version: '1.21', severity: 'error' }),
  f('QEFF-DEC-01', 'subfunctions in decode on 1.22: warning', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "use_onnx_subfunctions": ⟦true⟧ } }'), { severity: 'warning' }),
  n('QEFF-DEC-01', 'subfunctions false in decode', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "use_onnx_subfunctions": false } }')),
  f('QEFF-DEC-02', 'retain_full_kv in a blocking prefill', pair('{ "mode": "blocking", "compile": { ⟦"retain_full_kv"⟧: true, "prefill_seq_len": 256, "use_onnx_subfunctions": true } }', D_SWA), { severity: 'warning' }),
  f('QEFF-DEC-02', 'retain_full_kv in a chunking prefill', pair('{ "mode": "chunking", "compile": { ⟦"retain_full_kv"⟧: true, "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true } }', D_FULL), { severity: 'warning' }),
  n('QEFF-DEC-02', 'retain_full_kv in decode', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "retain_full_kv": true } }')),

  // Subfunctions and NPI
  f('QEFF-SUB-01', 'prefill without use_onnx_subfunctions', pair('{ "mode": "chunking", ⟦"compile"⟧: { "prefill_seq_len": 128, "ctx_len": 4096 } }', D_FULL), { severity: 'warning' }),
  f('QEFF-SUB-01', 'prefill with use_onnx_subfunctions false', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": ⟦false⟧ } }', D_FULL)),
  n('QEFF-SUB-01', 'prefill with subfunctions', pair(P_CHUNK, D_FULL)),
  f('QEFF-SUB-02', 'prefill with subfunctions', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": ⟦true⟧ } }', D_FULL), { severity: 'info' }),
  n('QEFF-SUB-02', 'prefill without subfunctions', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096 } }', D_FULL)),
  f('QEFF-NPI-01', '120b prefill without NPI', '{ "model": "openai/gpt-oss-120b", "prefill": { "mode": "chunking", ⟦"compile"⟧: { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true } } }'),
  f('QEFF-NPI-01', '120b from a local config.json', '{ "model": "models/local", ⟦"decode"⟧: { "mode": "full-kv" } }'),
  n('QEFF-NPI-01', '20b without NPI', pair(P_CHUNK, D_FULL)),
  f('QEFF-NPI-02', 'missing NPI file', '{ "model": "openai/gpt-oss-120b", "decode": { "mode": "full-kv", "compile": { "node_precision_info": ⟦"npi/nope.yaml"⟧ } } }'),
  f('QEFF-NPI-02', 'empty NPI list', '{ "model": "openai/gpt-oss-120b", "prefill": { "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true, "node_precision_info": ⟦"npi/empty_subfunction.yaml"⟧ } } }'),
  f('QEFF-NPI-02', 'NPI not YAML', '{ "model": "openai/gpt-oss-120b", "prefill": { "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true, "node_precision_info": ⟦"npi/broken_subfunction.yaml"⟧ } } }'),
  n('QEFF-NPI-02', 'valid NPI file', '{ "model": "openai/gpt-oss-120b", "decode": { "mode": "full-kv", "compile": { "node_precision_info": "npi/non_subfunction_120b_npi.yaml" } } }'),
  f('QEFF-NPI-03', 'non_subfunction NPI with subfunctions', '{ "model": "openai/gpt-oss-120b", "prefill": { "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true, "node_precision_info": ⟦"npi/non_subfunction_120b_npi.yaml"⟧ } } }', { severity: 'warning' }),
  f('QEFF-NPI-03', 'subfunction NPI without subfunctions', '{ "model": "openai/gpt-oss-120b", "decode": { "mode": "full-kv", "compile": { "node_precision_info": ⟦"npi/subfunction_120b_npi.yaml"⟧ } } }'),
  n('QEFF-NPI-03', 'a neutral file name', '{ "model": "openai/gpt-oss-120b", "decode": { "mode": "full-kv", "compile": { "node_precision_info": "npi/plain.yaml" } } }'),

  // Pairing
  f('QEFF-PAIR-01', 'chunking + swa-retain', pair(P_CHUNK, '{ "mode": ⟦"swa-retain"⟧, "compile": { "ctx_len": 4096 } }')),
  f('QEFF-PAIR-01', 'blocking + full-kv', pair(P_BLOCK, '{ "mode": ⟦"full-kv"⟧, "compile": { "ctx_len": 256 } }')),
  n('QEFF-PAIR-01', 'natural pairs', pair(P_BLOCK, D_SWA)),
  f('QEFF-PAIR-02', 'chunking + full-kv with different ctx_len', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": ⟦8192⟧ } }')),
  f('QEFF-PAIR-02', 'decode ctx_len absent, on the compile key', pair(P_CHUNK, '{ "mode": "full-kv", ⟦"compile"⟧: { "num_cores": 16 } }')),
  n('QEFF-PAIR-02', 'same ctx_len', pair(P_CHUNK, D_FULL)),
  n('QEFF-PAIR-02', 'a wrong-typed ctx_len is the schema\'s', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": "lots" } }')),
  f('QEFF-SCHEMA', 'a wrong-typed decode ctx_len in a pair', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": ⟦"lots"⟧ } }'), { withoutFix: true }),
  f('QEFF-PAIR-03', 'mxint8 differs', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true, "mxint8_kv_cache": true } }', '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "mxint8_kv_cache": ⟦false⟧ } }')),
  f('QEFF-PAIR-03', 'mxint8 absent in decode, on its compile key', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true, "mxint8_kv_cache": true } }', '{ "mode": "full-kv", ⟦"compile"⟧: { "ctx_len": 4096 } }')),
  n('QEFF-PAIR-03', 'mxint8 equal', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true, "mxint8_kv_cache": true } }', '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "mxint8_kv_cache": true } }')),

  // General
  f('QEFF-CTX-01', 'chunking ctx_len < psl', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 512, "ctx_len": ⟦256⟧, "use_onnx_subfunctions": true } }', '{ "mode": "full-kv", "compile": { "ctx_len": 256 } }')),
  n('QEFF-CTX-01', 'ctx_len >= psl', pair(P_CHUNK, D_FULL)),
  f('QEFF-CTX-02', 'ctx_len beyond max_position_embeddings', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": ⟦262144⟧ } }'), { severity: 'warning' }),
  n('QEFF-CTX-02', 'ctx_len 131072', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 131072, "use_onnx_subfunctions": true } }', '{ "mode": "full-kv", "compile": { "ctx_len": 131072 } }')),
  f('QEFF-CORES-01', 'num_cores 0: error', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "num_cores": ⟦0⟧ } }'), { severity: 'error' }),
  f('QEFF-CORES-01', 'num_cores 32: warning', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "num_cores": ⟦32⟧ } }'), { severity: 'warning' }),
  n('QEFF-CORES-01', 'num_cores 14', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "num_cores": 14 } }')),
  f('QEFF-DEV-01', 'mdp_ts_num_devices', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, ⟦"mdp_ts_num_devices"⟧: 2 } }')),
  n('QEFF-OPT-02', 'DEV-01 wins over OPT', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "mdp_ts_num_devices": 2 } }')),
  n('QEFF-DEV-01', 'num_devices', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "num_devices": 2 } }')),
  f('QEFF-DEV-02', 'more partitions than devices', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "num_devices": 2, "mdp_num_partitions": ⟦4⟧ } }')),
  // _compile runs the MDP generator only when mdp_num_partitions > 1 (base/modeling_qeff.py, release/v1.22.0 .. main).
  f('QEFF-DEV-02', 'partitions 0: ignored, a warning', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "mdp_num_partitions": ⟦0⟧ } }'), { severity: 'warning' }),
  f('QEFF-DEV-02', 'more partitions than devices: error', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "mdp_num_partitions": ⟦2⟧ } }'), { severity: 'error' }),
  n('QEFF-DEV-02', 'partitions = devices', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "num_devices": 4, "mdp_num_partitions": 4 } }')),
  n('QEFF-DEV-02', 'partitions 1 with one device', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "mdp_num_partitions": 1 } }')),
  n('QEFF-DEV-02', 'on 1.21 mdp_num_partitions is a compiler flag (VER-01)', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "num_devices": 2, "mdp_num_partitions": 4 } }'), { version: '1.21' }),
  f('QEFF-LW-01', 'layerwise in compile', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, ⟦"layerwise"⟧: true } }')),
  f('QEFF-LW-01', 'layerwise in from_pretrained', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { ⟦"layerwise"⟧: true }, "compile": { "ctx_len": 4096 } }')),
  n('QEFF-LW-01', 'on 1.21 layerwise is not a compile kwarg (VER-01)', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "layerwise": true } }'), { version: '1.21' }),
  // 1.21 compile() has no kv_cache_prefix, moe_prefill_packed_chunk_size or layerwise kwargs, and its _compile
  // does not consume the MDP pipeline options (modeling_auto.py and base/modeling_qeff.py, release/v1.21.6).
  f('QEFF-VER-01', 'kv_cache_prefix on 1.21', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, ⟦"kv_cache_prefix"⟧: "dec0" } }'), { version: '1.21', severity: 'warning' }),
  f('QEFF-VER-01', 'moe_prefill_packed_chunk_size on 1.21', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true, ⟦"moe_prefill_packed_chunk_size"⟧: 256 } }', D_FULL), { version: '1.21.6' }),
  f('QEFF-VER-01', 'layerwise on 1.21', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, ⟦"layerwise"⟧: false } }'), { version: '1.21' }),
  f('QEFF-VER-01', 'mdp_num_partitions on 1.21', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, ⟦"mdp_num_partitions"⟧: 2 } }'), { version: '1.21' }),
  f('QEFF-VER-01', 'mdp_strategy on 1.21', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, ⟦"mdp_strategy"⟧: "onnx" } }'), { version: '1.21' }),
  f('QEFF-VER-01', 'mdp_compiler_dump_path on 1.21', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, ⟦"mdp_compiler_dump_path"⟧: "dump" } }'), { version: '1.21' }),
  f('QEFF-VER-01', 'dynamo on 1.22.0', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, ⟦"dynamo"⟧: true } }'), { version: '1.22.0' }),
  f('QEFF-VER-01', 'qaic_config on 1.21', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, ⟦"qaic_config"⟧: {} } }'), { version: '1.21' }),
  n('QEFF-VER-01', 'kv_cache_prefix on 1.22', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "kv_cache_prefix": "dec0" } }'), { version: '1.22' }),
  n('QEFF-VER-01', 'dynamo on 1.22.8', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "dynamo": true } }'), { version: '1.22.8' }),
  // _compile consumes these (base/modeling_qeff.py): dynamo since release/v1.22.8.0, qaic_config since release/v1.22.0,
  // enable_qnn/qnn_config already on release/v1.21.6.
  n('QEFF-OPT-02', 'dynamo, qaic_config, enable_qnn and qnn_config are not compiler flags on 1.22.8', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "dynamo": true, "qaic_config": {}, "enable_qnn": false, "qnn_config": "q.json" } }'), { version: '1.22.8' }),
  n('QEFF-OPT-02', 'enable_qnn on 1.21', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "enable_qnn": false } }'), { version: '1.21' }),
  n('QEFF-OPT-01', 'dynamo is not a typo', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "dynamo": true } }'), { version: '1.22.8' }),
  n('QEFF-LW-01', 'layerwise false', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "layerwise": false } }')),
  f('QEFF-OPT-01', 'a typo of a kwarg', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, ⟦"mxfp6_matmull"⟧: true } }'), { severity: 'warning' }),
  f('QEFF-OPT-01', 'a typo of a compiler option', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, ⟦"user_tile"⟧: true } }')),
  n('QEFF-OPT-01', 'short keys are not typos', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "mo": 1 } }')),
  n('QEFF-OPT-01', 'case matters', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "MOS_X_LONGER_NAME": 1 } }')),
  f('QEFF-OPT-02', 'an unknown compiler option', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, ⟦"multicast_weights"⟧: true } }'), { severity: 'info' }),
  n('QEFF-OPT-02', 'known compiler options', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "mos": 1, "aic_enable_depth_first": true } }')),
  f('QEFF-KVP-01', 'prefix with underscore', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "kv_cache_prefix": ⟦"kv_a"⟧ } }')),
  f('QEFF-KVP-01', 'empty prefix', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "kv_cache_prefix": ⟦""⟧ } }')),
  // CCL lists as QEfficient rewrites them (utils/check_ccl_specializations.py, release/v1.21.6 .. main).
  f('QEFF-CCL-01', 'a decode list below the minimum, without ctx_len', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { "qaic_config": { "ccl_enabled": true } }, "compile": { "ctx_len": 4096, "comp_ctx_lengths_decode": ⟦[512, 2048]⟧ } }'), { severity: 'warning' }),
  f('QEFF-CCL-01', 'an unsorted prefill list', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true, "comp_ctx_lengths_prefill": ⟦[4096, 2048]⟧ } }', D_FULL)),
  f('QEFF-CCL-01', 'CCL without lists raises ctx_len', pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true } }', '{ "mode": "full-kv", "from_pretrained": { "qaic_config": { "ccl_enabled": ⟦true⟧ } }, "compile": { "ctx_len": 5000 } }')),
  f('QEFF-CCL-01', 'a prefill list in a decode stage', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, ⟦"comp_ctx_lengths_prefill"⟧: [1024] } }')),
  n('QEFF-CCL-01', 'upstream\'s example list', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { "qaic_config": { "ccl_enabled": true } }, "compile": { "ctx_len": 4096, "comp_ctx_lengths_decode": [1024, 2048, 4096] } }')),
  n('QEFF-CCL-01', 'CCL without lists at a multiple of 1024', pair(P_CHUNK, '{ "mode": "full-kv", "from_pretrained": { "qaic_config": { "ccl_enabled": true } }, "compile": { "ctx_len": 4096 } }')),
  n('QEFF-KVP-01', 'alphanumeric prefix', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "kv_cache_prefix": "dec0" } }')),

  // Values Python cannot take (issue 9, point 6)
  f('QEFF-PY-01', 'ctx_len 1e999 (Infinity)', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": ⟦1e999⟧ } }'), { severity: 'error' }),
  f('QEFF-PY-01', 'num_cores 2^64 (rounded)', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "num_cores": ⟦18446744073709551616⟧ } }')),
  n('QEFF-PY-01', 'a safe integer', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 9007199254740991 } }')),
  f('QEFF-PY-02', 'a Python keyword as a kwarg name', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, ⟦"class"⟧: 1 } }'), { severity: 'error' }),
  n('QEFF-PY-02', 'a keyword-like but valid name', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096, "class_": 1 } }')),
  f('QEFF-PY-03', 'a NUL in an env value', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096 }, "env": { "QEFF_HOME": ⟦"/data\\u0000x"⟧ } }'), { severity: 'error' }),
  n('QEFF-PY-03', 'an escaped tab is fine', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096 }, "env": { "QEFF_HOME": "/data\\tx" } }')),
  f('QEFF-PY-04', 'an env name with "="', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096 }, "env": { ⟦"A=B"⟧: "1" } }'), { severity: 'error' }),
  n('QEFF-PY-04', 'a plain env name', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096 }, "env": { "A_B": "1" } }')),

  // Environment variables that change what runs (issue 9, point 10)
  f('QEFF-EXEC-01', 'LD_PRELOAD in a stage env', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096 }, "env": { ⟦"LD_PRELOAD"⟧: "/tmp/x.so" } }'), { severity: 'warning' }),
  f('QEFF-EXEC-01', 'PYTHONPATH in a stage env', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096 }, "env": { ⟦"PYTHONPATH"⟧: "/tmp/evil" } }')),
  n('QEFF-EXEC-01', 'LD_PRELOAD cleared with an empty value', pair(P_CHUNK, '{ "mode": "full-kv", "compile": { "ctx_len": 4096 }, "env": { "LD_PRELOAD": "" } }')),

  // Serving
  f('QEFF-SRV-01', 'port out of range', served('{ "port": ⟦70000⟧, "prefill": { "deviceGroups": [[0]] }, "decode": { "deviceGroups": [[1]] } }')),
  f('QEFF-SRV-01', 'decode port equals the API port', served('{ "port": 8000, "prefill": { "deviceGroups": [[0]] }, "decode": { "deviceGroups": [[1]], "ports": [⟦8000⟧] } }')),
  n('QEFF-SRV-01', 'distinct ports', SERVED),
  f('QEFF-SRV-01', 'the API port is the default prefill port, reported on the stage key', served('{ "port": 9900, ⟦"prefill"⟧: { "deviceGroups": [[0]] }, "decode": { "deviceGroups": [[1]] } }')),
  n('QEFF-SRV-01', 'all defaults', served(SRV_BASE)),
  f('QEFF-SRV-02', 'a device in both stages', served('{ "prefill": { "deviceGroups": [[0, 1]] }, "decode": { "deviceGroups": [[⟦1⟧]] } }', P_CHUNK_2)),
  n('QEFF-SRV-02', 'disjoint devices', SERVED),
  f('QEFF-SRV-03', 'two groups, one port', served('{ "prefill": { "deviceGroups": [[0], [2]], "ports": ⟦[9900]⟧ }, "decode": { "deviceGroups": [[1]] } }')),
  n('QEFF-SRV-03', 'two groups, two ports', served('{ "prefill": { "deviceGroups": [[0], [2]], "ports": [9900, 9901] }, "decode": { "deviceGroups": [[1]] } }')),
  f('QEFF-SRV-04', 'group size is not num_devices', served('{ "prefill": { "deviceGroups": [⟦[0, 2]⟧] }, "decode": { "deviceGroups": [[1]] } }')),
  f('QEFF-SRV-04', 'groups of unequal size', served('{ "prefill": { "deviceGroups": [[0, 2], ⟦[3]⟧], "ports": [9900, 9901] }, "decode": { "deviceGroups": [[1]] } }', P_CHUNK_2)),
  n('QEFF-SRV-04', 'group size is num_devices', served('{ "prefill": { "deviceGroups": [[0, 2]] }, "decode": { "deviceGroups": [[1]] } }', P_CHUNK_2)),
  f('QEFF-SRV-05', 'chunking ctx_len is not --max-model-len (over PAIR-02)', served(SRV_BASE, P_CHUNK, D_FULL_CB.replace('"ctx_len": 4096', '"ctx_len": ⟦8192⟧'))),
  n('QEFF-PAIR-02', 'PAIR-02 yields to SRV-05', served(SRV_BASE, P_CHUNK, D_FULL_CB.replace('"ctx_len": 4096', '"ctx_len": 8192'))),
  n('QEFF-SRV-05', 'one ctx_len', SERVED),
  f('QEFF-SRV-06', 'decode maxNumSeqs is not full_batch_size', served('{ "prefill": { "deviceGroups": [[0]] }, "decode": { "deviceGroups": [[1]], "maxNumSeqs": ⟦8⟧ } }')),
  n('QEFF-SRV-06', 'decode maxNumSeqs is full_batch_size', served('{ "prefill": { "deviceGroups": [[0]] }, "decode": { "deviceGroups": [[1]], "maxNumSeqs": 4 } }')),
  f('QEFF-SRV-07', 'mxint8 differs (over PAIR-03)', served(SRV_BASE, P_CHUNK.replace('"ctx_len": 4096', '"ctx_len": 4096, "mxint8_kv_cache": true'), D_FULL_CB.replace('"ctx_len": 4096', '"ctx_len": 4096, "mxint8_kv_cache": ⟦false⟧'))),
  n('QEFF-PAIR-03', 'PAIR-03 yields to SRV-07', served(SRV_BASE, P_CHUNK.replace('"ctx_len": 4096', '"ctx_len": 4096, "mxint8_kv_cache": true'), D_FULL_CB)),
  n('QEFF-SRV-07', 'mxint8 on both', served(SRV_BASE, P_CHUNK.replace('"ctx_len": 4096', '"ctx_len": 4096, "mxint8_kv_cache": true'), D_FULL_CB.replace('"ctx_len": 4096', '"ctx_len": 4096, "mxint8_kv_cache": true'))),
  f('QEFF-SRV-08', 'a colon in the QPC path', served('{ "prefill": { "deviceGroups": [[0]], "qpc": ⟦"qpc/a:b/qpc"⟧ }, "decode": { "deviceGroups": [[1]] } }')),
  f('QEFF-SRV-08', 'a space in the QPC path', served('{ "prefill": { "deviceGroups": [[0]] }, "decode": { "deviceGroups": [[1]], "qpc": ⟦"my qpc/qpc"⟧ } }')),
  n('QEFF-SRV-08', 'a plain QPC path', SERVED),
  f('QEFF-SRV-09', 'extraArgs sets --max-model-len', served('{ "prefill": { "deviceGroups": [[0]] }, "decode": { "deviceGroups": [[1]] }, "extraArgs": ["--tool-call-parser", "openai", ⟦"--max-model-len=2048"⟧] }')),
  n('QEFF-SRV-09', 'extraArgs with a flag of its own', served('{ "prefill": { "deviceGroups": [[0]] }, "decode": { "deviceGroups": [[1]] }, "extraArgs": ["--tool-call-parser", "openai"] }')),
  f('QEFF-SRV-10', 'serving without a decode stage', '{ "model": "openai/gpt-oss-20b", ⟦"serving"⟧: { "prefill": { "deviceGroups": [[0]] }, "decode": { "deviceGroups": [[1]] } }, "prefill": ' + P_CHUNK + ' }'),
  n('QEFF-SRV-10', 'both stages', SERVED),
  f('QEFF-SRV-11', 'no programqpc.bin', servedQpc('qpc/p', '⟦qpc/d-empty⟧')),
  n('QEFF-SRV-11', 'both QPCs compiled', servedQpc('qpc/p', 'qpc/d')),
  f('QEFF-SRV-12', 'decode QPC is a prefill QPC', servedQpc('qpc/p', '⟦qpc/d-seq⟧')),
  f('QEFF-SRV-12', 'decode QPC ctx_len differs, on ctx_len', servedQpc('qpc/p', 'qpc/d-ctx', P_CHUNK, D_FULL_CB.replace('"ctx_len": 4096', '"ctx_len": ⟦4096⟧'))),
  f('QEFF-SRV-12', 'prefill QPC seq_len differs, on prefill_seq_len', servedQpc('qpc/p', 'qpc/d', P_CHUNK.replace('"prefill_seq_len": 128', '"prefill_seq_len": ⟦256⟧'))),
  n('QEFF-SRV-12', 'named (1.22.8) and flat specializations that agree', servedQpc('qpc/p', 'qpc/d')),
  f('QEFF-SRV-13', 'decode QPC compiled prefill_only', servedQpc('qpc/p', '⟦qpc/d-role⟧')),
  f('QEFF-SRV-13', 'two models', servedQpc('qpc/p', '⟦qpc/d-model⟧')),
  n('QEFF-SRV-13', 'no qconfig.json (compiled by hand): not checked', servedQpc('qpc/p', 'qpc/d-hand')),
  f('QEFF-SRV-14', 'prefixed prefill, plain decode', servedQpc('qpc/p', '⟦qpc/d-plain⟧'), { severity: 'error' }),
  f('QEFF-SRV-14', 'neither prefixed: warning', servedQpc('qpc/p-plain', '⟦qpc/d-plain⟧'), { severity: 'warning' }),
  n('QEFF-SRV-14', 'both prefixed', servedQpc('qpc/p', 'qpc/d')),
  f('QEFF-SRV-15', 'two SDKs', servedQpc('qpc/p', '⟦qpc/d-sdk⟧')),
  n('QEFF-SRV-15', 'one SDK', servedQpc('qpc/p', 'qpc/d')),
  f('QEFF-SRV-16', 'prefill maxNumSeqs 0', served('{ "prefill": { "deviceGroups": [[0]], "maxNumSeqs": ⟦0⟧ }, "decode": { "deviceGroups": [[1]] } }')),
  f('QEFF-SRV-16', 'a negative device id', served('{ "prefill": { "deviceGroups": [[⟦-1⟧]] }, "decode": { "deviceGroups": [[1]] } }')),
  n('QEFF-SRV-16', 'kvStoreSizeMB 768 and maxNumSeqs 1', served('{ "kvStoreSizeMB": 768, "prefill": { "deviceGroups": [[0]], "maxNumSeqs": 1 }, "decode": { "deviceGroups": [[1]] } }')),

  // Parse errors
  f('QEFF-JSON', 'an unterminated object', '{ "model": "openai/gpt-oss-20b", "x": [1, 2⟦}⟧'),
  f('QEFF-JSON', 'a missing comma', '{ "model": "openai/gpt-oss-20b" ⟦"family"⟧: 1 }'),
];

/**
 * What each rule's message must say (its claim, not its wording): every firing case's diagnostic is held
 * against its rule's pattern, so a message that loses its point, or a rule that reports another rule's
 * message, fails. One entry per registry id (test/unit/rules.test.ts checks that too).
 */
export const MESSAGES: Record<string, RegExp> = {
  'QEFF-JSON': /^Not valid JSON/,
  'QEFF-SCHEMA': /missing the required key|^Unknown key|must be (an integer|one of)/,
  'QEFF-MODEL-01': /Cannot tell whether .+ is gpt-oss-20b or gpt-oss-120b/,
  'QEFF-MODE-01': /contradicts mode ".+".*The mode sets this kwarg: remove it\./,
  'QEFF-MODE-02': /is what mode ".+" already implies/,
  'QEFF-MODE-03': /is a (decode|prefill) mode, but this is the "(prefill|decode)" stage/,
  'QEFF-CB-01': /is set but continuous batching is off/,
  'QEFF-CB-02': /must pass full_batch_size/,
  'QEFF-CB-03': /needs kv_cache_batch_size/,
  'QEFF-CB-04': /is smaller than full_batch_size/,
  'QEFF-CB-05': /"continous_batching" is misspelled/,
  'QEFF-CB-06': /from_pretrained\(full_batch_size=\d+\) turns continuous batching on/,
  'QEFF-PB-01': /is not a multiple of 256|needs prefill_seq_len, a multiple of 256/,
  'QEFF-PB-02': /not supported with blocking/,
  'QEFF-PB-03': /ctx_len \d+ differs from prefill_seq_len \d+/,
  'QEFF-PB-04': /must be a positive integer/,
  'QEFF-PB-05': /the larger must be a multiple of the smaller/,
  'QEFF-PB-06': /ENABLE_OPT_SWA must be the string "1"/,
  'QEFF-PB-07': /NUM_Q_BLOCKS is unset/,
  'QEFF-PB-08': /NUM_Q_BLOCKS=\d+ differs from prefill_seq_len \/\/ 256/,
  'QEFF-PC-01': /is less than prefill_seq_len \+ 128/,
  'QEFF-PC-02': /does not divide the \d+ experts/,
  'QEFF-ENV-01': /only affects the blocking prefill graph/,
  'QEFF-ENV-02': /must be a string or an integer/,
  'QEFF-DEC-01': /use_onnx_subfunctions in a decode stage/,
  'QEFF-DEC-02': /retain_full_kv in a (blocking|chunking) prefill/,
  'QEFF-SUB-01': /without use_onnx_subfunctions/,
  'QEFF-SUB-02': /expected to fail on the public SDK/,
  'QEFF-NPI-01': /needs a node-precision-info file/,
  'QEFF-NPI-02': /The node-precision-info file ".+" (does not exist|has no top-level FP32NodeInstanceNames|is not valid YAML)/,
  'QEFF-NPI-03': /but the NPI file is the (non-)?subfunction one/,
  'QEFF-PAIR-01': /the KV layouts of the handoff differ/,
  'QEFF-PAIR-02': /Decode ctx_len \d+ differs from prefill ctx_len \d+/,
  'QEFF-PAIR-03': /must have one precision/,
  'QEFF-CTX-01': /is less than prefill_seq_len \d+/,
  'QEFF-CTX-02': /exceeds GPT-OSS's max_position_embeddings/,
  'QEFF-CORES-01': /is not a core count|more than the 16 NSP cores/,
  'QEFF-DEV-01': /duplicates a keyword compile\(\) already passes/,
  'QEFF-DEV-02': /mdp_num_partitions \d+ (is more than num_devices|is ignored)/,
  'QEFF-LW-01': /layerwise=True is not supported/,
  'QEFF-VER-01': /has no ".+" in compile\(\)/,
  'QEFF-OPT-01': /Unknown compile kwarg ".+": did you mean/,
  'QEFF-OPT-02': /is not a QEfficient kwarg/,
  'QEFF-KVP-01': /kv_cache_prefix must be a non-empty alphanumeric/,
  'QEFF-CCL-01': /comp_ctx_lengths_(decode|prefill)/,
  'QEFF-PY-01': /Use an integer QEfficient can take exactly/,
  'QEFF-PY-02': /is a Python keyword/,
  'QEFF-PY-03': /holds a NUL character/,
  'QEFF-PY-04': /cannot be an environment variable name/,
  'QEFF-EXEC-01': /changes what runs/,
  'QEFF-SRV-01': /is not a TCP port \(1 to 65535\)|refuses ports that are not unique/,
  'QEFF-SRV-02': /is already in .+ group \d+: each device \(QID\) serves one instance/,
  'QEFF-SRV-03': /starts one instance per device group and needs one port for each/,
  'QEFF-SRV-04': /a QPC runs on exactly the devices it was compiled|needs the groups of a stage to be the same size/,
  'QEFF-SRV-05': /--max-model-len \d+ \(the decode ctx_len\), but the chunking prefill is compiled for ctx_len \d+/,
  'QEFF-SRV-06': /Decode maxNumSeqs \d+ differs from the decode QPC's full_batch_size/,
  'QEFF-SRV-07': /mxint8_kv_cache is .+: qaic_disagg takes one --kv-cache-dtype for both runtimes/,
  'QEFF-SRV-08': /QPC path contains ":", "=" or white space/,
  'QEFF-SRV-09': /extraArgs sets --[a-z-]+, which the launch command already derives from the config/,
  'QEFF-SRV-10': /"serving" launches a prefill and a decode QPC: the config needs both/,
  'QEFF-SRV-11': /No programqpc\.bin in .+: qaic_disagg would compile the .+ stage itself/,
  'QEFF-SRV-12': /QPC is specialized for (seq_len|ctx_len) \d+, the config says/,
  'QEFF-SRV-13': /compiled with prefill_only=|QPCs are of different models/,
  'QEFF-SRV-14': /KV buffer names|"vllmKvCache" prefix/,
  'QEFF-SRV-15': /compiled with different Cloud AI SDKs/,
  'QEFF-SRV-16': /: it must be at least 1\.|device ids \(QIDs\) start at 0/,
};
