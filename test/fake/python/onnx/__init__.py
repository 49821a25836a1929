# TEST DOUBLE of the `onnx` package, which QEfficient installs as a dependency (it cannot be installed here).
# It reproduces only what the qeff-disagg driver reads: onnx.load(path, load_external_data=False) and the
# node output names of ModelProto.graph.node and of ModelProto.functions[*].node (the names an NPI file
# lists), as onnx 1.18.0 has them: the version QEfficient pins (pyproject.toml, release/v1.22.0: "onnx==1.18.0").
# It reads the JSON "ONNX" the fake QEfficient export writes; a real ONNX file is not understood.
#   FAKE_ONNX_MISSING=1   import fails with ModuleNotFoundError("No module named 'onnx'")
import json as _json
import os as _os

if _os.environ.get("FAKE_ONNX_MISSING") == "1":
    raise ModuleNotFoundError("No module named 'onnx'", name="onnx")


class _Node(object):
    def __init__(self, name, outputs):
        self.name = name
        self.input = []
        self.output = list(outputs)


class _Graph(object):
    def __init__(self, nodes):
        self.node = nodes
        self.input = []
        self.output = []
        self.initializer = []
        self.value_info = []


class _Function(object):
    def __init__(self, nodes):
        self.node = nodes


class ModelProto(object):
    def __init__(self, graph, functions):
        self.graph = graph
        self.functions = functions


def load(f, load_external_data=True):
    with open(f, "r", encoding="utf-8") as fh:
        data = _json.load(fh)  # a text that is not the fake's JSON raises, as a corrupt ONNX would
    names = data.get("tensors", [])
    nodes = [_Node("node_%d" % i, [n]) for i, n in enumerate(names)]
    return ModelProto(_Graph(nodes), [])
