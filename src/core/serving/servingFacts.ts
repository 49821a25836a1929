// Facts about qaic_disagg, the launcher of Qualcomm's vLLM plugin for Cloud AI 100, that the serving rules and
// the launch command share. Sources (qualcomm/vllm-qaic main dc7351f, "V0.23.0"):
//   docs/docs/user_guide/features/disaggregated_serving.md: flags, docker flags, image, ports 8000/9900/9800;
//   tests/e2e/disaggregated_serving/conftest.py: `python -m qaic_disagg`, one `--*-device-group` list per
//     instance, comma-separated `--*-port`, `--kv-handOff-port`, readiness = the API port accepts connections,
//     shut down with SIGINT.
// The qaic_disagg source itself is not public: the override-string parsing (split on white space, then on
// `:`/`=`), the KV handoff default 5656 and the KV store default 64 MB are from an older copy
// of the launcher (version-dependent, inferred: not verifiable against a public source).

export const DEFAULT_API_PORT = 8000;
export const DEFAULT_STAGE_PORT = { prefill: 9900, decode: 9800 } as const;
export const DEFAULT_IMAGE = 'ghcr.io/quic/cloud_ai_inference_vllm_disagg:1.21.2.0';
export const LAUNCHER_MODULE = 'qaic_disagg';

/** The override parser splits `"k:v k2=v2"` on white space, then on `:` or `=`: a value cannot hold them. */
export const OVERRIDE_UNSAFE = /[:=\s]/;

/** vLLM (vllm-qaic) selects KV buffers by this substring unless VLLM_QAIC_USE_LEGACY_SLICING_SPEC=1
 *  (vllm_qaic/model_loader/qaic_session_np.py, VLLM_KV_CACHE_PREFIX; inferred from code). */
export const VLLM_KV_PREFIX = 'vllmKvCache';
export const LEGACY_SLICING_ENV = 'VLLM_QAIC_USE_LEGACY_SLICING_SPEC';

/** Flags the launch command derives from the config: extraArgs must not set them again (argparse: the last wins). */
export const DERIVED_FLAGS = [
  '--model', '--port', '--prefill-port', '--decode-port', '--prefill-device-group', '--decode-device-group',
  '--prefill-max-num-seqs', '--decode-max-num-seqs', '--max-model-len', '--prefill-max-seq-len-to-capture',
  '--prefill-long-prefill-token-threshold', '--kv-cache-dtype', '--kv-handOff-port', '--kv-store-size',
  '--prefill-override-qaic-config', '--decode-override-qaic-config',
] as const;

export function derivedFlagOf(arg: string): string | undefined {
  return DERIVED_FLAGS.find(f => arg === f || arg.startsWith(f + '='));
}
