// QEFF-MODE-01/02/03: the stage's mode against the mode-defining kwargs written beside it.
import { isNull, prop, type Prop } from '../jsonNodes';
import type { StageView } from '../configView';
import { MODE_DEFINING_KWARGS, MODE_TABLE } from '../modeTable';
import type { RuleContext } from '../ruleContext';
import { DECODE_MODES, PREFILL_MODES, type Mode } from '../types';

function literal(p: Prop): string {
  const v = p.value;
  if (!v) return '';
  if (isNull(v)) return 'null';
  return JSON.stringify(v.value);
}

function checkStage(ctx: RuleContext, stage: StageView): void {
  if (stage.modeOfOtherStage && stage.modeProp?.value) {
    const wrong = String(stage.modeProp.value.value) as Mode;
    const own = stage.key === 'prefill' ? PREFILL_MODES : DECODE_MODES;
    const preferred = MODE_TABLE[wrong].partner;
    ctx.report({
      code: 'QEFF-MODE-03', severity: 'error', node: stage.modeProp.value, stage,
      message: `"${wrong}" is a ${stage.key === 'prefill' ? 'decode' : 'prefill'} mode, but this is the "${stage.key}" stage: use ${own.map(m => `"${m}"`).join(' or ')}.`,
      fixes: [preferred, ...own.filter(m => m !== preferred)].map(m =>
        ctx.fix.replaceValue(`Change mode to "${m}"`, stage.modeProp!.value!, m)),
    });
    return;
  }
  const mode = stage.mode;
  if (!mode) return;
  const implied = MODE_TABLE[mode].implied;
  for (const name of MODE_DEFINING_KWARGS) {
    const p = prop(stage.compile, name);
    if (!p?.value) continue;
    const v = p.value;
    const value = isNull(v) ? null : v.value;
    const contradiction = contradicts(stage, mode, name, value, v.type);
    if (contradiction) {
      ctx.report({
        code: 'QEFF-MODE-01', severity: 'error', node: v, stage,
        message: `${name}: ${literal(p)} contradicts mode "${mode}", which compiles ${MODE_TABLE[mode].meaning}. The mode sets this kwarg: remove it.`,
        fixes: [ctx.fix.remove(`Remove "${name}"`, p)],
      });
    } else if (name in implied && implied[name] === value) {
      ctx.report({
        code: 'QEFF-MODE-02', severity: 'hint', node: p.key, stage,
        message: `${name}: ${literal(p)} is what mode "${mode}" already implies; it can be removed.`,
        fixes: [ctx.fix.remove(`Remove redundant "${name}"`, p)],
      });
    }
  }
}

/** True when an explicit value contradicts the mode. A value of the wrong type is left to the schema. */
function contradicts(stage: StageView, mode: Mode, name: string, value: unknown, type: string): boolean {
  const implied = MODE_TABLE[mode].implied;
  if (name === 'prefill_seq_len') {
    if (type !== 'number' || !Number.isInteger(value)) return false;
    return stage.key === 'prefill' ? value === 1 : value !== 1;
  }
  if (type !== 'boolean' && type !== 'null') return false;
  if (name === 'enable_chunking' && type === 'null') return false;
  if (name in implied) return implied[name] !== value;
  // Not implied by this mode: only enable_chunking=true in a decode stage contradicts it.
  return stage.key === 'decode' && name === 'enable_chunking' && value === true;
}

export function modeRules(ctx: RuleContext): void {
  for (const stage of ctx.view.stages) checkStage(ctx, stage);
}
