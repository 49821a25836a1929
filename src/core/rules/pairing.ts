// QEFF-PAIR-01..03: a prefill and a decode stage hand KV over, so their layouts must match.
import { compileBool, effectiveLengths } from '../configView';
import { prop } from '../jsonNodes';
import { DEFAULTS } from '../model';
import type { RuleContext } from '../ruleContext';
import { naturalDecode } from '../modeTable';
import type { PrefillMode } from '../types';

export function pairingRules(ctx: RuleContext): void {
  const prefill = ctx.view.stages.find(s => s.key === 'prefill');
  const decode = ctx.view.stages.find(s => s.key === 'decode');
  if (!prefill?.mode || !decode?.mode) return;
  const pMode = prefill.mode as PrefillMode;
  const natural = naturalDecode(pMode);
  if (decode.mode !== natural && decode.modeProp?.value) {
    ctx.report({
      code: 'QEFF-PAIR-01', severity: 'warning', node: decode.modeProp.value, stage: decode,
      related: prefill.modeProp?.value ? [{ node: prefill.modeProp.value, message: `the prefill mode, "${pMode}"` }] : undefined,
      message: `"${pMode}" prefill with "${decode.mode}" decode: the KV layouts of the handoff differ (${pMode === 'chunking' ? 'chunking keeps ctx_len KV for every layer' : 'blocking keeps only 128 positions for sliding layers'}). The natural pair is ${pMode} + ${natural}.`,
      fixes: [ctx.fix.replaceValue(`Change decode mode to "${natural}"`, decode.modeProp.value, natural)],
    });
  }
  // A value of the wrong type is the schema's: no pairing rule compares it.
  const wrongType = (stage: typeof prefill, name: string, type: string) => {
    const v = prop(stage.compile, name)?.value;
    return !!v && !(v.type === type && (type !== 'number' || Number.isInteger(v.value)));
  };
  if (pMode === 'chunking' && decode.mode === 'full-kv' && !wrongType(prefill, 'ctx_len', 'number') && !wrongType(decode, 'ctx_len', 'number')) {
    const p = effectiveLengths(prefill).ctx;
    const d = effectiveLengths(decode).ctx;
    if (p !== d) {
      const node = prop(decode.compile, 'ctx_len')?.value ?? ctx.missingCompileKeyNode(decode);
      ctx.report({
        code: 'QEFF-PAIR-02', severity: 'warning', node, stage: decode,
        related: [{ node: prop(prefill.compile, 'ctx_len')?.value ?? ctx.missingCompileKeyNode(prefill), message: `the prefill ctx_len, ${p}` }],
        message: `Decode ctx_len ${d} differs from prefill ctx_len ${p}: a chunking + full-KV pair hands over a ctx_len-long KV cache, so both should use the same ctx_len.`,
      });
    }
  }
  const pInt8 = compileBool(prefill, 'mxint8_kv_cache').value ?? DEFAULTS.mxint8_kv_cache;
  const dInt8 = compileBool(decode, 'mxint8_kv_cache').value ?? DEFAULTS.mxint8_kv_cache;
  if (pInt8 !== dInt8 && !wrongType(prefill, 'mxint8_kv_cache', 'boolean') && !wrongType(decode, 'mxint8_kv_cache', 'boolean')) {
    const node = prop(decode.compile, 'mxint8_kv_cache')?.value ?? ctx.missingCompileKeyNode(decode);
    ctx.report({
      code: 'QEFF-PAIR-03', severity: 'warning', node, stage: decode,
      related: [{ node: prop(prefill.compile, 'mxint8_kv_cache')?.value ?? ctx.missingCompileKeyNode(prefill), message: `the prefill mxint8_kv_cache, ${pInt8}` }],
      message: `mxint8_kv_cache is ${pInt8} for prefill and ${dInt8} for decode: the KV cache handed from prefill to decode must have one precision.`,
    });
  }
}

