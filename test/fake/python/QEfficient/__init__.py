# TEST DOUBLE of the upstream QEfficient library (quic/efficient-transformers), which cannot be installed
# here (no registry with torch/QEfficient is reachable). It reproduces only what the qeff-disagg runner
# touches: the public signatures of QEFFAutoModelForCausalLM (1.21 and 1.22+), the environment variables read
# at export time, the ONNX/QPC folder layout under QEFF_HOME, the compiler command order and the exact
# "Compilation failed!" RuntimeError, each as upstream has it on the release/v1.21.x and v1.22.x branches
# (the file and version are named where each behaviour is implemented).
# It traces nothing and compiles nothing. Never ship it; it lives under test/ only.
#
# Test knobs (environment variables, read at import unless noted):
#   FAKE_QEFF_API        "1.22" (default) or "1.21": which upstream signatures to expose
#   FAKE_QEFF_VERSION    __version__ (default "1.22.8.0", or "1.21.6.0" with FAKE_QEFF_API=1.21;
#                        use "0.0.1.dev0" to imitate v1.21.0, which reports that)
#   FAKE_QEFF_IMPORT_FAIL  "torch": import fails with ModuleNotFoundError("No module named 'torch'");
#                        any other non-empty text: import fails with RuntimeError(text)
#   FAKE_QAIC_COMPILE    path of the compiler (default /opt/qti-aic/exec/qaic-compile)
#   FAKE_QEFF_SPAM_MB=N  export prints N MB of log lines to stdout (read at export time)
#   FAKE_QEFF_CRASH      "from_pretrained" | "export" | "compile": a plain exception mid-run
#   FAKE_QEFF_SEGV       "1"/"export": os._exit(139) mid-export; "compile": just before the compiler runs
#   FAKE_QEFF_NO_CAUSE=1 raise "Compilation failed!" without __cause__/__context__ (message parsing path)
#   FAKE_QEFF_RECORD=PATH  keep in PATH (JSON) the environment at import and the arguments of each
#                        from_pretrained/export/compile call, as the caller passed them
import os as _os

_fail = _os.environ.get("FAKE_QEFF_IMPORT_FAIL", "")
if _fail == "torch":
    raise ModuleNotFoundError("No module named 'torch'", name="torch")
if _fail:
    raise RuntimeError(_fail)

from QEfficient.utils.constants import API as _API  # noqa: E402

# For tests: the tracing variables as they were when QEfficient was imported (a runner must set them first).
ENV_AT_IMPORT = {_k: _os.environ.get(_k) for _k in ("NUM_Q_BLOCKS", "NUM_FFN_BLOCKS", "ENABLE_OPT_SWA")}

from QEfficient.utils.constants import VERSION as __version__  # noqa: E402

# Upstream sets this at import.
_os.environ["HF_HUB_ENABLE_HF_TRANSFER"] = "1"

from QEfficient.transformers.models.modeling_auto import QEFFAutoModelForCausalLM  # noqa: E402

from QEfficient.base.modeling_qeff import record_call as _record_call  # noqa: E402

_record_call("env_at_import", dict(_os.environ))

__all__ = ["QEFFAutoModelForCausalLM", "__version__"]
