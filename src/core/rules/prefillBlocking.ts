// QEFF-PB-01..07: the blocking prefill-only graph (prefill_only=True without chunking) and its env vars.
import type { Node } from 'jsonc-parser';
import { compileInt, effectiveLengths, isSet, type StageView } from '../configView';
import { integerValue, prop, stringValue } from '../jsonNodes';
import { Q_BLOCK_SIZE } from '../model';
import type { RuleContext } from '../ruleContext';
import { isAtLeast } from '../version';

/** A positive integer written as a number or a digit string; undefined when absent or of another type. */
export function envBlockCount(node: Node | undefined): { ok: boolean; value?: number } | undefined {
  if (!node) return undefined;
  if (node.type === 'number') {
    const n = integerValue(node);
    return n !== undefined && n >= 1 ? { ok: true, value: n } : { ok: false };
  }
  if (node.type === 'string') {
    const s = String(node.value);
    return /^[0-9]+$/.test(s) && Number(s) >= 1 ? { ok: true, value: Number(s) } : { ok: false };
  }
  return undefined; // wrong type: ENV-02 and the schema report it
}

function roundTo256(n: number): number {
  return Math.max(Q_BLOCK_SIZE, Math.round(n / Q_BLOCK_SIZE) * Q_BLOCK_SIZE);
}

function checkStage(ctx: RuleContext, stage: StageView): void {
  const v = ctx.view.version;
  const psl = compileInt(stage, 'prefill_seq_len');
  const qBlocks = prop(stage.env, 'NUM_Q_BLOCKS');
  const ffnBlocks = prop(stage.env, 'NUM_FFN_BLOCKS');
  const optSwa = prop(stage.env, 'ENABLE_OPT_SWA');

  // PB-01: without a Q-block count QEfficient requires prefill_seq_len = k*256 (v1.21 reads NUM_Q_BLOCKS instead).
  if (isAtLeast(v, 1, 22) || !qBlocks) {
    const why = 'QEfficient splits the blocking prefill into Q blocks of 256 and raises "When prefill_only=True, \'prefill_seq_len\' must be explicitly set and divisible by block_size=256"';
    if (!psl.p) {
      ctx.report({
        code: 'QEFF-PB-01', severity: 'error', node: ctx.missingCompileKeyNode(stage), stage,
        message: `Blocking prefill needs prefill_seq_len, a multiple of 256: ${why}.`,
        fixes: [ctx.fix.set('Add "prefill_seq_len": 256', [stage.key, 'compile', 'prefill_seq_len'], 256)],
      });
    } else if (psl.value !== undefined && psl.p.value && (psl.value < Q_BLOCK_SIZE || psl.value % Q_BLOCK_SIZE !== 0)) {
      const to = roundTo256(psl.value);
      ctx.report({
        code: 'QEFF-PB-01', severity: 'error', node: psl.p.value, stage,
        message: `prefill_seq_len ${psl.value} is not a multiple of 256 (at least 256): ${why}.`,
        fixes: [ctx.fix.replaceValue(`Change prefill_seq_len to ${to}`, psl.p.value, to)],
      });
    }
  }

  // PB-02: prefix caching (CB or kv_cache_batch_size) is chunking-only.
  const kvbs = compileInt(stage, 'kv_cache_batch_size');
  if ((stage.cb || isSet(kvbs.p)) && stage.modeProp?.value) {
    ctx.report({
      code: 'QEFF-PB-02', severity: 'error', node: stage.modeProp.value, stage,
      message: `Prefix caching (${stage.cb ? 'continuous_batching' : 'kv_cache_batch_size'}) is not supported with blocking: QEfficient raises "Looks like you are trying to run prefix-caching without chunking". Use mode "chunking".`,
      fixes: [ctx.fix.replaceValue('Switch mode to "chunking"', stage.modeProp.value, 'chunking')],
    });
  }

  // PB-03: QEfficient overrides ctx_len with prefill_seq_len for blocking.
  const ctx_ = compileInt(stage, 'ctx_len');
  const { psl: effPsl } = effectiveLengths(stage);
  if (ctx_.value !== undefined && ctx_.p?.value && ctx_.value !== effPsl) {
    ctx.report({
      code: 'QEFF-PB-03', severity: 'warning', node: ctx_.p.value, stage,
      message: `ctx_len ${ctx_.value} differs from prefill_seq_len ${effPsl}: for a blocking prefill-only QPC QEfficient overrides ctx_len to prefill_seq_len.`,
      fixes: [ctx.fix.replaceValue(`Set ctx_len to ${effPsl}`, ctx_.p.value, effPsl)],
    });
  }

  // PB-04 / PB-05: block counts.
  const q = envBlockCount(qBlocks?.value);
  const f = envBlockCount(ffnBlocks?.value);
  for (const [p, parsed] of [[qBlocks, q], [ffnBlocks, f]] as const) {
    if (p?.value && parsed && !parsed.ok) {
      ctx.report({
        code: 'QEFF-PB-04', severity: 'error', node: p.value, stage,
        message: `${p.name} must be a positive integer (a number or a digit string such as "2"); QEfficient parses it with int().`,
      });
    }
  }
  if (q?.ok && f?.ok && qBlocks?.value) {
    const [lo, hi] = [Math.min(q.value!, f.value!), Math.max(q.value!, f.value!)];
    if (hi % lo !== 0) {
      ctx.report({
        code: 'QEFF-PB-05', severity: 'error', node: qBlocks.value, stage,
        message: `NUM_Q_BLOCKS=${q.value} and NUM_FFN_BLOCKS=${f.value}: the larger must be a multiple of the smaller, or QEfficient raises "seq_len is not divisible by either num_ffn_blocks or num_q_blocks".`,
      });
    }
  }

  // PB-06 / PB-07: ENABLE_OPT_SWA.
  if (optSwa?.value) {
    const s = stringValue(optSwa.value);
    if (s !== '0' && s !== '1') {
      const on = optSwa.value.value === true || optSwa.value.value === 1 || s === 'true' || s === 'True';
      const fixes = (on ? ['1', '0'] : ['0', '1']).map(x => ctx.fix.replaceValue(`Replace with "${x}"`, optSwa.value!, x, true));
      ctx.report({
        code: 'QEFF-PB-06', severity: 'error', node: optSwa.value, stage,
        message: 'ENABLE_OPT_SWA must be the string "1" (on) or "0" (off): QEfficient compares the environment variable with "1", so true, 1 or "true" are all off.',
        fixes,
      });
    } else if (s === '1' && !qBlocks && isAtLeast(v, 1, 22)) {
      const n = Math.max(1, Math.floor(effPsl / Q_BLOCK_SIZE));
      ctx.report({
        code: 'QEFF-PB-07', severity: 'warning', node: optSwa.value, stage,
        message: `ENABLE_OPT_SWA is "1" but NUM_Q_BLOCKS is unset: since 1.22 QEfficient no longer sets it from prefill_seq_len, so optimized SWA runs with one Q block. Set NUM_Q_BLOCKS=${n} (prefill_seq_len/256).`,
        fixes: [ctx.fix.set(`Set NUM_Q_BLOCKS to "${n}"`, [stage.key, 'env', 'NUM_Q_BLOCKS'], String(n))],
      });
    }
  }
}

export function prefillBlockingRules(ctx: RuleContext): void {
  for (const stage of ctx.view.stages) if (stage.key === 'prefill' && stage.mode === 'blocking') checkStage(ctx, stage);
}
