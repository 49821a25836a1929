// The words of the wizard: what each step and field means, in the design note's terms, for someone who has
// not read it.
import type { ParamName, StepId } from '../src/core/wizard/state';
import type { ServingField } from '../src/core/wizard/serving';
import type { StageKey } from '../src/core/types';

export const STEP_TITLES: Record<StepId, string> = {
  model: 'Model',
  stages: 'Stages',
  modes: 'Modes',
  parameters: 'Parameters',
  serving: 'Serving',
  review: 'Review and save',
};

export const STEP_INTRO: Record<StepId, string> = {
  model: 'The model to compile: a Hugging Face hub id or a local folder holding its config.json and weights. GPT-OSS comes in two sizes: gpt-oss-20b (32 experts) and gpt-oss-120b (128 experts, which also needs a node-precision-info file per stage).',
  stages: 'Disaggregated serving compiles two programs (QPCs) from one model for Cloud AI 100: a prefill-only QPC that processes the prompt, and a decode-only QPC that generates the tokens. Each stage is exported and compiled in its own Python process. Prefill reads all experts once; decode reads only the experts each token chooses.',
  modes: 'Each stage is built in one of two modes. The mode is the only abstraction in the config: it implies the mode-defining compile() arguments. The KV-cache memory below is computed from the values of the Parameters step and changes as you edit them.',
  parameters: 'The keyword arguments of compile() and from_pretrained(), exactly as QEfficient takes them, with defaults that suit each mode. Every problem the editor would report appears beside its field.',
  serving: 'Optional: how qaic_disagg (the launcher of Qualcomm\'s vLLM plugin for Cloud AI 100) serves the pair: one OpenAI-compatible API, a prefill runtime on one device group and a decode runtime on another. Each device group runs one instance; its size is the stage\'s num_devices.',
  review: 'The config file and the Python script each stage runs. Save writes the file through the editor (so it can be undone), never over an existing file without asking, and opens it. It is disabled while an error remains.',
};

export const STAGE_TITLES: Record<StageKey, string> = { prefill: 'Prefill-only QPC', decode: 'Decode-only QPC' };

export const STAGE_CHOICES = [
  { value: 'both', label: 'Both: a disaggregated prefill + decode pair' },
  { value: 'prefill', label: 'Prefill only' },
  { value: 'decode', label: 'Decode only' },
];

/** What a parameter's field is called, when not just its name. */
const PARAM_LABEL: Partial<Record<ParamName, string>> = {
  node_precision_info: 'node_precision_info (NPI file)',
  mxfp6_matmul: 'mxfp6_matmul: weights in MXFP6',
  mxint8_kv_cache: 'mxint8_kv_cache: KV cache in MXINT8',
  continuous_batching: 'continuous_batching (from_pretrained)',
  NUM_Q_BLOCKS: 'NUM_Q_BLOCKS (env)',
  NUM_FFN_BLOCKS: 'NUM_FFN_BLOCKS (env)',
  ENABLE_OPT_SWA: 'ENABLE_OPT_SWA (env)',
};

