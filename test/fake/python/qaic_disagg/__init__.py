"""TEST DOUBLE of qaic_disagg (Qualcomm's disaggregated-serving launcher for vLLM on Cloud AI 100). Not the real
package: see __main__.py for what it follows and what it does instead of serving a model."""
