# TEST DOUBLE of the upstream QEfficient library (quic/efficient-transformers), which cannot be installed
# here (no registry with torch/QEfficient is reachable). It reproduces only what the qeff-disagg runner
# touches: the public signatures of QEFFAutoModelForCausalLM (1.21 and 1.22+), the environment variables read
# at export time, the ONNX/QPC folder layout under QEFF_HOME, the compiler command order and the exact
# "Compilation failed!" RuntimeError, each as upstream has it on the release/v1.21.x and v1.22.x branches
# (the file and version are named where each behaviour is implemented).
# It traces nothing and compiles nothing. Never ship it; it lives under test/ only.
"""QEFFAutoModelForCausalLM (upstream: QEfficient/transformers/models/modeling_auto.py), GPT-OSS only.

Signatures follow FAKE_QEFF_API: "1.22" (default; main / v1.22.x) or "1.21" (v1.21.x: no layerwise in
from_pretrained; export without num_cores/moe_prefill_packed_chunk_size/layerwise/kv_cache_prefix/dynamo;
compile without moe_prefill_packed_chunk_size/layerwise/layerwise_window_size/kv_cache_prefix).
Export writes <QEFF_HOME>/GptOssForCausalLM/GptOssForCausalLM-<hash16>/GptOssForCausalLM.onnx and
hashed_export_params.json, which also records the NUM_Q_BLOCKS/NUM_FFN_BLOCKS/ENABLE_OPT_SWA values seen
in os.environ at export time ("env_at_export") and at import ("env_at_import"), and every export argument
("export_args")."""
import math
import os
import sys
import warnings
from pathlib import Path

import QEfficient
from QEfficient.base.modeling_qeff import QEFFBaseModel, _maybe_crash, _maybe_segv, hash_dict_params, record_trace, recorded
from QEfficient.utils import cache, constants
from QEfficient.utils.logging_utils import logger

ARCH = "GptOssForCausalLM"
EXPORT_ENV_VARS = ("NUM_Q_BLOCKS", "NUM_FFN_BLOCKS", "ENABLE_OPT_SWA")


def _default_layers(name):
    lowered = str(name).lower()
    if "120b" in lowered:
        return 36
    return 24


def _spam_stdout():
    try:
        megabytes = float(os.environ.get("FAKE_QEFF_SPAM_MB", "0") or 0)
    except ValueError:
        megabytes = 0
    total = int(megabytes * 1024 * 1024)
    written = 0
    index = 0
    filler = "x" * 80
    batch = []
    while written < total:
        line = "fake QEfficient export log line %09d %s\n" % (index, filler)
        batch.append(line)
        written += len(line)
        index += 1
        if len(batch) >= 2000:
            sys.stdout.write("".join(batch))
            batch = []
    if batch:
        sys.stdout.write("".join(batch))
    sys.stdout.flush()