/** The help under a parameter's field: one text, or one per stage where the stages differ. */
const PARAM_HELP: Record<ParamName, string | Record<StageKey, string>> = {
  prefill_seq_len: 'Tokens per prefill pass (per chunk with chunking). Blocking: a multiple of 256, since attention is split into Q blocks of 256.',
  ctx_len: {
    prefill: 'Context length: the most positions the KV cache holds. Blocking: QEfficient sets it to prefill_seq_len. Chunking: at least prefill_seq_len + 128, and the same as the decode stage\'s.',
    decode: 'Context length: the most positions the KV cache holds (prompt plus generated tokens).',
  },
  num_cores: 'NSP cores per Cloud AI 100 SoC, 1 to 16. A chunking prefill (QEfficient 1.22 and later) needs a count that divides the expert count: 1, 2, 4, 8 or 16.',
  num_devices: 'Cloud AI 100 SoCs the QPC spans.',
  full_batch_size: {
    prefill: 'Optional with prefix caching: kv_cache_batch_size usually sets the slots.',
    decode: 'Sequences decoded at once. Required with continuous batching.',
  },
  kv_cache_batch_size: {
    prefill: 'KV-cache slots for prefix caching (the chunking prefill needs it with continuous batching).',
    decode: 'KV-cache slots: at least full_batch_size; more slots keep more conversations\' caches. Optional.',
  },
  node_precision_info: {
    prefill: 'Required for gpt-oss-120b: the YAML file listing the tensors kept in FP32. Use the "subfunction" NPI when this stage uses ONNX subfunctions. The path is relative to the config file.',
    decode: 'Required for gpt-oss-120b: the YAML file listing the tensors kept in FP32. Use the "non_subfunction" NPI, since decode does not use subfunctions. The path is relative to the config file.',
  },
  mxfp6_matmul: 'Compresses the matmul weights to MXFP6: smaller and faster.',
  mxint8_kv_cache: 'About half the KV memory of fp16. Prefill and decode must agree: the KV cache is handed from one to the other.',
  use_onnx_subfunctions: 'Strongly advised for prefill: without it compiling takes very long. The export then succeeds and compile is expected to fail on the public SDK; the compiler command it prints is run by hand (qeff-disagg captures it).',
  continuous_batching: {
    prefill: 'Prefix caching: serve several conversations and reuse their caches. Needs kv_cache_batch_size.',
    decode: 'Continuous batching: decode several sequences at once. Needs full_batch_size.',
  },
  NUM_Q_BLOCKS: 'Number of Q blocks in attention. QEfficient 1.21 reads it for the blocking export; since 1.22 the Q blocks are prefill_seq_len / 256 and this is read only by optimized SWA, so keep it equal to prefill_seq_len / 256.',
  NUM_FFN_BLOCKS: 'Number of blocks in the FFN. Setting it at all switches on the blocked FFN; upstream\'s example leaves it unset. The larger of the Q and FFN block counts must be a multiple of the smaller.',
  ENABLE_OPT_SWA: 'Optimized sliding-window attention: "1" uses only the valid KVs of each block in attention, reducing MACs.',
};

export function paramLabel(name: ParamName): string {
  return PARAM_LABEL[name] ?? name;
}

export function paramHelp(name: ParamName, stage: StageKey): string {
  const help = PARAM_HELP[name];
  return typeof help === 'string' ? help : help[stage];
}

export const SERVING_LABEL: Record<ServingField, string> = {
  'port': 'API port',
  'prefill.deviceGroups': 'Device groups (QIDs)', 'prefill.ports': 'Ports', 'prefill.maxNumSeqs': 'maxNumSeqs',
  'decode.deviceGroups': 'Device groups (QIDs)', 'decode.ports': 'Ports', 'decode.maxNumSeqs': 'maxNumSeqs',
  'runtime': 'Where qaic_disagg runs', 'image': 'Docker image',
};

const GROUPS_HELP = 'Device ids, comma-separated; one group per instance, separated by ";" (e.g. "0, 1; 2, 3"). Each group has this stage\'s num_devices ids, and no id is in both stages.';
const PORTS_HELP = 'One port per device group, comma-separated, in the order of the groups. Every port of the config is unique.';

export const SERVING_HELP: Record<ServingField, string> = {
  'port': 'The OpenAI-compatible API (qaic_disagg\'s router): --port. Default 8000.',
  'prefill.deviceGroups': GROUPS_HELP, 'prefill.ports': PORTS_HELP,
  'prefill.maxNumSeqs': 'Sequences one prefill instance takes at once (--prefill-max-num-seqs). Empty: the default (1).',
  'decode.deviceGroups': GROUPS_HELP, 'decode.ports': PORTS_HELP,
  'decode.maxNumSeqs': 'Sequences one decode instance takes at once (--decode-max-num-seqs). Empty: the decode full_batch_size, which it must equal.',
  'runtime': 'bare runs python3 -m qaic_disagg on this machine; docker runs the cloud_ai_inference_vllm_disagg image with the QPC folders mounted read-only.',
  'image': 'Empty: the default image of the vLLM disaggregated-serving container.',
};

export const FAMILY_HELP: Record<string, string> = {
  'gpt-oss-20b': '32 experts (4 per token), 24 layers: 12 sliding-window + 12 full attention.',
  'gpt-oss-120b': '128 experts (4 per token), 36 layers: 18 sliding-window + 18 full attention. Needs an NPI file in every stage.',
};
