// The mode table: per stage mode, what it passes to compile(), what it implies, the kwargs and env it uses,
// QEfficient's defaults for absent lengths and its natural partner. Rules, plan, completion, hover and the wizard
// read it. Sources: examples/disagg_serving/gpt_oss_disagg_mode*.py and README.md, and
// QEFFAutoModelForCausalLM.compile (modeling_auto.py), release/v1.21.6 .. main.
import { DEFAULTS } from './model';
import type { DecodeMode, Mode, PrefillMode, StageKey } from './types';

export interface ModeInfo {
  stage: StageKey;
  /** The kwargs the plan passes to compile() for this mode (prefill_only=False names the decode graph "Decode"). */
  passes: Readonly<Record<string, unknown>>;
  /** Every mode-defining kwarg's value under this mode (QEFF-MODE-01/02; completion does not offer them). */
  implied: Readonly<Record<string, unknown>>;
  /** Compile kwargs this mode is about, offered first by completion. */
  kwargs: readonly string[];
  /** from_pretrained kwargs this mode uses. */
  fromPretrained: readonly string[];
  /** Environment variables the exporting process reads for this mode's graph. */
  env: readonly string[];
  /** QEfficient's prefill_seq_len when absent. */
  defaultPrefillSeqLen: number;
  /** QEfficient's ctx_len when absent: a number, or prefill_seq_len (blocking overrides ctx_len with it). */
  defaultCtxLen: number | 'prefill_seq_len';
  /** The mode of the other stage whose KV layout matches this one's at the handoff. */
  partner: Mode;
  /** What the mode compiles, for messages. */
  meaning: string;
}

/**
 * The variables QEfficient reads while tracing the blocking prefill graph (gpt_oss/modeling_gpt_oss.py and
 * modeling_auto.py, release/v1.21.6 .. main); no other graph reads them.
 */
export const BLOCKING_ENV = ['NUM_Q_BLOCKS', 'NUM_FFN_BLOCKS', 'ENABLE_OPT_SWA'] as const;

const COMMON = ['num_cores', 'num_devices', 'mxfp6_matmul', 'mxint8_kv_cache', 'node_precision_info'];
const DECODE_KWARGS = ['ctx_len', 'full_batch_size', 'kv_cache_batch_size', ...COMMON, 'mos', 'aic_enable_depth_first'];

export const MODE_TABLE: Record<Mode, ModeInfo> = {
  'blocking': {
    stage: 'prefill',
    passes: { prefill_only: true },
    implied: { prefill_only: true, enable_chunking: false },
    kwargs: ['prefill_seq_len', 'ctx_len', 'use_onnx_subfunctions', ...COMMON, 'mos', 'aic_enable_depth_first'],
    fromPretrained: [],
    env: BLOCKING_ENV,
    defaultPrefillSeqLen: DEFAULTS.prefill_seq_len,
    defaultCtxLen: 'prefill_seq_len',
    partner: 'swa-retain',
    meaning: 'a prefill-only QPC (prefill_only=True, no chunking)',
  },
  'chunking': {
    stage: 'prefill',
    passes: { prefill_only: true, enable_chunking: true },
    implied: { prefill_only: true, enable_chunking: true },
    kwargs: ['prefill_seq_len', 'ctx_len', 'use_onnx_subfunctions', 'kv_cache_batch_size', 'full_batch_size', ...COMMON, 'moe_prefill_packed_chunk_size', 'mos', 'aic_enable_depth_first', 'user_tiled'],
    fromPretrained: ['continuous_batching'],
    env: [],
    defaultPrefillSeqLen: DEFAULTS.prefill_seq_len,
    defaultCtxLen: DEFAULTS.ctx_len,
    partner: 'full-kv',
    meaning: 'a chunked prefill-only QPC (prefill_only=True, enable_chunking=True)',
  },
  'swa-retain': {
    stage: 'decode',
    passes: { prefill_seq_len: 1, prefill_only: false },
    implied: { prefill_seq_len: 1, retain_full_kv: false, prefill_only: false },
    kwargs: DECODE_KWARGS,
    fromPretrained: ['continuous_batching'],
    env: [],
    defaultPrefillSeqLen: 1,
    defaultCtxLen: DEFAULTS.ctx_len,
    partner: 'blocking',
    meaning: 'a decode-only QPC (prefill_seq_len=1) keeping sliding-window KV',
  },
  'full-kv': {
    stage: 'decode',
    passes: { prefill_seq_len: 1, prefill_only: false, retain_full_kv: true },
    implied: { prefill_seq_len: 1, retain_full_kv: true, prefill_only: false },
    kwargs: DECODE_KWARGS,
    fromPretrained: ['continuous_batching'],
    env: [],
    defaultPrefillSeqLen: 1,
    defaultCtxLen: DEFAULTS.ctx_len,
    partner: 'chunking',
    meaning: 'a decode-only QPC (prefill_seq_len=1, retain_full_kv=True)',
  },
};

export function naturalDecode(prefill: PrefillMode): DecodeMode {
  return MODE_TABLE[prefill].partner as DecodeMode;
}

/** prefill_seq_len and ctx_len of a stage in `mode` with QEfficient's defaults for the absent ones. */
export function lengthsWithDefaults(mode: Mode, psl: number | undefined, ctx: number | undefined): { psl: number; ctx: number } {
  const info = MODE_TABLE[mode];
  const p = psl ?? info.defaultPrefillSeqLen;
  return { psl: p, ctx: ctx ?? (info.defaultCtxLen === 'prefill_seq_len' ? p : info.defaultCtxLen) };
}

/** Every kwarg some mode defines. */
export const MODE_DEFINING_KWARGS: readonly string[] = [...new Set(Object.values(MODE_TABLE).flatMap(m => Object.keys(m.implied)))];
