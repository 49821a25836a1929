// Keyword arguments and compiler options QEfficient 1.21-1.23 knows (config-rules.md, "Known compile kwargs").

export const COMPILE_KWARGS = [
  'onnx_path', 'compile_dir', 'prefill_seq_len', 'ctx_len', 'comp_ctx_lengths_prefill', 'comp_ctx_lengths_decode',
  'batch_size', 'full_batch_size', 'kv_cache_batch_size', 'num_devices', 'num_cores', 'mxfp6_matmul',
  'mxint8_kv_cache', 'num_speculative_tokens', 'prefill_only', 'use_onnx_subfunctions', 'offload_pt_weights',
  'enable_chunking', 'moe_prefill_packed_chunk_size', 'retain_full_kv', 'layerwise', 'layerwise_window_size',
  'kv_cache_prefix',
] as const;

/** Known to QEfficient but rejected here: compile() already passes it (TypeError). */
export const FORBIDDEN_COMPILE_KWARGS = ['mdp_ts_num_devices'] as const;

export const COMPILER_OPTIONS = [
  'mos', 'aic_enable_depth_first', 'node_precision_info', 'user_tiled', 'split_retained_state_io',
  'allow_mxint8_mdp_io', 'mdp_num_partitions', 'mdp_strategy', 'mdp_compiler_dump_path',
  'mdp_load_partition_config', 'aic_hw_version',
] as const;

/** Keys a typo may be aimed at (OPT-01). */
export const KNOWN_COMPILE_KEYS: readonly string[] = [...COMPILE_KWARGS, ...FORBIDDEN_COMPILE_KWARGS, ...COMPILER_OPTIONS];

/** Since 1.22 (absent from the 1.21 signature). */
export const COMPILE_KWARGS_SINCE_1_22: readonly string[] = [
  'moe_prefill_packed_chunk_size', 'layerwise', 'layerwise_window_size', 'kv_cache_prefix',
];

export const BLOCKING_ENV_VARS = ['NUM_Q_BLOCKS', 'NUM_FFN_BLOCKS', 'ENABLE_OPT_SWA'] as const;

/** The kwarg QEfficient's README misspells; it counts as continuous_batching for every rule but CB-05. */
export const MISSPELLED_CB = 'continous_batching';

/** `mos=1` becomes `-mos=1`, `aic_enable_depth_first=True` becomes `-aic-enable-depth-first`. */
export function compilerFlagName(key: string): string {
  return '-' + key.replace(/_/g, '-');
}
