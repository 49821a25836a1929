"""TEST DOUBLE of `python -m qaic_disagg`. It runs no model and touches no device.

What it follows (the qaic_disagg source is not public):
- flags: qualcomm/vllm-qaic main dc7351f (v0.23.0), docs/docs/user_guide/features/disaggregated_serving.md
  (--model, --port default 8000, --prefill-port/--decode-port, --prefill-device-group/--decode-device-group,
  --prefill-max-num-seqs, --decode-max-num-seqs (required), --*-max-seq-len-to-capture, --max-model-len,
  --*-override-qaic-config "k:v k2:v2", --kv-cache-dtype, --generation-config, -v) and
  tests/e2e/disaggregated_serving/conftest.py (one --*-device-group value per instance, comma-separated
  ports, --prefill-long-prefill-token-threshold, --kv-handOff-port, --seed; readiness = the API port accepts
  connections; shut down with SIGINT; logs qaic_*.log in the CWD);
- validation, defaults and messages: an older qaic_disagg copy (its source is not public; docs/rules.md, "Serving",
  marks these checks as inferred) (ports
  "8000,8001", "8000:8002" or "0..15"; unique ports in 1..65535; one port per device group; equal group sizes;
  disjoint QIDs; override split on white space then on ':'/'='; "Skipping compilation, found QPC path" when
  qpc_path holds programqpc.bin (vllm-qaic check_qpc_exists); kv handoff port default 5656, store 64 MB;
  VLLM_QAIC_QPC_PATH is unset with a warning).

What it does instead: one child process per instance and one KV handoff child (so the launcher is a process
tree, like the real one), an OpenAI-compatible /v1/models and streaming /v1/chat/completions on --port, and
qaic_disagg_fake.json in the CWD with the argv and the env it was started with (for tests to assert).
A qpc_path without programqpc.bin is refused (the real launcher would compile; the double cannot).
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def parse_ids(text):
    """"0,1,2", "0..3" (inclusive) or "8000:8002" (range) -> list of ints."""
    out = []
    for part in text.split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d+)\s*(\.\.|:)\s*(\d+)", part)
        if m:
            lo, hi = int(m.group(1)), int(m.group(3))
            out.extend(range(lo, hi + 1))
        elif re.fullmatch(r"\d+", part):
            out.append(int(part))
        else:
            raise ValueError(f"invalid id or port list: {text!r}")
    return out


def parse_override(text):
    cfg = {}
    for item in (text or "").split():
        parts = re.split(r"[:=]", item)
        if len(parts) != 2:
            raise ValueError(f"invalid override entry {item!r}: expected key:value")
        cfg[parts[0]] = parts[1]
    return cfg


def build_parser():
    p = argparse.ArgumentParser(prog="qaic_disagg")
    p.add_argument("--model", required=True)
    p.add_argument("--host", default="0.0.0.0")
    p.add_argument("--port", type=int, default=8000)
    for stage in ("prefill", "decode"):
        p.add_argument(f"--{stage}-port", required=True)
        p.add_argument(f"--{stage}-device-group", nargs="+", action="append", required=True)
        p.add_argument(f"--{stage}-max-num-seqs", type=int, required=(stage == "decode"), default=1)
        p.add_argument(f"--{stage}-max-seq-len-to-capture", type=int)
        p.add_argument(f"--{stage}-long-prefill-token-threshold", type=int)
        p.add_argument(f"--{stage}-override-qaic-config", default="")
    p.add_argument("--decode-speculative-config")
    p.add_argument("--max-model-len", type=int)
    p.add_argument("--kv-cache-dtype")
    p.add_argument("--kv-handOff-port", type=int, default=5656)
    p.add_argument("--kv-store-size", "-S", type=int, default=64)
    p.add_argument("--router-policy", "-r", choices=["round_robin", "least_outstanding"], default="round_robin")
    p.add_argument("--generation-config")
    p.add_argument("--seed", type=int)
    p.add_argument("-v", "--verbose", action="count", default=0)
    return p


def fail(msg):
    print(f"ERROR qaic_disagg: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def validate(args):
    stages = {}
    for stage in ("prefill", "decode"):
        # One value per instance ("0,1 2,3": two instances); the flag may also be repeated.
        groups = [parse_ids(v) for occurrence in getattr(args, f"{stage}_device_group") for v in occurrence]
        ports = parse_ids(getattr(args, f"{stage}_port"))
        if len(groups) != len(ports):
            fail(f"{stage}: {len(groups)} device group(s) but {len(ports)} port(s)")
        if len({len(g) for g in groups}) != 1:
            fail(f"{stage}: all device groups must have the same size")
        override = parse_override(getattr(args, f"{stage}_override_qaic_config"))
        stages[stage] = {"groups": groups, "ports": ports, "override": override}
    all_ports = [args.port, args.kv_handOff_port] + stages["prefill"]["ports"] + stages["decode"]["ports"]
    if len(set(all_ports)) != len(all_ports):
        fail(f"ports must be unique: {all_ports}")
    if any(not 1 <= p <= 65535 for p in all_ports):
        fail(f"ports must be in 1..65535: {all_ports}")
    p_ids = {q for g in stages["prefill"]["groups"] for q in g}
    d_ids = {q for g in stages["decode"]["groups"] for q in g}
    if p_ids & d_ids:
        fail(f"device ids {sorted(p_ids & d_ids)} are in both prefill and decode groups")
    for key in ("stages", "mdp_load_partition_config", "compile_only"):
        if key in stages["decode"]["override"]:
            fail(f"decode override must not contain {key}")
    if stages["prefill"]["override"].get("prefill_only", "True") != "True":
        fail("prefill_only must be True for prefill")
    if stages["decode"]["override"].get("prefill_only", "False") != "False":
        fail("prefill_only must be False for decode")
    for stage, s in stages.items():
        qpc = s["override"].get("qpc_path")
        if qpc is None:
            fail(f"{stage}: no qpc_path: the test double cannot compile")
        if not os.path.isfile(os.path.join(qpc, "programqpc.bin")):
            fail(f"QAIC qpc path {qpc} doesn't exist or didn't have compiled binary")
        print(f"INFO {stage}: Skipping compilation, found QPC path {qpc}", flush=True)
    return stages


def serve(args, children):
    model = args.model

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, fmt, *a):
            print("INFO proxy: " + fmt % a, flush=True)

        def _json(self, code, body):
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/v1/models":
                self._json(200, {"object": "list", "data": [{"id": model, "object": "model", "owned_by": "vllm"}]})
            elif self.path == "/health":
                self._json(200, {})
            else:
                self._json(404, {"error": {"message": "not found"}})

        def do_POST(self):
            if self.path != "/v1/chat/completions":
                return self._json(404, {"error": {"message": "not found"}})
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
            words = ["Hello", " from", " the", " qaic_disagg", " test", " double", "."]
            if not body.get("stream"):
                return self._json(200, {"object": "chat.completion", "model": model, "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": "".join(words)}, "finish_reason": "stop"}]})
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for w in words:
                chunk = {"object": "chat.completion.chunk", "model": model,
                         "choices": [{"index": 0, "delta": {"content": w}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
                time.sleep(0.01)
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

    server = ThreadingHTTPServer(("0.0.0.0", args.port), Handler)

    def stop(signum, frame):
        print(f"INFO qaic_disagg: signal {signum}, stopping {len(children)} child process(es)", flush=True)
        for c in children:
            c.terminate()
        for c in children:
            c.wait()
        os._exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(f"INFO qaic_disagg: API server listening on http://{args.host}:{args.port}", flush=True)
    server.serve_forever()


# A stand-in for each real child (kv_handoff.server, vllm serve per instance): it listens on its port and waits.
CHILD = (
    "import socket,sys,time\n"
    "s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind(('0.0.0.0',int(sys.argv[1])));s.listen()\n"
    "while True: time.sleep(3600)\n"
)


def main():
    args, passthrough = build_parser().parse_known_args()
    if os.environ.pop("VLLM_QAIC_QPC_PATH", None) is not None:
        print("WARNING VLLM_QAIC_QPC_PATH ... will be unset, please use prefill-override-qaic-config or "
              "decode-override-qaic-config to provide qpc path", flush=True)
    stages = validate(args)
    with open("qaic_disagg_fake.json", "w") as f:
        json.dump({"argv": sys.argv[1:], "passthrough": passthrough, "pid": os.getpid(),
                   "env": {k: v for k, v in os.environ.items() if k.startswith(("VLLM_", "QAIC_", "HF_"))}}, f, indent=2)
    children = [subprocess.Popen([sys.executable, "-c", CHILD, str(args.kv_handOff_port)])]
    for stage, s in stages.items():
        for port, group in zip(s["ports"], s["groups"]):
            print(f"INFO {stage}: starting instance on port {port}, devices {group}", flush=True)
            children.append(subprocess.Popen([sys.executable, "-c", CHILD, str(port)]))
    serve(args, children)


if __name__ == "__main__":
    main()
