// Facts about GPT-OSS that rules, the KV estimate and the wizard need (qefficient-api.md §6).
import type { Family } from './types';

export interface FamilyFacts {
  experts: number;
  layers: number;
  slidingLayers: number;
  fullLayers: number;
  kvHeads: number;
  headDim: number;
}

export const FAMILY_FACTS: Record<Family, FamilyFacts> = {
  'gpt-oss-20b': { experts: 32, layers: 24, slidingLayers: 12, fullLayers: 12, kvHeads: 8, headDim: 64 },
  'gpt-oss-120b': { experts: 128, layers: 36, slidingLayers: 18, fullLayers: 18, kvHeads: 8, headDim: 64 },
};

export const SLIDING_WINDOW = 128;
export const MAX_POSITION_EMBEDDINGS = 131072;
export const Q_BLOCK_SIZE = 256;
export const MAX_NSP_CORES = 16;

/** QEfficient's defaults for absent kwargs (config-rules.md, "Defaults"). */
export const DEFAULTS = {
  prefill_seq_len: 32,
  ctx_len: 128,
  batch_size: 1,
  num_cores: 16,
  num_devices: 1,
  mxint8_kv_cache: false,
  use_onnx_subfunctions: false,
  continuous_batching: false,
} as const;
