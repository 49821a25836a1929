// QEFF-DEC-01/02: subfunctions in decode; retain_full_kv outside decode.
import { compileBool } from '../configView';
import type { RuleContext } from '../ruleContext';
import { isAtLeast } from '../version';

export function decodeRules(ctx: RuleContext): void {
  for (const stage of ctx.view.stages) {
    if (stage.key === 'decode') {
      const sub = compileBool(stage, 'use_onnx_subfunctions');
      if (sub.value === true && sub.p?.value) {
        const newer = isAtLeast(ctx.view.version, 1, 22);
        ctx.report({
          code: 'QEFF-DEC-01', severity: newer ? 'warning' : 'error', node: sub.p.value, stage,
          message: newer
            ? 'use_onnx_subfunctions in a decode stage: the design note says decode-only currently fails compilation with subfunctions (upstream examples use it since 1.22; verify your SDK).'
            : 'use_onnx_subfunctions in a decode stage: decode-only currently fails compilation with subfunctions.',
          fixes: [ctx.fix.replaceValue('Set use_onnx_subfunctions to false', sub.p.value, false, true)],
        });
      }
    } else {
      const rfk = compileBool(stage, 'retain_full_kv').p;
      if (rfk) {
        ctx.report({
          code: 'QEFF-DEC-02', severity: 'warning', node: rfk.key, stage,
          message: 'retain_full_kv only applies to a decode-only QPC; a prefill stage ignores it.',
          fixes: [ctx.fix.remove('Remove "retain_full_kv"', rfk)],
        });
      }
    }
  }
}
