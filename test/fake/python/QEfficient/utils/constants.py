# TEST DOUBLE of the upstream QEfficient library (quic/efficient-transformers), which cannot be installed
# here (no registry with torch/QEfficient is reachable). It reproduces only what the qeff-disagg runner
# touches: the public signatures of QEFFAutoModelForCausalLM (1.21 and 1.22+), the environment variables read
# at export time, the ONNX/QPC folder layout under QEFF_HOME, the compiler command order and the exact
# "Compilation failed!" RuntimeError, each as upstream has it on the release/v1.21.x and v1.22.x branches
# (the file and version are named where each behaviour is implemented).
# It traces nothing and compiles nothing. Never ship it; it lives under test/ only.
"""Constants (upstream: QEfficient/utils/constants.py)."""
import os

API = "1.21" if os.environ.get("FAKE_QEFF_API", "1.22").strip() == "1.21" else "1.22"

# The version the double imitates (QEfficient.__version__ reads it too).
VERSION = os.environ.get("FAKE_QEFF_VERSION") or ("1.21.6.0" if API == "1.21" else "1.22.8.0")

# Upstream: ["/opt/qti-aic/exec/qaic-compile", "-aic-hw"] (qaic-exec on v1.21.0).
COMPILER = [os.environ.get("FAKE_QAIC_COMPILE") or "/opt/qti-aic/exec/qaic-compile", "-aic-hw"]
DEFAULT_AIC_HW_VERSION = "ai100"
HASH_HEXDIGEST_STR_LEN = 16
GPT_OSS_PREFILL_Q_BLOCK_SIZE = 256
MOE_PREFILL_PACKED_CHUNK_SIZE = 256
SLIDING_WINDOW = 128
SPECIALIZED_DISAGG_SERVING_MODEL_ARCH = {"gpt_oss"}

# v1.21.0 (which reports __version__ 0.0.1.dev0) ran "qaic-exec -aic-hw -compile-only".
if os.environ.get("FAKE_QEFF_VERSION") == "0.0.1.dev0":
    COMPILER.append("-compile-only")
