// QEFF-CORES-01, DEV-01/02: the cores and devices a stage compiles for.
import { compileInt, type StageView } from '../configView';
import { prop } from '../jsonNodes';
import { DEFAULTS, MAX_NSP_CORES } from '../model';
import type { RuleContext } from '../ruleContext';
import { compileTakes } from '../versionTable';

function cores(ctx: RuleContext, stage: StageView): void {
  const c = compileInt(stage, 'num_cores');
  if (c.value === undefined || !c.p?.value) return;
  if (c.value < 1) {
    ctx.report({ code: 'QEFF-CORES-01', severity: 'error', node: c.p.value, stage,
      message: `num_cores ${c.value} is not a core count: it must be at least 1.` });
  } else if (c.value > MAX_NSP_CORES) {
    ctx.report({ code: 'QEFF-CORES-01', severity: 'warning', node: c.p.value, stage,
      message: `num_cores ${c.value} is more than the 16 NSP cores a Cloud AI 100 SoC has.` });
  }
}

function devices(ctx: RuleContext, stage: StageView): void {
  const forbidden = prop(stage.compile, 'mdp_ts_num_devices');
  if (forbidden) {
    const hasNumDevices = !!prop(stage.compile, 'num_devices');
    ctx.report({
      code: 'QEFF-DEV-01', severity: 'error', node: forbidden.key, stage,
      message: 'mdp_ts_num_devices duplicates a keyword compile() already passes (num_devices): QEfficient raises "TypeError: got multiple values for keyword argument \'mdp_ts_num_devices\'". Use num_devices.',
      fixes: [hasNumDevices
        ? ctx.fix.remove('Remove "mdp_ts_num_devices" (num_devices is set)', forbidden)
        : ctx.fix.renameKey('Rename to "num_devices"', forbidden.key, 'num_devices')],
    });
  }
  // DEV-02: mdp_num_partitions is a _compile kwarg since 1.22.0 (base/modeling_qeff.py); before, VER-01 says
  // it is a compiler flag. _compile runs the MDP generator, which raises, only when it is > 1.
  const parts = compileInt(stage, 'mdp_num_partitions');
  if (parts.value !== undefined && parts.p?.value && compileTakes(ctx.view.version, 'mdp_num_partitions')) {
    const n = compileInt(stage, 'num_devices').value ?? DEFAULTS.num_devices;
    if (parts.value < 1) {
      ctx.report({
        code: 'QEFF-DEV-02', severity: 'warning', node: parts.p.value, stage,
        message: `mdp_num_partitions ${parts.value} is ignored: QEfficient builds a pipeline partition config only when mdp_num_partitions > 1, so this compiles unpartitioned (the generator's "Invalid number of partitions" check is never reached).`,
      });
    } else if (parts.value > 1 && parts.value > n) {
      ctx.report({
        code: 'QEFF-DEV-02', severity: 'error', node: parts.p.value, stage,
        message: `mdp_num_partitions ${parts.value} is more than num_devices ${n}: QEfficient raises "Num of partitions should be <= number of devices".`,
      });
    }
  }
}

export function hardwareRules(ctx: RuleContext): void {
  for (const stage of ctx.view.stages) {
    cores(ctx, stage);
    devices(ctx, stage);
  }
}
