# TEST DOUBLE of the upstream QEfficient library (quic/efficient-transformers), which cannot be installed
# here (no registry with torch/QEfficient is reachable). It reproduces only what the qeff-disagg runner
# touches: the public signatures of QEFFAutoModelForCausalLM (1.21 and 1.22+), the environment variables read
# at export time, the ONNX/QPC folder layout under QEFF_HOME, the compiler command order and the exact
# "Compilation failed!" RuntimeError, each as upstream has it on the release/v1.21.x and v1.22.x branches
# (the file and version are named where each behaviour is implemented).
# It traces nothing and compiles nothing. Never ship it; it lives under test/ only.
"""QEFFBaseModel._compile (upstream: QEfficient/base/modeling_qeff.py): builds the qaic-compile command in the
upstream order (QEfficient/base/modeling_qeff.py _compile, release/v1.22.8.0), writes specializations.json and custom_io.yaml into
<compile_dir or onnx dir>/qpc-<hash16>/, runs the compiler with subprocess.run(capture_output=True, check=True)
and turns a CalledProcessError into the upstream RuntimeError("Compilation failed!...") of the same function."""
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

from QEfficient.utils import constants
from QEfficient.utils.logging_utils import logger


def hash_dict_params(params):
    text = json.dumps(params, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[: constants.HASH_HEXDIGEST_STR_LEN]


def _maybe_segv(where):
    value = os.environ.get("FAKE_QEFF_SEGV", "")
    if value == where or (where == "export" and value == "1"):
        print("fake QEfficient: simulating a native crash during %s" % where, flush=True)
        os._exit(139)


def _maybe_crash(where):
    if os.environ.get("FAKE_QEFF_CRASH", "") == where:
        raise Exception("FAKE_QEFF_CRASH: simulated failure during %s" % where)


def record_call(key, value):
    """Test knob, no upstream counterpart: with FAKE_QEFF_RECORD=PATH, what the caller passed (and the
    environment it ran in) is kept in the JSON file PATH, so a test can compare it with the plan."""
    path = os.environ.get("FAKE_QEFF_RECORD")
    if not path:
        return
    state = {}
    if os.path.isfile(path):
        with open(path, "r", encoding="utf-8") as f:
            state = json.load(f)
    state[key] = value
    with open(path, "w", encoding="utf-8") as f:
        json.dump(state, f, ensure_ascii=True, default=str)


def recorded(name):
    """Records each call's own positional and keyword arguments (not the defaults) under `name`; the
    signature stays the upstream one (functools.wraps: inspect.signature follows __wrapped__)."""
    import functools

    def wrap(fn):
        @functools.wraps(fn)
        def call(self_or_cls, *args, **kwargs):
            record_call(name, {"args": list(args), "kwargs": kwargs, "env": dict(os.environ)})
            return fn(self_or_cls, *args, **kwargs)

        return call

    return wrap


def record_trace(model_dir, hash_params):
    """Test knob, no upstream counterpart: one JSON line in <QEFF_HOME>/fake-traces.jsonl per real trace (an
    export that wrote an ONNX, not one that returned early on an existing file), so tests can count exports."""
    from QEfficient.utils import cache

    cache.QEFF_HOME.mkdir(parents=True, exist_ok=True)
    with open(cache.QEFF_HOME / "fake-traces.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps({"dir": str(model_dir), "pid": os.getpid(), "hash_params": hash_params}, default=str) + "\n")


class QEFFBaseModel:
    onnx_path = None
    qpc_path = None

    if constants.API != "1.21":

        def transform(self, ctx_len=None, seq_len=None, bs=1, num_devices=1, qaic_config=None, **compiler_options):
            """Upstream QEfficient/base/modeling_qeff.py transform() (v1.22.0+), reached from get_onnx_path()
            before compile() exports. v1.22.8.0 and main always add num_replicate_kv_heads (1 unless
            qaic_config.replicate_kv_heads) and the qaic_config to hash_params, so the export hash differs from a
            direct export(); v1.22.0 adds only blocking_kwargs, and only when qaic_config asks for blocking
            (build_transformer_blocking_config_for_transform returns None without blocking_mode)."""
            qaic_config = qaic_config if qaic_config else self.qaic_config
            if qaic_config and qaic_config.get("blocking_mode") is not None:
                self.hash_params["blocking_kwargs"] = {
                    "mode": qaic_config.get("blocking_mode"), "num_q_blocks": qaic_config.get("num_q_blocks"),
                    "num_kv_blocks": qaic_config.get("num_kv_blocks"), "seq_len": seq_len, "bs": bs,
                }
            if not constants.VERSION.startswith("1.22.0"):
                if qaic_config is not None:
                    self.hash_params["qaic_config"] = qaic_config
                self.hash_params["num_replicate_kv_heads"] = 1
            self.transform_calls = getattr(self, "transform_calls", 0) + 1

    def _compile(
        self,
        onnx_path,
        compile_dir,
        *,
        mxint8_kv_cache=False,
        specializations=None,
        custom_io=None,
        mdp_ts_num_devices=1,
        num_speculative_tokens=None,
        enable_qnn=False,
        qnn_config=None,
        prefill_only=None,
        use_onnx_subfunctions=False,
        qaic_config=None,
        specialization_module_name=None,
        **compiler_options,
    ):
        onnx_path = Path(onnx_path)
        compile_dir = Path(compile_dir or onnx_path.parent)

        mdp_load_partition_config = compiler_options.pop("mdp_load_partition_config", None)
        if constants.API == "1.21":
            # v1.21.6 _compile has no mdp_num_partitions parameter and pops no mdp_strategy or
            # mdp_compiler_dump_path: they stay in **compiler_options and become compiler flags below.
            mdp_num_partitions, mdp_strategy, mdp_compiler_dump_path = 1, "onnx", None
        else:
            mdp_num_partitions = compiler_options.pop("mdp_num_partitions", 1)
            mdp_strategy = compiler_options.pop("mdp_strategy", "onnx")
            mdp_compiler_dump_path = compiler_options.pop("mdp_compiler_dump_path", None)
        aic_hw_version = compiler_options.pop(
            "aic_hw_version", compiler_options.pop("aic-hw-version", constants.DEFAULT_AIC_HW_VERSION)
        )
        specializations = compiler_options.pop("specializations", specializations)
        if constants.API != "1.21":
            for key in ("compile_only", "compile-only"):
                if key in compiler_options:
                    compiler_options.pop(key)
                    logger.warning("'compile_only' is deprecated and is ignored; removing it from compiler options.")

        command = constants.COMPILER + ["-aic-hw-version=%s" % aic_hw_version, "-m=%s" % onnx_path]
        if mdp_load_partition_config:
            command.append("-mdp-load-partition-config=%s" % mdp_load_partition_config)
        elif mdp_num_partitions is not None and mdp_num_partitions > 1:
            # v1.22.8.0 _compile: the disagg MDP generator runs only when > 1; 1, 0 or negative are ignored.
            if mdp_num_partitions > mdp_ts_num_devices:
                raise ValueError(
                    "Num of partitions should be <= number of devices. Found %s partitions and %s devices"
                    % (mdp_num_partitions, mdp_ts_num_devices)
                )
            if mdp_strategy not in ("onnx", "intersection"):
                raise ValueError("%r is not a valid MdpStrategy" % (mdp_strategy,))
            if mdp_strategy == "intersection" and not mdp_compiler_dump_path:
                raise ValueError("mdp_strategy='intersection' requires mdp_compiler_dump_path to be set. ")
            compile_dir.mkdir(parents=True, exist_ok=True)
            mdp_file = compile_dir / ("mdp_disagg_%dd_%dp.json" % (mdp_ts_num_devices, mdp_num_partitions))
            mdp_file.write_text(json.dumps({"strategy": mdp_strategy, "partitions": mdp_num_partitions}, indent=2))
            command.append("-mdp-load-partition-config=%s" % mdp_file)

        for key, value in compiler_options.items():
            option = "-" + key.replace("_", "-")
            if isinstance(value, bool):
                if value:
                    command.append(option)
                continue
            command.append("%s=%s" % (option, value))
        if use_onnx_subfunctions:
            command.append("-sub-functions")

        compile_hash = hash_dict_params(
            {
                "command": command,
                "specializations": specializations,
                "custom_io": custom_io,
                "mdp_num_partitions": mdp_num_partitions,
                "mdp_ts_num_devices": mdp_ts_num_devices,
                "num_speculative_tokens": num_speculative_tokens,
                "prefill_only": prefill_only,
            }
        )
        compile_dir = compile_dir / ("qpc-" + compile_hash)
        qpc_path = compile_dir / "qpc"
        if (qpc_path / "programqpc.bin").is_file():
            self.qpc_path = qpc_path
            return qpc_path
        if qpc_path.is_dir():
            shutil.rmtree(qpc_path)  # "probably compilation failure last time"
        compile_dir.mkdir(parents=True, exist_ok=True)

        if mdp_ts_num_devices > 1:
            mdp_ts = compile_dir / ("mdp_ts_%d.json" % mdp_ts_num_devices)
            cores = int(compiler_options.get("aic_num_cores", 16))
            mdp_ts.write_text(json.dumps({
                "connections": [{"devices": list(range(mdp_ts_num_devices)), "type": "p2p"}],
                "partitions": [{"name": "Partition0", "devices": [
                    {"deviceId": d, "numCores": cores} for d in range(mdp_ts_num_devices)]}],
            }, indent=4))
            command.append("-mdp-load-partition-config=%s" % mdp_ts)

        specializations_json = compile_dir / "specializations.json"
        specializations_json.write_text(json.dumps({"specializations": specializations}, indent=4))
        command.append("-network-specialization-config=%s" % specializations_json)

        custom_io_yaml = compile_dir / "custom_io.yaml"
        with open(custom_io_yaml, "w") as f:
            for io_name, dtype in (custom_io or {}).items():
                f.write(" - IOName: %s\n   Precision: %s\n\n" % (io_name, dtype))
        command.append("-custom-IO-list-file=%s" % custom_io_yaml)
        command.append("-aic-binary-dir=%s" % qpc_path)

        logger.info("Running compiler: " + " ".join(command))
        _maybe_crash("compile")
        _maybe_segv("compile")
        no_cause_error = None
        try:
            subprocess.run(command, capture_output=True, check=True)
        except subprocess.CalledProcessError as e:
            message = "\n".join(
                [
                    "Compilation failed!",
                    f"Compiler command: {e.cmd}",
                    f"Compiler exitcode: {e.returncode}",
                    "Compiler stderr:",
                    e.stderr.decode(),
                ]
            )
            if os.environ.get("FAKE_QEFF_NO_CAUSE") != "1":
                raise RuntimeError(message) from e
            no_cause_error = RuntimeError(message)
        if no_cause_error is not None:
            raise no_cause_error  # raised outside the except block: neither __cause__ nor __context__

        (compile_dir / "hashed_compile_params.json").write_text(json.dumps({
            "command": command, "specializations": specializations, "custom_io": custom_io,
            "mdp_ts_num_devices": mdp_ts_num_devices, "mdp_num_partitions": mdp_num_partitions,
            "prefill_only": prefill_only,
        }, indent=4))
        self.qpc_path = qpc_path
        return qpc_path
