#!/usr/bin/env python3
"""qeff-disagg driver: runs QEfficient export/compile for one stage of a GPT-OSS disaggregated config.

Launched by the qeff-disagg VS Code extension with an argument array (never through a shell):

    python3 -u qeff_driver.py probe
    python3 -u qeff_driver.py run --request REQUEST.json

The protocol is defined in src/core/runnerProtocol.ts. Every driver event is one stdout line made of
EVENT_PREFIX and a JSON object; every other stdout/stderr line is log text (QEfficient's own prints,
warnings, tracebacks), which is left alone so it streams to the user as it is written.

Exit codes: 0 done; 1 any other failure (an `error` event was sent); 2 bad usage or bad request;
3 the compile of a prefill with use_onnx_subfunctions failed as expected: its compiler command is to be run by
hand (a `manual_compile` event was sent; any other compiler failure is 1, an `error` of kind compile_failed);
4 QEfficient cannot be imported.

Standard library only (plus `onnx` and PyYAML, which come with QEfficient, for the NPI check, each optional);
Python 3.8+ syntax.
QEfficient is imported only after the stage's environment variables are set, because QEfficient reads
NUM_Q_BLOCKS / NUM_FFN_BLOCKS / ENABLE_OPT_SWA / NUM_BLOCKS while tracing.

The driver owns the export of every step: export() into a folder keyed by those trace-time values, after the
same transform() that compile() applies first (so the hash and the graph are compile's), then, for a compile,
compile(onnx_path=<that ONNX>). An export step and a later compile step thus trace once and compile exactly
the ONNX the export reported.
"""
import argparse
import ast
import hashlib
import inspect
import json
import os
import platform
import re
import subprocess
import sys
import traceback
from typing import Any, Dict, List, Optional, Tuple

EVENT_PREFIX = "@@qeff-disagg@@ "
PROTOCOL = 1

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_MANUAL_COMPILE = 3
EXIT_NO_QEFFICIENT = 4

DEFAULT_QAIC_ROOT = "/opt/qti-aic"
QAIC_ROOT_ENV = "QEFF_DISAGG_QAIC_ROOT"
COMPILER_NAMES = ("qaic-compile", "qaic-exec")

# export() reads these from **kwargs (QEFFAutoModelForCausalLM.export, QEfficient/transformers/models/modeling_auto.py,
# release/v1.22.8.0: kwargs.get("use_onnx_subfunctions"), kwargs.get("retain_full_kv"), ...).
EXPORT_KWARGS_READ = ("enable_chunking", "retain_full_kv", "use_onnx_subfunctions", "offload_pt_weights")
# compile() parameters that are never export() arguments even if a signature happened to name them.
NOT_EXPORT_ARGS = ("onnx_path", "compile_dir", "export_dir")

# Read from os.environ while QEfficient traces GPT-OSS: gpt_oss/modeling_gpt_oss.py (v1.21.0 to main) reads
# NUM_Q_BLOCKS, NUM_FFN_BLOCKS, NUM_BLOCKS and ENABLE_OPT_SWA. They come from the stage's env only; a value
# inherited from the shell is removed. Keep in step with TRACE_ENV_VARS in src/core/runnerProtocol.ts.
TRACE_ENV_VARS = ("NUM_Q_BLOCKS", "NUM_FFN_BLOCKS", "NUM_BLOCKS", "ENABLE_OPT_SWA")
# The folder, under QEFF_HOME, of the exports the driver keys by the trace-time environment.
EXPORT_ROOT = "qeff-disagg"

COMPILATION_FAILED = "Compilation failed!"
_COMMAND_LINE_RE = re.compile(r"^Compiler command: (\[.*\])\s*$", re.MULTILINE)
_EXITCODE_RE = re.compile(r"^Compiler exitcode: (-?\d+)\s*$", re.MULTILINE)
_STDERR_MARK = "Compiler stderr:\n"
_VERSION_RE = re.compile(r"\d+(?:\.\d+)+")


# ------------------------------------------------------------------------------------------------
# Output


