// QEFF-CTX-01/02: ctx_len against the prefill chunk and GPT-OSS's context window.
import { compileInt, effectiveLengths, type StageView } from '../configView';
import { MAX_POSITION_EMBEDDINGS } from '../model';
import type { RuleContext } from '../ruleContext';

function lengths(ctx: RuleContext, stage: StageView): void {
  const c = compileInt(stage, 'ctx_len');
  if (stage.key === 'prefill') {
    const { psl, ctx: ctxLen } = effectiveLengths(stage);
    if (ctxLen < psl && (!c.p || c.value !== undefined)) {
      ctx.report({
        code: 'QEFF-CTX-01', severity: 'error', node: c.p?.value ?? ctx.missingCompileKeyNode(stage), stage,
        message: `ctx_len ${ctxLen}${c.p ? '' : ' (the default)'} is less than prefill_seq_len ${psl}: the context must hold at least one prefill chunk.`,
      });
    }
  }
  if (c.value !== undefined && c.p?.value && c.value > MAX_POSITION_EMBEDDINGS) {
    ctx.report({
      code: 'QEFF-CTX-02', severity: 'warning', node: c.p.value, stage,
      message: `ctx_len ${c.value} exceeds GPT-OSS's max_position_embeddings (${MAX_POSITION_EMBEDDINGS}).`,
    });
  }
}

export function contextLengthRules(ctx: RuleContext): void {
  for (const stage of ctx.view.stages) lengths(ctx, stage);
}
