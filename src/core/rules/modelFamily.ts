// QEFF-MODEL-01: the family must be known (given, or inferable from the model) for the NPI and expert rules.
import type { RuleContext } from '../ruleContext';
import { FAMILIES } from '../types';

export function modelFamilyRules(ctx: RuleContext): void {
  const { view } = ctx;
  if (!view.modelProp?.value || view.model === undefined || view.family) return;
  ctx.report({
    code: 'QEFF-MODEL-01', severity: 'warning', node: view.modelProp.value,
    message: `Cannot tell whether "${view.model}" is gpt-oss-20b or gpt-oss-120b: the id names neither and no local config.json with num_local_experts 32/128 was found. Set "family" so that the expert-count and NPI rules can run.`,
    fixes: FAMILIES.map(f => ctx.fix.set(`Set "family": "${f}"`, ['family'], f)),
  });
}