class _LineTracker(object):
    """Wraps sys.stdout to remember whether the last character written ended a line, so that an event
    written after a partial log line (a print without newline) still starts on a line of its own."""

    def __init__(self, stream):
        self._stream = stream
        self.at_line_start = True

    def write(self, text):
        if text:
            self.at_line_start = text.endswith("\n")
        return self._stream.write(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        return self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


_tracker = None  # type: Optional[_LineTracker]


def _setup_stdout():
    # type: () -> None
    global _tracker
    for stream in (sys.stdout, sys.stderr):
        try:
            # Line buffering makes log lines appear as they are printed even without -u; a log line in an
            # encoding the console cannot show must not crash the run.
            stream.reconfigure(line_buffering=True, errors="backslashreplace")  # type: ignore[attr-defined]
        except Exception:
            pass
    if not isinstance(sys.stdout, _LineTracker):
        _tracker = _LineTracker(sys.stdout)
        sys.stdout = _tracker  # type: ignore[assignment]


def emit(event, **fields):
    # type: (str, Any) -> None
    obj = {"event": event}
    obj.update(fields)
    line = EVENT_PREFIX + json.dumps(obj, default=str)
    out = sys.stdout
    if _tracker is not None and not _tracker.at_line_start:
        out.write("\n")
    print(line, file=out, flush=True)


def _python_version():
    # type: () -> str
    return platform.python_version()


# ------------------------------------------------------------------------------------------------
# probe


def _qaic_root():
    # type: () -> str
    return os.path.abspath(os.environ.get(QAIC_ROOT_ENV) or DEFAULT_QAIC_ROOT)


def _probe_qefficient():
    # type: () -> Dict[str, Any]
    info = {"importable": False, "version": None, "features": {}}  # type: Dict[str, Any]
    try:
        import QEfficient  # noqa: F401  (any exception, even SystemExit, is reported, never raised)
    except BaseException as e:  # noqa: B902
        if isinstance(e, KeyboardInterrupt):
            raise
        info["error"] = _exception_text(e)
        return info
    info["importable"] = True
    version = getattr(QEfficient, "__version__", None)
    info["version"] = None if version is None else str(version)
    path = getattr(QEfficient, "__file__", None)
    if path:
        info["file"] = str(path)
    try:
        cls = getattr(QEfficient, "QEFFAutoModelForCausalLM")
        compile_params = inspect.signature(cls.compile).parameters
        export_params = inspect.signature(cls.export).parameters
        pretrained_params = inspect.signature(cls.from_pretrained).parameters
        features = {
            ">=1.22": "moe_prefill_packed_chunk_size" in compile_params,
            "moe_prefill_packed_chunk_size": "moe_prefill_packed_chunk_size" in compile_params,
            "kv_cache_prefix": "kv_cache_prefix" in compile_params,
            "retain_full_kv": "retain_full_kv" in compile_params,
            "enable_chunking": "enable_chunking" in compile_params,
            "use_onnx_subfunctions": "use_onnx_subfunctions" in compile_params,
            "prefill_only": "prefill_only" in compile_params,
            "export_num_cores": "num_cores" in export_params,
            "layerwise": "layerwise" in pretrained_params,
        }
        info["features"] = features
    except BaseException as e:  # noqa: B902
        if isinstance(e, KeyboardInterrupt):
            raise
        info["error"] = "QEfficient imports but QEFFAutoModelForCausalLM is not usable: " + _exception_text(e)
    return info


def _probe_compiler(root):
    # type: (str) -> Dict[str, Optional[str]]
    exec_dir = os.path.join(root, "exec")
    for name in COMPILER_NAMES:
        path = os.path.join(exec_dir, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return {"path": path, "name": name}
    return {"path": None, "name": None}


def _xml_version(path):
    # type: (str) -> Optional[str]
    """The version an SDK versions/*.xml holds. Real files look like
    <versions><ci_build><base_version>1.20</base_version><build_id>2.0</build_id>...; QEfficient itself reads
    only base_version. Anything unexpected (junk, other layouts) degrades to the first version-like text."""
    try:
        with open(path, "rb") as f:
            raw = f.read(1024 * 1024)
    except Exception:
        return None
    text = raw.decode("utf-8", "replace")
    try:
        import xml.etree.ElementTree as ET

        root = ET.fromstring(raw)
        base = root.find(".//base_version")
        build = root.find(".//build_id")
        base_text = (base.text or "").strip() if base is not None else ""
        build_text = (build.text or "").strip() if build is not None else ""
        if _VERSION_RE.fullmatch(base_text):
            if build_text and re.fullmatch(r"\d+(?:\.\d+)*", build_text):
                return base_text + "." + build_text
            return base_text
        for el in root.iter():
            tag = el.tag if isinstance(el.tag, str) else ""
            if "version" in tag.lower() and el.text:
                m = _VERSION_RE.search(el.text)
                if m:
                    return m.group(0)
            for key, value in el.attrib.items():
                if "version" in key.lower():
                    m = _VERSION_RE.search(value)
                    if m:
                        return m.group(0)
        for el in root.iter():
            if el.text:
                m = _VERSION_RE.search(el.text)
                if m:
                    return m.group(0)
    except Exception:
        pass
    # Not XML, or XML without an element holding a version: the first version-like text of the file.
    m = _VERSION_RE.search(re.sub(r"<\?xml[^>]*\?>", "", text))
    return m.group(0) if m else None


def _probe_sdk(root):
    # type: (str) -> Dict[str, str]
    out = {}  # type: Dict[str, str]
    versions = os.path.join(root, "versions")
    try:
        names = sorted(os.listdir(versions))
    except Exception:
        return out
    for name in names:
        if not name.lower().endswith(".xml"):
            continue
        version = _xml_version(os.path.join(versions, name))
        if version:
            out[name[: -len(".xml")]] = version
    return out


def _probe_devices(root):
    # type: (str) -> Dict[str, Any]
    util = os.path.join(root, "tools", "qaic-util")
    if not os.path.isfile(util):
        return {"available": False, "count": None, "error": "qaic-util not found at " + util}
    try:
        r = subprocess.run([util, "-q"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, timeout=10)
    except subprocess.TimeoutExpired:
        return {"available": False, "count": None, "error": util + " -q did not answer within 10 s"}
    except Exception as e:
        return {"available": False, "count": None, "error": "could not run " + util + " -q: " + _exception_text(e)}
    raw = r.stdout.decode("utf-8", "replace")
    count = len(re.findall(r"^\s*QID\s+\d+\s*$", raw, re.MULTILINE))
    result = {"available": count > 0, "count": count, "raw": raw[:8000]}  # type: Dict[str, Any]
    if r.returncode != 0:
        result["error"] = "%s -q exited with code %d" % (util, r.returncode)
    return result


def probe():
    # type: () -> int
    missing = []  # type: List[str]
    try:
        root = _qaic_root()
        qeff = _probe_qefficient()
        if not qeff["importable"]:
            missing.append("QEfficient is not importable: " + str(qeff.get("error")))
        elif qeff.get("error"):
            missing.append(str(qeff["error"]))
        compiler = _probe_compiler(root)
        if compiler["path"] is None:
            missing.append("no compiler under %s (looked for %s)" % (os.path.join(root, "exec"), " and ".join(COMPILER_NAMES)))
        sdk = _probe_sdk(root)
        if not sdk:
            missing.append("no SDK versions under " + os.path.join(root, "versions"))
        devices = _probe_devices(root)
        if not devices["available"]:
            why = devices.get("error") or "qaic-util -q lists no device"
            missing.append("no devices (%s)" % why)
        emit("probe", python=_python_version(), executable=sys.executable, platform=platform.platform(),
             qefficient=qeff, compiler=compiler, sdk=sdk, devices=devices, missing=missing)
    except BaseException as e:  # noqa: B902  probe never fails
        if isinstance(e, KeyboardInterrupt):
            raise
        missing.append("probe failed: " + _exception_text(e))
        emit("probe", python=_python_version(), executable=sys.executable, platform=sys.platform,
             qefficient={"importable": False, "version": None, "features": {}, "error": _exception_text(e)},
             compiler={"path": None, "name": None}, sdk={},
             devices={"available": False, "count": None, "error": "not probed"}, missing=missing)
    return EXIT_OK


# ------------------------------------------------------------------------------------------------
# run


class BadRequest(Exception):
    pass


def load_request(path):
    # type: (str) -> Dict[str, Any]
    try:
        with open(path, "r", encoding="utf-8") as f:
            text = f.read()
    except Exception as e:
        raise BadRequest("cannot read the request file %s: %s" % (path, _exception_text(e)))
    try:
        req = json.loads(text)
    except ValueError as e:
        raise BadRequest("the request file %s is not valid JSON: %s" % (path, e))
    if not isinstance(req, dict):
        raise BadRequest("the request must be a JSON object")
    if req.get("protocol") != PROTOCOL:
        raise BadRequest("unsupported protocol %r: this driver speaks protocol %d" % (req.get("protocol"), PROTOCOL))
    model = req.get("model")
    if not isinstance(model, str) or not model.strip():
        raise BadRequest('"model" must be a non-empty string')
    if req.get("stage") not in ("prefill", "decode"):
        raise BadRequest('"stage" must be "prefill" or "decode", got %r' % (req.get("stage"),))
    if req.get("step") not in ("export", "compile"):
        raise BadRequest('"step" must be "export" or "compile", got %r' % (req.get("step"),))
    if not isinstance(req.get("mode"), str):
        raise BadRequest('"mode" must be a string')
    for key in ("fromPretrained", "compile", "env"):
        if not isinstance(req.get(key), dict):
            raise BadRequest('"%s" must be a JSON object' % key)
    if "pretrained_model_name_or_path" in req["fromPretrained"]:
        raise BadRequest('"fromPretrained" must not hold pretrained_model_name_or_path: it is "model"')
    for key, value in req["env"].items():
        if not key or "=" in key or "\0" in key:
            raise BadRequest("invalid environment variable name %r" % (key,))
        if not isinstance(value, str):
            raise BadRequest("environment variable %s must be a string, got %s" % (key, type(value).__name__))
        if "\0" in value:
            raise BadRequest("environment variable %s holds a NUL character" % key)
    return req


def _call_text(name, args=(), kwargs=None):
    # type: (str, Tuple[Any, ...], Optional[Dict[str, Any]]) -> str
    parts = [repr(a) for a in args] + ["%s=%r" % (k, v) for k, v in (kwargs or {}).items()]
    return "%s(%s)" % (name, ", ".join(parts))


def export_kwargs(export_fn, compile_kwargs):
    # type: (Any, Dict[str, Any]) -> Dict[str, Any]
    """The export() arguments for a stage, derived from its compile() kwargs: the parameters export's
    signature names (prefill_only, prefill_seq_len and, on 1.22+, num_cores, moe_prefill_packed_chunk_size,
    kv_cache_prefix, ...) plus the keys export reads from **kwargs. Compiler flags are never passed."""
    params = inspect.signature(export_fn).parameters
    named = set(
        n for n, p in params.items()
        if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    )
    has_var_kw = any(p.kind == inspect.Parameter.VAR_KEYWORD for p in params.values())
    out = {}  # type: Dict[str, Any]
    for key, value in compile_kwargs.items():
        if key in NOT_EXPORT_ARGS:
            continue
        if key == "prefill_only" and value is None:
            continue  # compile's None (prefill+decode) is export's default False
        if key in named:
            out[key] = value
        elif key in EXPORT_KWARGS_READ and has_var_kw:
            out[key] = value
    return out


def _exception_text(e):
    # type: (BaseException) -> str
    text = str(e)
    if isinstance(e, ImportError) and text:
        return text  # "No module named 'QEfficient'" says it all
    return "%s: %s" % (type(e).__name__, text) if text else type(e).__name__


def _exception_chain(e):
    # type: (BaseException) -> List[BaseException]
    """e, its causes and contexts, breadth first, each once."""
    out = []  # type: List[BaseException]
    seen = set()
    queue = [e]  # type: List[BaseException]
    while queue:
        cur = queue.pop(0)
        if id(cur) in seen:
            continue
        seen.add(id(cur))
        out.append(cur)
        for nxt in (cur.__cause__, cur.__context__):
            if nxt is not None:
                queue.append(nxt)
    return out


def _decode(data):
    # type: (Any) -> str
    if data is None:
        return ""
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return str(data)


def _qpc_dir(argv):
    # type: (List[str]) -> Optional[str]
    for arg in argv:
        if arg.startswith("-aic-binary-dir="):
            return arg[len("-aic-binary-dir="):]
    return None


def manual_compile_info(exc):
    # type: (BaseException) -> Optional[Dict[str, Any]]
    """When exc is QEfficient's "Compilation failed!" error, the compiler command to run by hand."""
    message = str(exc)
    if COMPILATION_FAILED not in message:
        return None
    # 1. The CalledProcessError QEfficient raised from carries the argv list itself.
    for e in _exception_chain(exc):
        if isinstance(e, subprocess.CalledProcessError):
            cmd = e.cmd
            if isinstance(cmd, (list, tuple)):
                argv = [os.fsdecode(a) if isinstance(a, bytes) else str(a) for a in cmd]
            else:
                import shlex

                argv = shlex.split(os.fsdecode(cmd) if isinstance(cmd, bytes) else str(cmd))
            stderr = _decode(e.stderr)
            if not stderr and _STDERR_MARK in message:
                stderr = message.split(_STDERR_MARK, 1)[1]
            return {"argv": argv, "qpcDir": _qpc_dir(argv), "exitcode": e.returncode, "stderr": stderr,
                    "source": "CalledProcessError"}
    # 2. Else the message's "Compiler command: [...]" line, a Python list literal.
    m = _COMMAND_LINE_RE.search(message)
    if not m:
        return None
    try:
        value = ast.literal_eval(m.group(1))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if not isinstance(value, (list, tuple)) or not value or not all(isinstance(a, str) for a in value):
        return None
    argv = list(value)
    code = _EXITCODE_RE.search(message)
    stderr = message.split(_STDERR_MARK, 1)[1] if _STDERR_MARK in message else ""
    return {"argv": argv, "qpcDir": _qpc_dir(argv), "exitcode": int(code.group(1)) if code else None,
            "stderr": stderr, "source": "message"}


def apply_stage_env(env):
    # type: (Dict[str, str]) -> str
    """Sets the stage's env and removes the trace-time variables it does not declare; says what it did."""
    dropped = [k for k in TRACE_ENV_VARS if k not in env and k in os.environ]
    for key in dropped:
        del os.environ[key]
    for key, value in env.items():
        os.environ[key] = value
    text = ("Setting " + " ".join("%s=%s" % kv for kv in env.items())) if env else "No stage environment variables"
    if dropped:
        text += ("; ignoring %s set outside the config (trace-time variables come from the stage's env only)"
                 % ", ".join(dropped))
    return text


def trace_env_key(env):
    # type: (Dict[str, str]) -> str
    """A folder name for the trace-time values the graph reads: equal values, equal folder."""
    parts = []
    for key in TRACE_ENV_VARS:
        if key in env:
            value = env[key]
            if not re.fullmatch(r"[A-Za-z0-9.+-]{1,32}", value):
                value = "h" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]
            parts.append("%s=%s" % (key, value))
    return ",".join(parts) if parts else "no-trace-env"


def _qeff_home():
    # type: () -> str
    try:
        from QEfficient.utils.cache import QEFF_HOME  # upstream QEfficient/utils/cache.py, v1.21.0 to main

        return os.fspath(QEFF_HOME)
    except Exception:
        return os.path.expanduser("~/.cache/qeff_models")


def _first_specialization(model, compile_kwargs):
    # type: (Any, Dict[str, Any]) -> Tuple[Any, Any, Any]
    """(ctx_len, seq_len, bs) of the first specialization compile() builds, which get_onnx_path hands to
    transform() (modeling_auto.py build_prefill_specialization, v1.22.8.0): the batch is batch_size without
    continuous batching, full_batch_size for a decode-only graph, else 1."""
    seq_len = compile_kwargs.get("prefill_seq_len", 32)
    ctx_len = compile_kwargs.get("ctx_len", 128)
    if not getattr(model, "continuous_batching", False):
        bs = compile_kwargs.get("batch_size", 1)
    elif seq_len == 1:
        bs = compile_kwargs.get("full_batch_size")
    else:
        bs = 1
    return ctx_len, seq_len, bs


def export_for_compile(model, compile_kwargs, env):
    # type: (Any, Dict[str, Any], Dict[str, str]) -> Tuple[str, bool]
    """Exports the ONNX compile() would export and returns (its path, whether it already existed).

    compile() reaches export() through get_onnx_path(), which on v1.22.0+ calls transform() first
    (base/modeling_qeff.py): on v1.22.8.0 and main that adds num_replicate_kv_heads (and qaic_config) to the
    export hash and may apply the blocking transform, so a bare export() would hash and trace another graph.
    The driver calls transform() with the arguments compile() passes, then export() into a folder keyed by
    the trace-time env: upstream hashes NUM_Q_BLOCKS as prefill_seq_len // 256 on v1.22+ while the graph
    reads the environment's value, and _export returns early on an existing ONNX, so the default folder
    could hand back a graph traced with other values."""
    given = compile_kwargs.get("onnx_path")
    if given:
        emit("phase", phase="export", message="compile() gets onnx_path=%r: nothing to export" % (given,))
        return os.path.abspath(os.fspath(given)), True
    prefill_only = compile_kwargs.get("prefill_only")
    if prefill_only is not None and not isinstance(prefill_only, bool):
        # compile() checks this before it exports (modeling_auto.py, v1.21.6 to main); the driver exports
        # first, so it checks first, with upstream's words.
        raise TypeError("`prefill_only` must be a boolean.")
    kwargs = export_kwargs(model.export, compile_kwargs)
    transform = getattr(model, "transform", None)
    if callable(transform):
        ctx_len, seq_len, bs = _first_specialization(model, compile_kwargs)
        options = {"aic_num_cores": compile_kwargs.get("num_cores", 16), "convert_to_fp16": True,
                   "retained_state": True, "mxfp6_matmul": compile_kwargs.get("mxfp6_matmul", False)}
        t_kwargs = dict(ctx_len=ctx_len, seq_len=seq_len, bs=bs, num_devices=compile_kwargs.get("num_devices", 1),
                        qaic_config=compile_kwargs.get("qaic_config"), **options)
        emit("phase", phase="export", message=_call_text("model.transform", (), t_kwargs)
             + " (as compile() does before it exports)")
        transform(**t_kwargs)
    base = os.path.join(_qeff_home(), EXPORT_ROOT, trace_env_key(env), _model_name(model))
    if "export_dir" in inspect.signature(model.export).parameters:
        kwargs["export_dir"] = base
    before = _onnx_files_near(base)
    emit("phase", phase="export", message=_call_text("model.export", (), kwargs)
         + " (a folder keyed by the trace-time env: an ONNX traced with other values is never reused)")
    onnx_path = model.export(**kwargs)
    if onnx_path is None:
        raise RuntimeError("QEFFAutoModelForCausalLM.export() returned no ONNX path")
    onnx_path = os.path.abspath(os.fspath(onnx_path))
    reused = onnx_path in before
    emit("phase", phase="export", message=("Reusing the ONNX traced earlier with the same trace-time env: "
                                           if reused else "Traced ") + onnx_path)
    return onnx_path, reused


def _model_name(model):
    # type: (Any) -> str
    name = getattr(model, "model_name", None)
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.-]{1,100}", name):
        name = type(model).__name__
    return name


def _onnx_files_near(base):
    # type: (str) -> set
    """The ONNX files in <base>-<hash>/ folders (upstream export_utils.py appends -<hash> to export_dir)."""
    parent, prefix = os.path.dirname(base), os.path.basename(base) + "-"
    found = set()
    try:
        names = os.listdir(parent)
    except OSError:
        return found
    for name in names:
        folder = os.path.join(parent, name)
        if name.startswith(prefix) and os.path.isdir(folder):
            for f in os.listdir(folder):
                if f.endswith(".onnx"):
                    found.add(os.path.abspath(os.path.join(folder, f)))
    return found


def read_npi_names(path):
    # type: (str) -> List[str]
    """The FP32NodeInstanceNames of a node-precision-info YAML (the layout of upstream's
    examples/disagg_serving/*_npi.yaml): with PyYAML when importable, else read as a top-level key followed by
"- name" items."""
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        text = f.read()
    try:
        import yaml  # PyYAML comes with QEfficient's dependencies (transformers); the fallback reads the list

        doc = yaml.safe_load(text)
        if isinstance(doc, dict) and isinstance(doc.get("FP32NodeInstanceNames"), list):
            return [str(n) for n in doc["FP32NodeInstanceNames"]]
    except Exception:
        pass
    names = []  # type: List[str]
    inside = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip() if not raw.lstrip().startswith("- ") else raw.rstrip()
        if not line.strip():
            continue
        if not line[0].isspace() and not line.startswith("-"):
            inside = line.split(":", 1)[0].strip() in ("FP32NodeInstanceNames", "FP16NodeInstanceNames")
            continue
        item = line.strip()
        if inside and item.startswith("- "):
            names.append(item[2:].strip().strip("'\""))
    return names


def check_npi(npi, onnx_path):
    # type: (Any, str) -> Optional[str]
    """Checks a node_precision_info file against the ONNX about to be compiled. Returns the reason to stop
    (a missing file, or no listed name in the graph), or None; missing names and a missing onnx package are
    said in a phase message."""
    if not npi:
        return None
    path = os.fspath(npi)
    if not os.path.isfile(path):
        return "node_precision_info %s does not exist: the compiler would fail on it." % path
    names = read_npi_names(path)
    if not names:
        return "node_precision_info %s lists no FP32NodeInstanceNames." % path
    try:
        import onnx  # installed with QEfficient
    except ImportError as e:
        emit("phase", phase="npi", message="The NPI tensor names were not checked against the graph: the onnx "
             "package is not importable by %s (%s)." % (sys.executable, _exception_text(e)))
        return None
    try:
        model = onnx.load(onnx_path, load_external_data=False)
    except Exception as e:
        emit("phase", phase="npi", message="The NPI tensor names were not checked: %s could not be read (%s)."
             % (onnx_path, _exception_text(e)))
        return None
    tensors = set()
    for graph_nodes in [model.graph.node] + [fn.node for fn in getattr(model, "functions", [])]:
        for node in graph_nodes:
            tensors.update(node.output)
    for vi in list(model.graph.input) + list(model.graph.output) + list(model.graph.initializer):
        tensors.add(vi.name)
    missing = [n for n in names if n not in tensors]
    if len(missing) == len(names):
        return ("None of the %d tensor names in node_precision_info %s is in the graph %s: it was written for "
                "another export (use the NPI file of your QEfficient version: subfunction_120b_npi.yaml with "
                "use_onnx_subfunctions, else non_subfunction_120b_npi.yaml)." % (len(names), path, onnx_path))
    if missing:
        emit("phase", phase="npi", message="%d of the %d tensor names in %s are not in the graph (e.g. %s): the "
             "compiler keeps only the others in FP32." % (len(missing), len(names), path, ", ".join(missing[:3])))
    else:
        emit("phase", phase="npi", message="All %d tensor names in %s are in the graph." % (len(names), path))
    return None


def compile_failure_text(manual):
    # type: (Dict[str, Any]) -> str
    """One sentence: the compiler failed, with its first error line."""
    first = None
    for line in (manual.get("stderr") or "").splitlines():
        text = line.strip()
        if not text or text.rstrip(":") in ("QAIC_ERROR", "Error"):
            continue
        first = re.sub(r"^Error message:\s*", "", text)
        break
    code = manual.get("exitcode")
    where = "exit code %s" % code if code is not None else "no exit code"
    return "The compiler failed (%s): %s" % (where, first or "it printed no error") + (
        "" if (first or "").endswith(".") else ".")


def run(request_path):
    # type: (str) -> int
    try:
        req = load_request(request_path)
    except BadRequest as e:
        emit("error", kind="bad_request", message=str(e))
        return EXIT_USAGE

    stage = req["stage"]
    step = req["step"]
    emit("start", stage=stage, step=step, pid=os.getpid(), python=_python_version(), executable=sys.executable)

    # Environment first: QEfficient reads these while tracing (and some at import).
    env = req["env"]  # type: Dict[str, str]
    emit("phase", phase="environment", message=apply_stage_env(env))

    emit("phase", phase="import", message="Importing QEfficient with " + sys.executable)
    try:
        import QEfficient
        from QEfficient import QEFFAutoModelForCausalLM
    except BaseException as e:  # noqa: B902
        if isinstance(e, KeyboardInterrupt):
            raise
        missing_itself = isinstance(e, ImportError) and getattr(e, "name", None) == "QEfficient" \
            and str(e).startswith("No module named")
        if missing_itself:
            why = "QEfficient is not installed for %s (%s)." % (sys.executable, _exception_text(e))
        else:
            why = "QEfficient could not be imported by %s: %s." % (sys.executable, _exception_text(e))
        message = (why + " Select the Python interpreter of the environment where QEfficient is installed "
                   "(Python: Select Interpreter, or the qeffDisagg.pythonPath setting), or install it there: "
                   "`%s -m pip install <your quic/efficient-transformers checkout>`." % sys.executable)
        tb = traceback.format_exc()
        if not missing_itself:
            sys.stderr.write(tb)
            sys.stderr.flush()
        emit("error", kind="no_qefficient", message=message, traceback=tb)
        return EXIT_NO_QEFFICIENT

    compile_kwargs = dict(req["compile"])
    try:
        from_kwargs = dict(req["fromPretrained"])
        emit("phase", phase="from_pretrained",
             message="QEfficient %s: %s" % (getattr(QEfficient, "__version__", "?"),
                                            _call_text("QEFFAutoModelForCausalLM.from_pretrained", (req["model"],), from_kwargs)))
        model = QEFFAutoModelForCausalLM.from_pretrained(req["model"], **from_kwargs)
        onnx_path, reused = export_for_compile(model, compile_kwargs, env)
        if step == "export":
            emit("exported", onnxPath=onnx_path, reused=reused)
            return EXIT_OK
        npi_problem = check_npi(compile_kwargs.get("node_precision_info"), onnx_path)
        if npi_problem:
            emit("error", kind="npi_mismatch", message=npi_problem)
            return EXIT_FAILED
        kwargs = dict(compile_kwargs, onnx_path=onnx_path)
        emit("phase", phase="compile", message=_call_text("model.compile", (), kwargs))
        qpc_path = model.compile(**kwargs)
        if qpc_path is None:
            raise RuntimeError("QEFFAutoModelForCausalLM.compile() returned no QPC path")
        emit("compiled", qpcPath=os.path.abspath(os.fspath(qpc_path)), onnxPath=onnx_path)
        return EXIT_OK
    except BaseException as e:  # noqa: B902
        if isinstance(e, SystemExit) and not e.code:
            emit("error", kind="exception", message="QEfficient exited early (SystemExit %r) before the %s finished" % (e.code, step))
            return EXIT_FAILED
        tb = traceback.format_exc()
        sys.stderr.write(tb)
        sys.stderr.flush()
        manual = manual_compile_info(e) if isinstance(e, Exception) else None
        if manual is not None and stage == "prefill" and compile_kwargs.get("use_onnx_subfunctions"):
            # Expected: the public SDK cannot compile a prefill graph with subfunctions (upstream README).
            emit("manual_compile", **manual)
            return EXIT_MANUAL_COMPILE
        if manual is not None:
            # Any other "Compilation failed!" (base/modeling_qeff.py _compile raises it for every compiler
            # failure) is a failure; its command is still sent so that it can be copied.
            emit("error", kind="compile_failed", message=compile_failure_text(manual), traceback=tb,
                 argv=manual["argv"], qpcDir=manual["qpcDir"])
            return EXIT_FAILED
        if isinstance(e, KeyboardInterrupt):
            emit("error", kind="exception", message="Interrupted", traceback=tb)
            return EXIT_FAILED
        emit("error", kind="exception", message=_exception_text(e), traceback=tb)
        return EXIT_FAILED


# ------------------------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # exit 2 with the usage, as argparse does, on stderr only
        self.print_usage(sys.stderr)
        sys.stderr.write("%s: error: %s\n" % (self.prog, message))
        sys.exit(EXIT_USAGE)


def main(argv=None):
    # type: (Optional[List[str]]) -> int
    _setup_stdout()
    parser = _Parser(prog="qeff_driver.py", description="qeff-disagg driver for QEfficient export/compile")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("probe", help="report the Python, QEfficient, compiler, SDK and devices")
    run_parser = sub.add_parser("run", help="run one step (export or compile) of one stage")
    run_parser.add_argument("--request", required=True, help="the JSON request file")
    args = parser.parse_args(argv)
    if args.command == "probe":
        return probe()
    if args.command == "run":
        return run(args.request)
    parser.print_usage(sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
