# TEST DOUBLE of the upstream QEfficient library (quic/efficient-transformers), which cannot be installed
# here (no registry with torch/QEfficient is reachable). It reproduces only what the qeff-disagg runner
# touches: the public signatures of QEFFAutoModelForCausalLM (1.21 and 1.22+), the environment variables read
# at export time, the ONNX/QPC folder layout under QEFF_HOME, the compiler command order and the exact
# "Compilation failed!" RuntimeError, each as upstream has it on the release/v1.21.x and v1.22.x branches
# (the file and version are named where each behaviour is implemented).
# It traces nothing and compiles nothing. Never ship it; it lives under test/ only.
