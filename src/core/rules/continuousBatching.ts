// QEFF-CB-01..06: continuous batching (CB) and prefix caching kwargs.
import type { Node } from 'jsonc-parser';
import { compileInt, isSet, type StageView } from '../configView';
import { isObject, prop, props } from '../jsonNodes';
import { MISSPELLED_CB } from '../knownKeys';
import type { RuleContext } from '../ruleContext';
import type { Fix } from '../types';

function eachObject(node: Node | undefined, visit: (obj: Node) => void): void {
  // Config documents are shallow (parse.ts caps nesting), so recursion is safe here.
  if (!node) return;
  if (isObject(node)) visit(node);
  for (const child of node.children ?? []) eachObject(child, visit);
}

function checkStage(ctx: RuleContext, stage: StageView): void {
  const alias = stage.cbFromFullBatchSize;
  if (alias?.value) {
    // CB-06: from_pretrained pops full_batch_size, sets continuous_batching=True and drops the value
    // (modeling_auto.py, QEFFAutoModelForCausalLM.from_pretrained, release/v1.21.6 .. main).
    const cbProp = prop(stage.fromPretrained, 'continuous_batching');
    const value = JSON.stringify(alias.value.value);
    // Removing the alias must not turn CB off: an explicit continuous_batching becomes true first.
    const fix: Fix = !cbProp
      ? { title: 'Replace with "continuous_batching": true', edits: [
        ...ctx.fix.renameKey('', alias.key, 'continuous_batching').edits,
        ...ctx.fix.replaceValue('', alias.value, true).edits,
      ] }
      : cbProp.value?.value === true || !cbProp.value
        ? ctx.fix.remove('Remove "full_batch_size" (continuous_batching is set)', alias)
        : { title: 'Set "continuous_batching": true and remove "full_batch_size"', edits: [
          ...ctx.fix.replaceValue('', cbProp.value, true).edits,
          ...ctx.fix.remove('', alias).edits,
        ] };
    ctx.report({
      code: 'QEFF-CB-06', node: alias.key, stage,
      message: `from_pretrained(full_batch_size=${value}) turns continuous batching on${cbProp?.value?.value === false ? ', overriding "continuous_batching": false,' : ''} but its value is dropped (QEfficient pops it with a DeprecationWarning): the QPC's batch comes from compile's full_batch_size. Write "continuous_batching": true here and put full_batch_size in "compile".`,
      fixes: [fix],
    });
  }
  const fbs = compileInt(stage, 'full_batch_size');
  const kvbs = compileInt(stage, 'kv_cache_batch_size');
  if (!stage.cb) {
    // Built only when CB-01 fires: modify() re-parses the whole text.
    let enableCb: Fix | undefined;
    for (const p of [fbs.p, kvbs.p]) {
      if (!isSet(p)) continue;
      ctx.report({
        code: 'QEFF-CB-01', severity: 'warning', node: p.key, stage,
        message: `${p.name} is set but continuous batching is off: QEfficient warns that it is ignored, yet in non-CB mode it overwrites the batch size of the QPC. Enable from_pretrained(continuous_batching=True) or remove ${p.name}.`,
        fixes: [enableCb ??= ctx.fix.set('Set "continuous_batching": true in from_pretrained', [stage.key, 'from_pretrained', 'continuous_batching'], true)],
      });
    }
    return;
  }
  if (stage.key === 'decode' && !isSet(fbs.p)) {
    const suggested = kvbs.value ?? 4;
    ctx.report({
      code: 'QEFF-CB-02', severity: 'error', node: ctx.missingCompileKeyNode(stage), stage,
      message: 'A decode stage with continuous batching must pass full_batch_size (QEfficient raises "TypeError: `full_batch_size` is required when `continuous_batching=True`").',
      fixes: [ctx.fix.set(`Add "full_batch_size": ${suggested}`, [stage.key, 'compile', 'full_batch_size'], suggested)],
    });
  }
  if (stage.mode === 'chunking' && !isSet(kvbs.p) && !isSet(fbs.p)) {
    const decode = ctx.view.stages.find(s => s.key === 'decode');
    const suggested = (decode && (compileInt(decode, 'kv_cache_batch_size').value ?? compileInt(decode, 'full_batch_size').value)) ?? 1;
    ctx.report({
      code: 'QEFF-CB-03', severity: 'error', node: ctx.missingCompileKeyNode(stage), stage,
      message: 'A chunking prefill with continuous batching (prefix caching) needs kv_cache_batch_size (or full_batch_size): QEfficient raises "Please pass valid integer for kv_cache_batch_size or full_batch_size".',
      fixes: [ctx.fix.set(`Add "kv_cache_batch_size": ${suggested}`, [stage.key, 'compile', 'kv_cache_batch_size'], suggested)],
    });
  }
  if (kvbs.value !== undefined && fbs.value !== undefined && kvbs.value < fbs.value && kvbs.p?.value) {
    ctx.report({
      code: 'QEFF-CB-04', severity: 'warning', node: kvbs.p.value, stage,
      message: `kv_cache_batch_size (${kvbs.value}) is smaller than full_batch_size (${fbs.value}): there are fewer KV slots than concurrent decode slots.`,
    });
  }
}

export function continuousBatchingRules(ctx: RuleContext): void {
  eachObject(ctx.view.root, obj => {
    for (const p of props(obj)) {
      if (p.name !== MISSPELLED_CB) continue;
      ctx.report({
        code: 'QEFF-CB-05', severity: 'error', node: p.key,
        message: '"continous_batching" is misspelled (the upstream README has this typo): the parameter is "continuous_batching". Misspelled, it is passed on to Hugging Face and continuous batching stays off.',
        fixes: [ctx.fix.renameKey('Rename to "continuous_batching"', p.key, 'continuous_batching', true)],
      });
    }
  });
  for (const stage of ctx.view.stages) checkStage(ctx, stage);
}
