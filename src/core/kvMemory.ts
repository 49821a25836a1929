// KV-cache memory of a stage: per slot and for all slots. The KV axis of each layer kind per mode follows
// QEfficient's prefill/decode transforms (transformers/models/modeling_auto.py, __update_prefill_transform with
// enable_chunking / retain_full_kv; gpt_oss/modeling_gpt_oss.py sliding-window cache; release/v1.22.8.0).
import { FAMILY_FACTS, SLIDING_WINDOW } from './model';
import type { Family, Mode } from './types';

export interface KvInputs {
  prefillSeqLen: number;
  ctxLen: number;
  mxint8: boolean;
  kvCacheBatchSize?: number;
  fullBatchSize?: number;
  batchSize?: number;
}

export interface KvEstimate {
  bytesPerSlot: number;
  slots: number;
  bytesTotal: number;
  /** mxint8 counts one byte per element; the block scales are not counted. */
  approximate: boolean;
  fullLen: number;
  slidingLen: number;
}

/** KV length of full-attention and sliding-window layers in each mode. */
export function kvLengths(mode: Mode, psl: number, ctx: number): { full: number; sliding: number } {
  switch (mode) {
    case 'blocking': return { full: psl, sliding: SLIDING_WINDOW };
    case 'chunking': return { full: ctx, sliding: ctx };
    case 'swa-retain': return { full: ctx, sliding: SLIDING_WINDOW };
    case 'full-kv': return { full: ctx, sliding: ctx };
  }
}

export function kvEstimate(family: Family, mode: Mode, input: KvInputs): KvEstimate {
  const f = FAMILY_FACTS[family];
  const bytes = input.mxint8 ? 1 : 2;
  const { full, sliding } = kvLengths(mode, input.prefillSeqLen, input.ctxLen);
  const bytesPerSlot = 2 * f.kvHeads * f.headDim * bytes * (f.fullLayers * full + f.slidingLayers * sliding);
  const slots = input.kvCacheBatchSize ?? input.fullBatchSize ?? input.batchSize ?? 1;
  return { bytesPerSlot, slots, bytesTotal: bytesPerSlot * slots, approximate: input.mxint8, fullLen: full, slidingLen: sliding };
}

/** "292.5 MiB", "4.5 GiB", "~146.3 MiB" when approximate. */
export function formatBytes(n: number, approximate = false): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  const digits = (x: number) => (x >= 100 ? 1 : 2);
  // Also move up when rounding reaches 1024 (1048575 B is "1 MiB", not "1024 KiB").
  while (i < units.length - 1 && (v >= 1024 || Number(v.toFixed(digits(v))) >= 1024)) { v /= 1024; i++; }
  const text = Number.isInteger(v) ? String(v) : v.toFixed(digits(v)).replace(/\.?0+$/, '');
  return `${approximate ? '~' : ''}${text} ${units[i]}`;
}
