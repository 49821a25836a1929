// QEFF-ENV-01/02: environment variables of the exporting Python process.
import { props } from '../jsonNodes';
import { BLOCKING_ENV, MODE_TABLE } from '../modeTable';
import type { RuleContext } from '../ruleContext';

export function environmentRules(ctx: RuleContext): void {
  for (const stage of ctx.view.stages) {
    const reads = stage.mode ? MODE_TABLE[stage.mode].env : [];
    for (const p of props(stage.env)) {
      if (stage.mode && !reads.includes(p.name) && (BLOCKING_ENV as readonly string[]).includes(p.name)) {
        ctx.report({
          code: 'QEFF-ENV-01', severity: 'warning', node: p.key, stage,
          message: `${p.name} only affects the blocking prefill graph; ${stage.key === 'decode' ? 'the decode graphs never read it' : 'chunking has optimized SWA built in'}.`,
          fixes: [ctx.fix.remove(`Remove ${p.name}`, p)],
        });
      }
      const v = p.value;
      if (v && !(v.type === 'string' || (v.type === 'number' && Number.isInteger(v.value)))) {
        ctx.report({
          code: 'QEFF-ENV-02', severity: 'error', node: v, stage,
          message: `Environment variable ${p.name} must be a string or an integer, not ${v.type === 'number' ? 'a fractional number' : v.type === 'null' ? 'null' : `a${v.type === 'object' || v.type === 'array' ? 'n' : ''} ${v.type}`}.`,
        });
      }
    }
  }
}
