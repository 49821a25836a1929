// QEFF-PC-01/02: the chunked prefill-only graph.
import { compileInt, effectiveLengths, type StageView } from '../configView';
import { FAMILY_FACTS, SLIDING_WINDOW } from '../model';
import type { RuleContext } from '../ruleContext';
import { isAtLeast } from '../version';

const CORE_CHOICES = [1, 2, 4, 8, 16];

export function nearestCoreCount(n: number): number {
  return CORE_CHOICES.reduce((best, c) => (Math.abs(c - n) < Math.abs(best - n) ? c : best), CORE_CHOICES[0]);
}

function checkStage(ctx: RuleContext, stage: StageView): void {
  const { psl, ctx: ctxLen } = effectiveLengths(stage);
  const ctxP = compileInt(stage, 'ctx_len').p;
  if (ctxLen < psl + SLIDING_WINDOW && (!ctxP || compileInt(stage, 'ctx_len').value !== undefined)) {
    ctx.report({
      code: 'QEFF-PC-01', severity: 'warning', node: ctxP?.value ?? ctx.missingCompileKeyNode(stage), stage,
      message: `ctx_len ${ctxLen}${ctxP ? '' : ' (the default)'} is less than prefill_seq_len + 128 = ${psl + SLIDING_WINDOW}: chunked attention reads prefill_seq_len + sliding_window positions.`,
    });
  }
  const family = ctx.view.family;
  const cores = compileInt(stage, 'num_cores');
  if (family && isAtLeast(ctx.view.version, 1, 22) && cores.value !== undefined && cores.p?.value) {
    const experts = FAMILY_FACTS[family].experts;
    if (cores.value === 0 || experts % cores.value !== 0) {
      const to = nearestCoreCount(cores.value);
      ctx.report({
        code: 'QEFF-PC-02', severity: 'error', node: cores.p.value, stage,
        message: `num_cores ${cores.value} does not divide the ${experts} experts of ${family}: since 1.22 the chunked MoE prefill blocks experts across cores and raises "num_experts (${experts}) must be divisible by expert_blocking_num_nsp (${cores.value})".`,
        fixes: [ctx.fix.replaceValue(`Change num_cores to ${to}`, cores.p.value, to)],
      });
    }
  }
}

export function prefillChunkingRules(ctx: RuleContext): void {
  for (const stage of ctx.view.stages) if (stage.key === 'prefill' && stage.mode === 'chunking') checkStage(ctx, stage);
}
