// Facts about GPT-OSS that rules, the KV estimate and the wizard need: the models' config.json on the Hugging
// Face hub (openai/gpt-oss-20b, openai/gpt-oss-120b: num_local_experts, num_hidden_layers, layer_types,
// num_key_value_heads, head_dim, sliding_window, max_position_embeddings) and QEfficient's
// GPT_OSS_PREFILL_Q_BLOCK_SIZE (QEfficient/utils/constants.py, release/v1.22.8.0).
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

/** QEfficient's defaults for absent kwargs: QEFFAutoModelForCausalLM.compile's signature (transformers/models/modeling_auto.py, release/v1.22.8.0). */
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
