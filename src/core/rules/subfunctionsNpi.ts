// QEFF-SUB-01/02 (ONNX subfunctions in prefill) and QEFF-NPI-01/02/03 (node precision info files).
import { compileBool, type StageView } from '../configView';
import { prop, stringValue } from '../jsonNodes';
import { checkNpiFile, npiKind, resolveConfigRelative } from '../npiFile';
import type { RuleContext } from '../ruleContext';
import { isAtLeast } from '../version';
import { DECODE_SUBFUNCTIONS_CONFLICT } from './misplacedKwargs';
import type { Fix } from '../types';
import { COMMANDS } from '../commandIds';

/** The editor turns this fix into a file picker; the CLI shows its title. */
export const PICK_NPI_COMMAND = COMMANDS.pickNpiFile;

function pickNpiFix(stage: StageView): Fix {
  return { title: 'Pick a node-precision-info file…', edits: [], command: { id: PICK_NPI_COMMAND, arguments: [stage.key] } };
}

function checkSubfunctions(ctx: RuleContext, stage: StageView): void {
  const sub = compileBool(stage, 'use_onnx_subfunctions');
  if (sub.value === true && sub.p?.value) {
    ctx.report({
      code: 'QEFF-SUB-02', severity: 'info', node: sub.p.value, stage,
      message: 'With use_onnx_subfunctions the prefill compile is expected to fail on the public SDK ("Compilation failed!"): the compiler command it prints must be run by hand. qeff-disagg captures it for you.',
    });
  } else if (!sub.p || sub.value === false) {
    ctx.report({
      code: 'QEFF-SUB-01', severity: 'warning', node: sub.p?.value ?? ctx.missingCompileKeyNode(stage), stage,
      message: 'Prefill without use_onnx_subfunctions: true compiles for a very long time; the design note advises subfunctions for the prefill-only model.',
      fixes: [sub.p?.value
        ? ctx.fix.replaceValue('Set use_onnx_subfunctions to true', sub.p.value, true)
        : ctx.fix.set('Add "use_onnx_subfunctions": true', [stage.key, 'compile', 'use_onnx_subfunctions'], true)],
    });
  }
}

function checkNpi(ctx: RuleContext, stage: StageView): void {
  const npi = prop(stage.compile, 'node_precision_info');
  if (!npi) {
    if (ctx.view.family === 'gpt-oss-120b') {
      ctx.report({
        code: 'QEFF-NPI-01', severity: 'error', node: ctx.missingCompileKeyNode(stage), stage,
        message: `gpt-oss-120b needs a node-precision-info file in every stage: add "node_precision_info" (the ${usesSubfunctions(stage) ? 'subfunction' : 'non-subfunction'} NPI for this stage).`,
        fixes: [pickNpiFix(stage)],
      });
    }
    return;
  }
  const rel = stringValue(npi.value);
  if (rel === undefined || !npi.value) return;
  const abs = resolveConfigRelative(ctx.view.configDir, rel);
  if (abs && ctx.host) {
    const status = checkNpiFile(abs, ctx.host);
    if (!status.ok) {
      ctx.report({
        code: 'QEFF-NPI-02', severity: 'error', node: npi.value, stage,
        message: `The node-precision-info file "${rel}" ${status.problem}${rel === abs ? '' : ` (resolved to ${abs})`}.`,
        fixes: [pickNpiFix(stage)],
      });
    }
  }
  const kind = npiKind(rel);
  const sub = usesSubfunctions(stage);
  if ((kind === 'non_subfunction' && sub) || (kind === 'subfunction' && !sub)) {
    const upstreamPair = sub && stage.key === 'decode' && isAtLeast(ctx.view.version, 1, 22);
    ctx.report({
      code: 'QEFF-NPI-03', node: npi.value, stage,
      message: upstreamPair
        ? `This decode stage exports with ONNX subfunctions and names the non-subfunction NPI, as upstream's example does; but ${DECODE_SUBFUNCTIONS_CONFLICT.replace(/^the upstream README/, 'the README')}, so whether its tensor names match the graph is unverified.`
        : sub
          ? 'This stage exports with ONNX subfunctions, but the NPI file is the non-subfunction one: its tensor names will not match.'
          : 'This stage exports without ONNX subfunctions, but the NPI file is the subfunction one: its tensor names will not match.',
    });
  }
}

function usesSubfunctions(stage: StageView): boolean {
  return compileBool(stage, 'use_onnx_subfunctions').value === true;
}

export function subfunctionsNpiRules(ctx: RuleContext): void {
  for (const stage of ctx.view.stages) {
    if (stage.key === 'prefill') checkSubfunctions(ctx, stage);
    checkNpi(ctx, stage);
  }
}
