// The version table: what each QEfficient version's QEFFAutoModelForCausalLM accepts and how it treats it.
// Read from upstream (quic/efficient-transformers): QEfficient/transformers/models/modeling_auto.py
// (from_pretrained, export, compile, get_seq_len_and_handle_specialized_prefill_model) and
// QEfficient/base/modeling_qeff.py (_compile) on release/v1.21.6, release/v1.22.0, release/v1.22.8.0 and
// main (ebf55e815). Rules, hover and completion read it; nothing else lists these names.
import { compareVersions, parseVersion, type Version } from './version';

export type VersionKey = '1.21' | '1.22.0' | '1.22.8' | 'main';

export interface VersionFacts {
  /** Upstream branch the facts come from. */
  branch: string;
  /** Named parameters of from_pretrained (others go to Hugging Face). */
  fromPretrained: readonly string[];
  /** Popped by from_pretrained and turned into continuous_batching=True, its value dropped. */
  fromPretrainedCbAlias: 'full_batch_size';
  /** Named parameters of export(). */
  export: readonly string[];
  /** Named keyword parameters of compile() (after onnx_path, compile_dir). */
  compile: readonly string[];
  /** Keys of compile(**compiler_options) that _compile consumes itself: not compiler flags. */
  compileConsumed: readonly string[];
  /**
   * How the prefill-only (blocking) export finds its Q blocks: 'env' = NUM_Q_BLOCKS, else
   * prefill_seq_len // 256 (written back to the env); 'psl' = a qaic_config blocking config, else
   * prefill_seq_len // 256 (the env is read only by the opt-SWA attention).
   */
  qBlocks: 'env' | 'psl';
}

const COMPILE_1_21 = [
  'prefill_seq_len', 'ctx_len', 'comp_ctx_lengths_prefill', 'comp_ctx_lengths_decode', 'batch_size', 'full_batch_size',
  'kv_cache_batch_size', 'num_devices', 'num_cores', 'mxfp6_matmul', 'mxint8_kv_cache', 'num_speculative_tokens',
  'prefill_only', 'use_onnx_subfunctions', 'offload_pt_weights', 'enable_chunking', 'retain_full_kv',
] as const;
const COMPILE_1_22 = [...COMPILE_1_21, 'moe_prefill_packed_chunk_size', 'layerwise', 'layerwise_window_size', 'kv_cache_prefix'];
const FROM_PRETRAINED_1_21 = ['continuous_batching', 'qaic_config', 'max_seq_len_cached'];
const FROM_PRETRAINED_1_22 = [...FROM_PRETRAINED_1_21, 'layerwise'];
const EXPORT_1_22 = ['export_dir', 'prefill_only', 'prefill_seq_len', 'num_cores', 'moe_prefill_packed_chunk_size', 'layerwise', 'layerwise_window_size', 'kv_cache_prefix'];
/** _compile of 1.22.0 and later: MDP pipeline options, qaic_config and QNN (base/modeling_qeff.py). */
const CONSUMED_1_22 = ['enable_qnn', 'qnn_config', 'qaic_config', 'mdp_num_partitions', 'mdp_strategy', 'mdp_compiler_dump_path', 'specialization_module_name'];

export const VERSION_TABLE: Record<VersionKey, VersionFacts> = {
  '1.21': {
    branch: 'release/v1.21.6',
    fromPretrained: FROM_PRETRAINED_1_21,
    fromPretrainedCbAlias: 'full_batch_size',
    export: ['export_dir', 'prefill_only', 'prefill_seq_len'],
    compile: COMPILE_1_21,
    // _compile(enable_qnn, qnn_config, ...): the MDP pipeline options do not exist yet.
    compileConsumed: ['enable_qnn', 'qnn_config'],
    qBlocks: 'env',
  },
  '1.22.0': {
    branch: 'release/v1.22.0',
    fromPretrained: FROM_PRETRAINED_1_22,
    fromPretrainedCbAlias: 'full_batch_size',
    export: EXPORT_1_22,
    compile: COMPILE_1_22,
    compileConsumed: CONSUMED_1_22,
    qBlocks: 'psl',
  },
  '1.22.8': {
    branch: 'release/v1.22.8.0',
    fromPretrained: FROM_PRETRAINED_1_22,
    fromPretrainedCbAlias: 'full_batch_size',
    export: [...EXPORT_1_22, 'dynamo'],
    compile: COMPILE_1_22,
    compileConsumed: [...CONSUMED_1_22, 'dynamo', 'expert_parallel', 'cores_per_expert', 'tree_reduce'],
    qBlocks: 'psl',
  },
  // main (ebf55e815) has dynamo but not 1.22.8.0's expert-parallel options.
  'main': {
    branch: 'main',
    fromPretrained: FROM_PRETRAINED_1_22,
    fromPretrainedCbAlias: 'full_batch_size',
    export: [...EXPORT_1_22, 'dynamo'],
    compile: COMPILE_1_22,
    compileConsumed: [...CONSUMED_1_22, 'dynamo'],
    qBlocks: 'psl',
  },
};

const V_1_22_0 = parseVersion('1.22.0')!;
const V_1_22_8 = parseVersion('1.22.8')!;
const V_1_23_0 = parseVersion('1.23.0')!;

/** The table row of a target version; no version means the latest (main). */
export function versionKey(v: Version | undefined): VersionKey {
  if (!v || compareVersions(v, V_1_23_0) >= 0) return 'main';
  if (compareVersions(v, V_1_22_0) < 0) return '1.21';
  return compareVersions(v, V_1_22_8) < 0 ? '1.22.0' : '1.22.8';
}

export function versionFacts(v: Version | undefined): VersionFacts {
  return VERSION_TABLE[versionKey(v)];
}

export function qBlockSource(v: Version | undefined): 'env' | 'psl' {
  return versionFacts(v).qBlocks;
}

/** Every compile key some version takes as a keyword or consumes in _compile. */
export const ALL_VERSION_COMPILE_KEYS: readonly string[] = [...new Set(
  Object.values(VERSION_TABLE).flatMap(f => [...f.compile, ...f.compileConsumed]))];

/** True when the target version's compile() or _compile() takes `key` itself (not as a compiler flag). */
export function compileTakes(v: Version | undefined, key: string): boolean {
  const f = versionFacts(v);
  return f.compile.includes(key) || f.compileConsumed.includes(key);
}

/** The versions (table rows) whose compile() or _compile() take `key`. */
export function versionsTaking(key: string): VersionKey[] {
  return (Object.keys(VERSION_TABLE) as VersionKey[]).filter(k =>
    VERSION_TABLE[k].compile.includes(key) || VERSION_TABLE[k].compileConsumed.includes(key));
}
