// Compile keys QEfficient knows: the kwargs per version live in versionTable.ts; here the compiler options.
import { ALL_VERSION_COMPILE_KEYS } from './versionTable';

/** Known to QEfficient but rejected here: compile() already passes it (TypeError). */
export const FORBIDDEN_COMPILE_KWARGS = ['mdp_ts_num_devices'] as const;

/** Compiler options every version passes on as flags (or, for mdp_load_partition_config, re-emits as one). */
export const COMPILER_OPTIONS = [
  'mos', 'aic_enable_depth_first', 'node_precision_info', 'user_tiled', 'split_retained_state_io',
  'allow_mxint8_mdp_io', 'mdp_load_partition_config', 'aic_hw_version',
] as const;

/** Keys a typo may be aimed at (OPT-01): every version's kwargs (versionTable.ts) and the known compiler options. */
export const KNOWN_COMPILE_KEYS: readonly string[] = [...ALL_VERSION_COMPILE_KEYS, ...FORBIDDEN_COMPILE_KWARGS, ...COMPILER_OPTIONS];

/** The kwarg QEfficient's README misspells; it counts as continuous_batching for every rule but CB-05. */
export const MISSPELLED_CB = 'continous_batching';

/** `mos=1` becomes `-mos=1`, `aic_enable_depth_first=True` becomes `-aic-enable-depth-first`. */
export function compilerFlagName(key: string): string {
  return '-' + key.replace(/_/g, '-');
}
