// QEFF-PB-01..07: the blocking prefill-only graph (prefill_only=True without chunking) and its env vars.
import type { Node } from 'jsonc-parser';
import { compileInt, effectiveLengths, type StageView } from '../configView';
import { integerValue, prop, stringValue } from '../jsonNodes';
import { Q_BLOCK_SIZE } from '../model';
import type { RuleContext } from '../ruleContext';
import { qBlockSource } from '../versionTable';
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

  // PB-02: prefix caching is chunking-only. Upstream raises only with CB (modeling_auto.py export(),
  // release/v1.21.6 .. main: `if not enable_chunking and self.continuous_batching: raise NotImplementedError`);
  // kv_cache_batch_size without CB is CB-01's warning (it becomes the QPC's batch size).
  if (stage.cb && stage.modeProp?.value) {
    ctx.report({
      code: 'QEFF-PB-02', node: stage.modeProp.value, stage,
      message: 'Prefix caching (continuous batching) is not supported with blocking: QEfficient raises "NotImplementedError: Looks like you are trying to run prefix-caching without chunking". Use mode "chunking".',
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
  const qFromPsl = psl.value !== undefined && psl.value >= Q_BLOCK_SIZE && psl.value % Q_BLOCK_SIZE === 0
    ? psl.value / Q_BLOCK_SIZE : undefined;
  const qSource = qBlockSource(v);
  // PB-05: the Q blocks as this version finds them, against NUM_FFN_BLOCKS (modeling_auto.py,
  // get_seq_len_and_handle_specialized_prefill_model: seq_len = max(q, ffn) must divide by both).
  const qEff = qSource === 'env' ? (q?.ok ? q.value : qFromPsl) : qFromPsl;
  if (qEff !== undefined && f?.ok && ffnBlocks?.value) {
    const hi = Math.max(qEff, f.value!);
    if (hi % qEff !== 0 || hi % f.value! !== 0) {
      const fromEnv = qSource === 'env' && q?.ok;
      const qText = fromEnv
        ? `NUM_Q_BLOCKS=${qEff}`
        : `The ${qEff} Q blocks (prefill_seq_len ${psl.value} // 256${qSource === 'psl' ? '; since 1.22 NUM_Q_BLOCKS is not read here' : ''})`;
      ctx.report({
        code: 'QEFF-PB-05', node: fromEnv && qBlocks?.value ? qBlocks.value : ffnBlocks.value, stage,
        message: `${qText} and NUM_FFN_BLOCKS=${f.value}: the larger must be a multiple of the smaller, or QEfficient raises "seq_len is not divisible by either num_ffn_blocks or num_q_blocks".`,
      });
    }
  }

  // PB-08: since 1.22 the export hash records prefill_seq_len // 256 as NUM_Q_BLOCKS while the traced graph
  // reads the environment's NUM_Q_BLOCKS when ENABLE_OPT_SWA=1 (gpt_oss/modeling_gpt_oss.py,
  // opt_eager_attention_forward_blocked, release/v1.22.0 .. main), and _export returns the cached ONNX when
  // the hash matches: a changed NUM_Q_BLOCKS alone silently reuses the old graph.
  if (qSource === 'psl' && q?.ok && qFromPsl !== undefined && q.value !== qFromPsl && qBlocks?.value) {
    const optSwa = stringValue(prop(stage.env, 'ENABLE_OPT_SWA')?.value) === '1';
    ctx.report({
      code: 'QEFF-PB-08', node: qBlocks.value, stage,
      message: optSwa
        ? `NUM_Q_BLOCKS=${q.value} differs from prefill_seq_len // 256 = ${qFromPsl}: since 1.22 the optimized-SWA graph splits attention into ${q.value} blocks, but the export cache is keyed by ${qFromPsl}, so an ONNX exported earlier with another NUM_Q_BLOCKS is reused (stale). Upstream's own error message still says "Or set NUM_Q_BLOCKS ENV variable", although that path no longer reads it.`
        : `NUM_Q_BLOCKS=${q.value} differs from prefill_seq_len // 256 = ${qFromPsl}: since 1.22 QEfficient takes the Q blocks from prefill_seq_len and reads NUM_Q_BLOCKS only for optimized SWA (ENABLE_OPT_SWA="1"), where a value other than ${qFromPsl} also makes the export cache stale.`,
      fixes: [ctx.fix.replaceValue(`Set NUM_Q_BLOCKS to "${qFromPsl}"`, qBlocks.value, String(qFromPsl))],
    });
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
