// QEFF-CCL-01: QEfficient rewrites compute-context-length lists silently (utils/check_ccl_specializations.py,
// release/v1.21.6 .. main): say where what the stage compiles with differs from what was written.
import { effectiveLengths, type StageView } from '../configView';
import { stageCcl } from '../ccl';
import type { RuleContext } from '../ruleContext';

const list = (xs: readonly number[]) => `[${xs.join(', ')}]`;

function reasons(written: number[], ctxLen: number, psl: number, otherWritten: boolean): string {
  const out: string[] = [];
  if (written.some(x => x < 1024)) out.push('values below 1024 are raised to 1024');
  if (Math.max(written[written.length - 1], 1024) < ctxLen) out.push(`ctx_len ${ctxLen} is appended`);
  if (written.some(x => x > ctxLen)) out.push(`values above ctx_len ${ctxLen} are capped to it`);
  if (written.some((x, i) => i > 0 && x <= written[i - 1])) out.push('the list is sorted and de-duplicated');
  if (psl === 1 && otherWritten) out.push('with prefill_seq_len 1 both lists are merged into their union');
  if (!out.length) out.push('values shared with the other list move down to a multiple of 32');
  return out.join(', ');
}

function checkStage(ctx: RuleContext, stage: StageView): void {
  const c = stageCcl(stage);
  if (!c?.anchor) return;
  const { psl, ctx: ctxLen } = effectiveLengths(stage);
  const same = (a: readonly number[] | undefined) => !!a && a.length === c.effective.length && a.every((x, i) => x === c.effective[i]);
  if (c.written?.length) {
    if (same(c.written)) return;
    const otherWritten = c.anchor.name !== c.usedName || !!stage.compile?.children?.some(p => p.children?.[0]?.value === (c.usedName === 'comp_ctx_lengths_decode' ? 'comp_ctx_lengths_prefill' : 'comp_ctx_lengths_decode'));
    ctx.report({
      code: 'QEFF-CCL-01', node: c.anchor.value ?? c.anchor.key, stage,
      message: `QEfficient compiles this stage with ${c.usedName} ${list(c.effective)}, not ${list(c.written)}: ${reasons(c.written, ctxLen, psl, otherWritten)}.`,
    });
  } else if (c.anchor.name !== 'ccl_enabled') {
    ctx.report({
      code: 'QEFF-CCL-01', node: c.anchor.key, stage,
      message: `A ${stage.key} stage with prefill_seq_len ${psl} compiles with ${c.usedName}; QEfficient fills it in and compiles this stage with ${list(c.effective)}.`,
    });
  } else if (c.ctxLen !== ctxLen) {
    ctx.report({
      code: 'QEFF-CCL-01', node: c.anchor.value ?? c.anchor.key, stage,
      message: `CCL is enabled without lists: QEfficient generates ${c.usedName} ${list(c.effective)} and raises ctx_len from ${ctxLen} to ${c.ctxLen} (the next multiple of 1024).`,
    });
  }
}

export function cclRules(ctx: RuleContext): void {
  for (const stage of ctx.view.stages) if (stage.mode) checkStage(ctx, stage);
}
