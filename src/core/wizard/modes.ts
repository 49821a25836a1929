// What each mode means, in the design note's words, for the side-by-side comparison in the wizard, and the
// KV-cache memory of a stage in a mode with the values entered so far.
import { formatBytes, kvEstimate, type KvEstimate } from '../kvMemory';
import { lengthsWithDefaults, MODE_TABLE } from '../modeTable';
import type { Family, Mode, StageKey } from '../types';
import { isIntText, type WizardState } from './state';

export interface ModeFacts {
  mode: Mode;
  title: string;
  /** What QEfficient gets. */
  qefficient: string;
  ddr: string;
  macs: string;
  prefixCaching: string;
  multiTurn: string;
  pair: string;
}

function pairText(mode: Mode): string {
  const partner = MODE_TABLE[mode].partner;
  return `${partner} ${MODE_TABLE[partner].stage}`;
}

export const MODE_FACTS: Record<Mode, ModeFacts> = {
  'blocking': {
    mode: 'blocking',
    title: 'Blocking',
    qefficient: 'compile(prefill_only=True): the default prefill-only graph.',
    ddr: 'Least: full-attention layers keep prefill_seq_len positions, sliding-window layers 128.',
    macs: 'NUM_Q_BLOCKS sets the Q blocks in attention, NUM_FFN_BLOCKS the FFN blocks; ENABLE_OPT_SWA="1" uses only the valid KVs of each block in attention, reducing MACs. All experts are read once.',
    prefixCaching: 'Not supported with this mode.',
    multiTurn: 'No: the prompt is prefilled in one pass.',
    pair: pairText('blocking'),
  },
  'chunking': {
    mode: 'chunking',
    title: 'Chunking',
    qefficient: 'compile(prefill_only=True, enable_chunking=True).',
    ddr: 'Higher: every layer keeps ctx_len positions.',
    macs: 'Optimized SWA built in: reads only the valid KV as per the diagonal attention mask. All experts are read once per chunk.',
    prefixCaching: 'Yes: continuous batching plus kv_cache_batch_size.',
    multiTurn: 'Yes, with full-KV decode: prefill can reuse the cache of an earlier prefill and decode.',
    pair: pairText('chunking'),
  },
  'swa-retain': {
    mode: 'swa-retain',
    title: 'SWA-retain',
    qefficient: 'compile(prefill_seq_len=1): the default decode-only graph.',
    ddr: 'Least: sliding-window layers retain only 128 positions of KV; full-attention layers ctx_len.',
    macs: 'Weights treated as activations: reads only the chosen experts per token.',
    prefixCaching: 'Continuous batching with full_batch_size (and optionally kv_cache_batch_size).',
    multiTurn: 'No: the sliding layers keep only the last 128 positions.',
    pair: pairText('swa-retain'),
  },
  'full-kv': {
    mode: 'full-kv',
    title: 'Full KV',
    qefficient: 'compile(prefill_seq_len=1, retain_full_kv=True).',
    ddr: 'Higher: ctx_len KV is retained even for sliding-window layers.',
    macs: 'Attention still reads only the sliding-window length of KV; reads only the chosen experts per token.',
    prefixCaching: 'Continuous batching with full_batch_size (and optionally kv_cache_batch_size).',
    multiTurn: 'Yes: prefill, then decode, then prefill again over the combined cache of both.',
    pair: pairText('full-kv'),
  },
};

function int(text: string): number | undefined {
  return isIntText(text) ? Number(text) : undefined;
}

/** The KV estimate of a stage if it ran in `mode` with the values entered (QEfficient's defaults for blanks). */
export function stageKv(state: WizardState, key: StageKey, mode: Mode, family: Family): KvEstimate {
  const s = state[key];
  const { psl, ctx } = lengthsWithDefaults(mode, key === 'decode' ? undefined : int(s.prefill_seq_len), int(s.ctx_len));
  const cb = mode !== 'blocking' && s.continuous_batching === true;
  return kvEstimate(family, mode, {
    prefillSeqLen: psl, ctxLen: ctx, mxint8: s.mxint8_kv_cache === true,
    kvCacheBatchSize: cb ? int(s.kv_cache_batch_size) : undefined,
    fullBatchSize: cb ? int(s.full_batch_size) : undefined,
  });
}

export interface KvText { perSlot: string; total: string; slots: number; lengths: string }

export function kvText(kv: KvEstimate): KvText {
  const a = kv.approximate;
  return {
    perSlot: formatBytes(kv.bytesPerSlot, a),
    total: formatBytes(kv.bytesTotal, a),
    slots: kv.slots,
    lengths: `full-attention layers ${kv.fullLen} positions, sliding-window layers ${kv.slidingLen}`,
  };
}
