// QEFF-DEC-01/02: a kwarg in the stage it does not belong to (subfunctions in decode; retain_full_kv in a prefill).
import { compileBool } from '../configView';
import type { RuleContext } from '../ruleContext';
import { isAtLeast } from '../version';

/**
 * Upstream contradicts itself on decode with subfunctions: examples/disagg_serving/README.md (release/v1.21.6 ..
 * main) says "decode-only model currently fails compilation with use_onnx_subfunctions=True", while
 * examples/disagg_serving/gpt_oss_disagg_mode_with_chunking.py compiles decode with use_onnx_subfunctions=True and
 * the non-subfunction NPI since release/v1.22.0 (release/v1.21.6's example does not).
 */
export const DECODE_SUBFUNCTIONS_CONFLICT = 'the upstream README says decode-only compilation fails with use_onnx_subfunctions=True, yet upstream\'s gpt_oss_disagg_mode_with_chunking.py example (since 1.22.0, also on main) compiles decode with use_onnx_subfunctions=True and the non-subfunction NPI';

export function misplacedKwargRules(ctx: RuleContext): void {
  for (const stage of ctx.view.stages) {
    if (stage.key === 'decode') {
      const sub = compileBool(stage, 'use_onnx_subfunctions');
      if (sub.value === true && sub.p?.value) {
        const newer = isAtLeast(ctx.view.version, 1, 22);
        ctx.report({
          code: 'QEFF-DEC-01', severity: newer ? 'warning' : 'error', node: sub.p.value, stage,
          message: newer
            ? `use_onnx_subfunctions in a decode stage: ${DECODE_SUBFUNCTIONS_CONFLICT}. Verify on your SDK.`
            : 'use_onnx_subfunctions in a decode stage: the upstream README says decode-only compilation currently fails with subfunctions, and the 1.21 example compiles decode without them.',
          fixes: [ctx.fix.replaceValue('Set use_onnx_subfunctions to false', sub.p.value, false, true)],
        });
      }
    } else {
      const rfk = compileBool(stage, 'retain_full_kv');
      if (rfk.p) {
        // modeling_auto.py export() (release/v1.21.6 .. main): the prefill-only path drops retain_full_kv from the
        // export hash, but get_pkv_dynamic_axes(retain_full_kv=retain_full_kv or (prefill_only and enable_chunking))
        // gives sliding-window layers a ctx_len axis when it is true.
        const blocking = stage.mode === 'blocking';
        ctx.report({
          code: 'QEFF-DEC-02', node: rfk.p.key, stage,
          message: blocking && rfk.value === true
            ? 'retain_full_kv in a blocking prefill is not ignored: QEfficient gives the sliding-window layers a ctx_len KV axis instead of sliding_window, so the graph and its KV size change; and since the prefill export hash leaves retain_full_kv out, an ONNX exported without it may be reused. retain_full_kv belongs to a full-kv decode stage.'
            : blocking
              ? 'retain_full_kv in a blocking prefill: false is the default; it belongs to the decode stage (mode "full-kv").'
              : 'retain_full_kv in a chunking prefill changes nothing: chunking already gives every layer a ctx_len KV axis. It belongs to the decode stage (mode "full-kv").',
          fixes: [ctx.fix.remove('Remove "retain_full_kv"', rfk.p)],
        });
      }
    }
  }
}