class QEFFAutoModelForCausalLM(QEFFBaseModel):
    def __init__(self, name, config, continuous_batching, qaic_config, hf_kwargs):
        self.pretrained_model_name_or_path = name
        self.config = config
        self.continuous_batching = continuous_batching
        self.qaic_config = qaic_config
        self.hf_kwargs = hf_kwargs
        self.model_type = config["model_type"]
        self.onnx_path = None
        self.qpc_path = None
        self._weights_offloaded = False
        # Upstream create_model_params(): what transform() and export() add to the export hash accumulates here.
        self.hash_params = {}

    @property
    def model_name(self):
        """Upstream QEFFBaseModel.model_name (base/modeling_qeff.py): the class name without its QEff prefix."""
        return ARCH

    # ---------------------------------------------------------------- from_pretrained

    if constants.API == "1.21":

        @classmethod
        @recorded("from_pretrained")
        def from_pretrained(cls, pretrained_model_name_or_path, continuous_batching=False, qaic_config=None,
                            max_seq_len_cached=None, *args, **kwargs):
            return cls._from_pretrained(pretrained_model_name_or_path, continuous_batching, qaic_config,
                                        max_seq_len_cached, False, kwargs)

    else:

        @classmethod
        @recorded("from_pretrained")
        def from_pretrained(cls, pretrained_model_name_or_path, continuous_batching=False, qaic_config=None,
                            max_seq_len_cached=None, layerwise=False, *args, **kwargs):
            return cls._from_pretrained(pretrained_model_name_or_path, continuous_batching, qaic_config,
                                        max_seq_len_cached, layerwise, kwargs)

    @classmethod
    def _from_pretrained(cls, name, continuous_batching, qaic_config, max_seq_len_cached, layerwise, kwargs):
        _maybe_crash("from_pretrained")
        if layerwise:
            raise NotImplementedError(
                "layerwise=True is only supported for model types: ['qwen3_5_moe', 'qwen3_moe', "
                "'qwen3_vl_moe', 'qwen3_vl_moe_text']. Got model_type='gpt_oss'."
            )
        kwargs = dict(kwargs)
        kwargs.pop("enable_proxy", None)
        kwargs.pop("kv_offload", None)
        if kwargs.pop("full_batch_size", None):
            continuous_batching = True
            warnings.warn(
                "full_batch_size argument is deprecated. Use continuous_batching=True instead.",
                DeprecationWarning, 2,
            )
        if kwargs.get("attn_implementation", "eager") != "eager":
            logger.warning('Updating attn_implementation="eager"')
        kwargs["attn_implementation"] = "eager"
        if qaic_config is not None:
            qaic_config["pretrained_model_name_or_path"] = name
        num_layers = int(kwargs.get("num_hidden_layers", _default_layers(name)))
        config = {
            "model_type": "gpt_oss",
            "architectures": [ARCH],
            "name_or_path": str(name),
            "num_hidden_layers": num_layers,
            "num_local_experts": 128 if "120b" in str(name).lower() else 32,
            "layer_types": ["sliding_attention" if i % 2 == 0 else "full_attention" for i in range(num_layers)],
            "sliding_window": constants.SLIDING_WINDOW,
            "max_seq_len_cached": max_seq_len_cached,
        }
        print("fake QEfficient %s: loaded %s (%d layers)" % (QEfficient.__version__, name, num_layers), flush=True)
        return cls(name, config, bool(continuous_batching), qaic_config, kwargs)

    # ---------------------------------------------------------------- export

    if constants.API == "1.21":

        @recorded("export")
        def export(self, export_dir=None, prefill_only=False, prefill_seq_len=None, **kwargs):
            return self._export(export_dir, prefill_only, prefill_seq_len, kwargs, {})

    else:

        @recorded("export")
        def export(self, export_dir=None, prefill_only=False, prefill_seq_len=None, num_cores=16,
                   moe_prefill_packed_chunk_size=constants.MOE_PREFILL_PACKED_CHUNK_SIZE, layerwise=False,
                   layerwise_window_size=1, kv_cache_prefix=None, dynamo=False, **kwargs):
            extras = {
                "num_cores": num_cores,
                "moe_prefill_packed_chunk_size": moe_prefill_packed_chunk_size,
                "layerwise": layerwise,
                "layerwise_window_size": layerwise_window_size,
                "kv_cache_prefix": kv_cache_prefix,
                "dynamo": dynamo,
            }
            return self._export(export_dir, prefill_only, prefill_seq_len, kwargs, extras)

    def _blocking_export_seq_len(self, prefill_seq_len):
        """get_seq_len_and_handle_specialized_prefill_model (transformers/models/modeling_auto.py, release/v1.22.8.0)."""
        block = constants.GPT_OSS_PREFILL_Q_BLOCK_SIZE
        if constants.API == "1.21":
            num_q_blocks = os.environ.get("NUM_Q_BLOCKS")
        else:
            # v1.22+: the block count comes from qaic_config blocking, not from the env var.
            num_q_blocks = (self.qaic_config or {}).get("num_q_blocks") if (self.qaic_config or {}).get("enable_blocking") else None
        if num_q_blocks is None:
            if prefill_seq_len is None or prefill_seq_len % block != 0 or prefill_seq_len < block:
                raise ValueError(
                    f"When prefill_only=True, 'prefill_seq_len' must be explicitly set and divisible by block_size={block}. "
                    f"Or set `NUM_Q_BLOCKS` ENV variable"
                    f"Received: prefill_seq_len={prefill_seq_len}"
                )
            num_q_blocks = prefill_seq_len // block
            if constants.API == "1.21":
                logger.warning(
                    f"Setting NUM_Q_BLOCKS={num_q_blocks} used in attention Q-blocking for prefill_only model, "
                    "please set ENV variable `NUM_Q_BLOCKS` to override"
                )
                os.environ["NUM_Q_BLOCKS"] = str(num_q_blocks)
            else:
                logger.warning(
                    f"Setting NUM_Q_BLOCKS={num_q_blocks} used in attention Q-blocking for prefill_only model, "
                    "please pass `NUM_Q_BLOCKS` in qaic_config to override"
                )
        num_q_blocks = int(num_q_blocks)
        # Hashed as computed here (modeling_auto.py get_seq_len_and_handle_specialized_prefill_model, v1.21.6;
        # handle_gpt_oss_env_variable_legacy_burden, v1.22.0+): on 1.22+ prefill_seq_len // 256, never the
        # NUM_Q_BLOCKS the traced graph reads from the environment (gpt_oss/modeling_gpt_oss.py).
        self._blocking_hash = {"NUM_Q_BLOCKS": num_q_blocks}
        ffn = os.environ.get("NUM_FFN_BLOCKS")
        num_ffn_blocks = int(ffn) if ffn is not None else None
        min_seq_len = max(num_q_blocks, num_ffn_blocks or 0)
        if min_seq_len % num_q_blocks != 0 or (num_ffn_blocks and min_seq_len % num_ffn_blocks != 0):
            raise ValueError(
                f"Got NUM_FFN_BLOCKS={num_ffn_blocks} and NUM_Q_BLOCKS={num_q_blocks}, tried to set seq_len={min_seq_len} "
                "for export but,seq_len is not divisible by either num_ffn_blocks or num_q_blocks, try chaning the values."
            )
        self._blocking_hash["NUM_FFN_BLOCKS"] = num_ffn_blocks
        self._blocking_hash["ENABLE_OPT_SWA"] = os.environ.get("ENABLE_OPT_SWA", "0")
        return max(min_seq_len, 32)

    def _export(self, export_dir, prefill_only, prefill_seq_len, kwargs, extras):
        if self._weights_offloaded:
            raise RuntimeError(
                "Cannot re-export model: weights have been offloaded to save memory. To re-export, please create "
                "a new model instance using from_pretrained() method."
            )
        if constants.API != "1.21" and kwargs.get("decode_only"):
            raise NotImplementedError(
                "decode_only=True is not supported by QEFFAutoModelForCausalLM.export(). "
                "Use compile(prefill_seq_len=1) instead."
            )
        enable_chunking = kwargs.get("enable_chunking", False)
        retain_full_kv = kwargs.get("retain_full_kv", False)
        use_onnx_subfunctions = kwargs.get("use_onnx_subfunctions", False)
        offload_pt_weights = kwargs.get("offload_pt_weights", True)

        # What tracing would read from the environment, read now, at export time.
        env_at_export = {name: os.environ.get(name) for name in EXPORT_ENV_VARS}

        if use_onnx_subfunctions:
            logger.warning(
                "The subfunction feature is experimental. Please note that using compile consecutively with and "
                "without subfunction may produce inconsistent results."
            )
        hash_params = {
            "config": self.config,
            "model_class": "QEff" + ARCH,
            "continuous_batching": self.continuous_batching,
            "use_onnx_subfunctions": bool(use_onnx_subfunctions),
            "api": constants.API,
            # from_pretrained passes it to the constructor, whose create_model_params keeps it for the hash
            # (transformers/models/modeling_auto.py, utils/_utils.py and utils/constants.py
            # KWARGS_INCLUSION_LIST, v1.22.0); so hashed_export_params.json names the model.
            "pretrained_model_name_or_path": self.pretrained_model_name_or_path,
        }
        if prefill_only:
            if self.continuous_batching and not enable_chunking:
                if QEfficient.__version__ == "0.0.1.dev0":
                    raise NotImplementedError("Can't enable prefix-caching without chunking")
                raise NotImplementedError(
                    "Looks like you are trying to run prefix-caching without chunking, this feature is not available yet!"
                )
            if enable_chunking:
                seq_len = 32 if constants.API == "1.21" else max(prefill_seq_len or 32, 32)
                if constants.API != "1.21" and self.config["num_local_experts"] % extras["num_cores"] != 0:
                    # gpt_oss/modeling_gpt_oss.py QEffPrefillOnlyChunkedGptOssMLP.forward (v1.22.0+), at trace
                    # time: expert_blocking_num_nsp is export()'s num_cores.
                    raise ValueError(
                        f"num_experts ({self.config['num_local_experts']}) must be divisible by "
                        f"expert_blocking_num_nsp ({extras['num_cores']})"
                    )
            else:
                seq_len = self._blocking_export_seq_len(prefill_seq_len)
                hash_params.update(self._blocking_hash)
            hash_params.update({"prefill_only": True, "chunking": bool(enable_chunking)})
            if constants.API != "1.21":
                packed = extras["moe_prefill_packed_chunk_size"]
                hash_params["moe_prefill_num_nsp"] = extras["num_cores"]
                hash_params["moe_prefill_packed_chunk_size"] = packed
                hash_params["num_packed_chunks"] = int(math.ceil((prefill_seq_len or seq_len) / float(packed)))
        else:
            seq_len = 32
            full_kv = bool(retain_full_kv) and self.model_type in constants.SPECIALIZED_DISAGG_SERVING_MODEL_ARCH
            hash_params["retain_full_kv"] = full_kv
        hash_params["kv_cache_prefix"] = extras.get("kv_cache_prefix")
        hash_params["export_seq_len"] = seq_len
        hash_params.update(self.hash_params)  # what transform() added (v1.22.0+)

        base = Path(export_dir) if export_dir else cache.QEFF_HOME / ARCH / ARCH
        export_hash = hash_dict_params(hash_params)
        model_dir = base.with_name(base.name + "-" + export_hash)
        onnx_path = model_dir / (ARCH + ".onnx")

        _spam_stdout()
        _maybe_crash("export")
        _maybe_segv("export")

        if not onnx_path.is_file():  # upstream _export returns early when the ONNX exists
            model_dir.mkdir(parents=True, exist_ok=True)
            onnx_path.write_text(__import__("json").dumps({
                "fake_onnx": "test double of %s; not a model" % self.pretrained_model_name_or_path,
                "env_at_trace": env_at_export,
                "tensors": self._tensor_names(bool(use_onnx_subfunctions)),
            }, indent=1))
            record_trace(model_dir, hash_params)
        record = dict(hash_params)
        record["env_at_export"] = env_at_export
        record["env_at_import"] = QEfficient.ENV_AT_IMPORT
        record["export_args"] = dict(
            {"export_dir": None if export_dir is None else str(export_dir), "prefill_only": prefill_only,
             "prefill_seq_len": prefill_seq_len}, **extras)
        record["export_args"]["kwargs"] = dict(kwargs)
        (model_dir / "hashed_export_params.json").write_text(__import__("json").dumps(record, indent=4, default=str))
        print("fake QEfficient: exported %s" % onnx_path, flush=True)
        self.onnx_path = onnx_path
        if offload_pt_weights:
            self._weights_offloaded = True
        return str(onnx_path)

    def _tensor_names(self, subfunctions):
        """Node output names of the traced graph, in the two styles upstream's NPI files list
        (examples/disagg_serving/non_subfunction_120b_npi.yaml and subfunction_120b_npi.yaml, v1.21.0 to main)."""
        names = ["/model/norm/CustomRMSNorm_output_0"]
        for i in range(self.config["num_hidden_layers"]):
            if subfunctions:
                names.append("/model/layers.%d/QEffGptOssDecoderLayer%s_output_2" % (i, "" if i == 0 else ".%d" % (2 - i % 2)))
            else:
                names += ["/model/layers.%d/%s" % (i, n) for n in (
                    "Add_output_0", "Add_1_output_0", "input_layernorm/CustomRMSNorm_output_0",
                    "post_attention_layernorm/CustomRMSNorm_output_0")]
        return names

    # ---------------------------------------------------------------- compile

    if constants.API == "1.21":

        @recorded("compile")
        def compile(self, onnx_path=None, compile_dir=None, *, prefill_seq_len=32, ctx_len=128,
                    comp_ctx_lengths_prefill=None, comp_ctx_lengths_decode=None, batch_size=1,
                    full_batch_size=None, kv_cache_batch_size=None, num_devices=1, num_cores=16,
                    mxfp6_matmul=False, mxint8_kv_cache=False, num_speculative_tokens=None, prefill_only=None,
                    use_onnx_subfunctions=False, offload_pt_weights=True, enable_chunking=False,
                    retain_full_kv=None, **compiler_options):
            args = dict(locals())
            del args["self"]
            return self._compile_impl(args, args.pop("compiler_options"))

    else:

        @recorded("compile")
        def compile(self, onnx_path=None, compile_dir=None, *, prefill_seq_len=32, ctx_len=128,
                    comp_ctx_lengths_prefill=None, comp_ctx_lengths_decode=None, batch_size=1,
                    full_batch_size=None, kv_cache_batch_size=None, num_devices=1, num_cores=16,
                    mxfp6_matmul=False, mxint8_kv_cache=False, num_speculative_tokens=None, prefill_only=None,
                    use_onnx_subfunctions=False, offload_pt_weights=True, enable_chunking=False,
                    moe_prefill_packed_chunk_size=constants.MOE_PREFILL_PACKED_CHUNK_SIZE, retain_full_kv=None,
                    layerwise=False, layerwise_window_size=1, kv_cache_prefix=None, **compiler_options):
            args = dict(locals())
            del args["self"]
            return self._compile_impl(args, args.pop("compiler_options"))

    def _specializations(self, a, prefill_only, ctx_len):
        psl = a["prefill_seq_len"]
        bs = a["batch_size"]
        fbs = a["full_batch_size"]
        kvbs = a["kv_cache_batch_size"]
        cb = self.continuous_batching
        window = str(constants.SLIDING_WINDOW)
        decode_only = psl == 1 or prefill_only is False
        specs = []
        if not decode_only:
            spec = {"batch_size": str(kvbs or fbs or bs), "seq_len": str(psl), "ctx_len": str(ctx_len),
                    "sliding_window": window}
            if cb:
                spec["batch_size"] = "1"
                spec["full_batch_size"] = str(kvbs or fbs)
                if fbs:
                    spec["full_batch_exec_size"] = "1"
            specs.append(("Prefill", spec))
        if prefill_only is not True:
            spec = {"batch_size": str(kvbs or fbs or bs), "seq_len": "1", "ctx_len": str(ctx_len),
                    "sliding_window": window}
            if cb:
                spec["batch_size"] = str(fbs)
                spec["full_batch_size"] = str(kvbs or fbs)
                spec["full_batch_exec_size"] = str(fbs)
            name = "Decode" if (not decode_only or prefill_only is False) else "Prefill"
            specs.append((name, spec))
        if constants.API == "1.21":
            return [s for _, s in specs]  # flat format
        return [{"name": n, "symbols": s} for n, s in specs]  # "named" format (PR #904)

    def _custom_io(self, a):
        precision = "mxint8" if a["mxint8_kv_cache"] else "float16"
        prefix = a.get("kv_cache_prefix")
        out = {}
        for i in range(self.config["num_hidden_layers"]):
            for kv in ("key", "value"):
                name = "past_%s.%d" % (kv, i) + ("_" + prefix if prefix else "")
                out[name] = precision
                out[name + "_RetainedState"] = precision
        return out

    def _compile_impl(self, a, compiler_options):
        prefill_only = a["prefill_only"]
        if prefill_only is not None and not isinstance(prefill_only, bool):
            raise TypeError("`prefill_only` must be a boolean.")
        fbs = a["full_batch_size"]
        kvbs = a["kv_cache_batch_size"]
        if self.continuous_batching:
            if not prefill_only and fbs is None:
                raise TypeError("`full_batch_size` is required when `continuous_batching=True`.")
            if prefill_only and kvbs is None and fbs is None:
                raise ValueError(
                    "Please pass valid integer for kv_cache_batch_size or full_batch_size, both have same meaning, "
                    "as continuous_batching is enabled for prefill-only model"
                )
        elif kvbs is not None or fbs is not None:
            logger.warning(
                "`full_batch_size` or `kv_cache_batch_size` or `num_kv_blocks` is being passed"
                "This will be ignored as `continuous_batching` is set to `False` in `from_pretrained`"
            )
        prefix = a.get("kv_cache_prefix")
        if prefix is not None and (not isinstance(prefix, str) or not prefix.isalnum()):
            raise ValueError(
                "kv_cache_prefix must be a non-empty alphanumeric string (no '.', '_' or whitespace); got %r" % (prefix,)
            )
        retain_full_kv = a["retain_full_kv"]
        if retain_full_kv and self.model_type not in constants.SPECIALIZED_DISAGG_SERVING_MODEL_ARCH:
            logger.warning("retain_full_kv is not supported for %s; setting it to False" % self.model_type)
            retain_full_kv = False
        if QEfficient.__version__ == "0.0.1.dev0" and (a["comp_ctx_lengths_prefill"] or a["comp_ctx_lengths_decode"])                 and (prefill_only or a["enable_chunking"]):
            raise NotImplementedError("prefill_only or enable_chunking is not supported with CCL")

        ctx_len = a["ctx_len"]
        if prefill_only and not a["enable_chunking"] and ctx_len != a["prefill_seq_len"]:
            logger.warning(
                "overriding ctx_len={0}, currently we don't support ctx_len different than prefill_seq_len for "
                "prefill_only model".format(a["prefill_seq_len"])
            )
            ctx_len = a["prefill_seq_len"]

        compiler_options = dict(compiler_options)
        dynamo = compiler_options.pop("dynamo", False)
        onnx_path = a["onnx_path"]
        if onnx_path is None:
            if self.onnx_path is not None and (constants.API == "1.21" or self._weights_offloaded):
                onnx_path = self.onnx_path  # upstream silently reuses the previous ONNX here (_compile, base/modeling_qeff.py, release/v1.21.6)
            else:
                export_kwargs = {
                    "prefill_only": bool(prefill_only),
                    "prefill_seq_len": a["prefill_seq_len"],
                    "enable_chunking": a["enable_chunking"],
                    "retain_full_kv": retain_full_kv,
                    "use_onnx_subfunctions": a["use_onnx_subfunctions"],
                    "offload_pt_weights": a["offload_pt_weights"],
                }
                if constants.API != "1.21":
                    export_kwargs.update({
                        "num_cores": a["num_cores"],
                        "moe_prefill_packed_chunk_size": a["moe_prefill_packed_chunk_size"],
                        "layerwise": a["layerwise"],
                        "layerwise_window_size": a["layerwise_window_size"],
                        "kv_cache_prefix": prefix,
                        "dynamo": dynamo,
                    })
                if constants.API != "1.21":
                    # base/modeling_qeff.py get_onnx_path (v1.22.0+): transform() first, then export().
                    spec = self._specializations(a, prefill_only, ctx_len)[0]
                    spec = spec.get("symbols", spec)
                    self.transform(ctx_len=int(spec["ctx_len"]), seq_len=int(spec["seq_len"]),
                                   bs=int(spec["batch_size"]), num_devices=a["num_devices"],
                                   qaic_config=compiler_options.get("qaic_config"))
                onnx_path = self.export(**export_kwargs)

        options = {}
        if constants.API == "1.21":
            options["compile_only"] = True
        options["retained_state"] = True
        options["convert_to_fp16"] = True  # GPT-OSS is loaded in float32
        options["mxfp6_matmul"] = a["mxfp6_matmul"]
        options["aic_num_cores"] = a["num_cores"]
        options.update(compiler_options)

        return self._compile(
            onnx_path,
            a["compile_dir"],
            mxint8_kv_cache=a["mxint8_kv_cache"],
            specializations=self._specializations(a, prefill_only, ctx_len),
            custom_io=self._custom_io(a),
            mdp_ts_num_devices=a["num_devices"],
            num_speculative_tokens=a["num_speculative_tokens"],
            prefill_only=prefill_only,
            use_onnx_subfunctions=a["use_onnx_subfunctions"],
            **options,
        )
