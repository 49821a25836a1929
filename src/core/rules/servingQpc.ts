// QEFF-SRV-11..15: the two QPC folders "serving" hands to qaic_disagg, checked against the config from what
// QEfficient wrote beside them (src/core/serving/qpcFolder.ts), before minutes of device activation.
import type { Node } from 'jsonc-parser';
import { compileBool, effectiveLengths, type StageView } from '../configView';
import { prop } from '../jsonNodes';
import { DEFAULTS } from '../model';
import { resolveConfigRelative } from '../npiFile';
import type { RuleContext } from '../ruleContext';
import { readQpcFolder, type QpcFolder } from '../serving/qpcFolder';
import { LEGACY_SLICING_ENV, VLLM_KV_PREFIX } from '../serving/servingFacts';
import { servingView, type ServingView } from '../serving/servingView';
import type { StageKey } from '../types';

interface Served { stage: StageView; qpc: QpcFolder; at: Node }

/** The QPC folder of a stage: "qpc" resolved against the config, else the caller's default (the last compile). */
export function servedQpcPath(ctxView: { configDir: string | undefined; servingQpc?: Partial<Record<StageKey, string>> }, sv: ServingView, key: StageKey): string | undefined {
  const own = sv.stages[key]?.qpc?.value;
  return own !== undefined ? resolveConfigRelative(ctxView.configDir, own) : ctxView.servingQpc?.[key];
}

export function servingQpcRules(ctx: RuleContext): void {
  const sv = servingView(ctx.view.root);
  const host = ctx.host;
  if (!sv || !host) return;
  const served: Partial<Record<StageKey, Served>> = {};
  for (const key of ['prefill', 'decode'] as const) {
    const stage = ctx.view.stages.find(s => s.key === key && s.mode);
    const path = servedQpcPath(ctx.view, sv, key);
    if (!stage || path === undefined) continue;
    const at = sv.stages[key]?.qpc?.node ?? sv.stages[key]?.prop.key ?? sv.prop.key;
    const qpc = readQpcFolder(host, path);
    if (!qpc.hasProgram) {
      ctx.report({ code: 'QEFF-SRV-11', node: at,
        message: `No programqpc.bin in ${path}: qaic_disagg would compile the ${key} stage itself instead of using this QPC. Compile the stage, or point "qpc" at the folder compile() returned (…/qpc-<hash>/qpc).` });
      continue;
    }
    served[key] = { stage, qpc, at };
    specializations(ctx, served[key]);
    qconfig(ctx, served[key]);
  }
  const p = served.prefill;
  const d = served.decode;
  if (p && d) pair(ctx, p, d);
}

function kwargNode(s: Served, name: string): Node {
  return prop(s.stage.compile, name)?.value ?? s.at;
}

function specializations(ctx: RuleContext, s: Served): void {
  const specs = s.qpc.specializations;
  if (!specs?.length) return;
  const { psl, ctx: ctxLen } = effectiveLengths(s.stage);
  const seqLens = [...new Set(specs.map(x => x.seqLen).filter((n): n is number => n !== undefined))];
  const wantSeq = s.stage.key === 'prefill' ? psl : 1;
  if (seqLens.length && !seqLens.every(n => n === wantSeq)) {
    ctx.report({ code: 'QEFF-SRV-12', node: s.stage.key === 'prefill' ? kwargNode(s, 'prefill_seq_len') : s.at,
      message: `The ${s.stage.key} QPC is specialized for seq_len ${seqLens.join(', ')}, the config says ${wantSeq}${s.stage.key === 'decode' ? ' (a decode-only QPC)' : ' (prefill_seq_len)'}: this is not the QPC of this stage, or it is from an older compile.` });
  }
  const ctxLens = specs.map(x => x.ctxLen).filter((n): n is number => n !== undefined);
  // With compute-context-length the specializations list each length; the largest is the compiled ctx_len.
  if (ctxLens.length && Math.max(...ctxLens) !== ctxLen) {
    ctx.report({ code: 'QEFF-SRV-12', node: kwargNode(s, 'ctx_len'),
      message: `The ${s.stage.key} QPC is specialized for ctx_len ${Math.max(...ctxLens)}, the config says ${ctxLen}: serving would run with --max-model-len from the config. Recompile, or point "qpc" at the matching QPC.` });
  }
}

function qconfig(ctx: RuleContext, s: Served): void {
  const c = s.qpc.qconfig?.compiler;
  if (!c) return;
  const role = s.stage.key === 'prefill';
  if (typeof c.prefill_only === 'boolean' && c.prefill_only !== role) {
    ctx.report({ code: 'QEFF-SRV-13', node: s.at,
      message: `The ${s.stage.key} QPC was compiled with prefill_only=${String(c.prefill_only)}: vllm-qaic requires prefill_only ${role} for the ${role ? 'kv_producer (prefill)' : 'kv_consumer (decode)'} runtime.` });
  }
  for (const name of ['mxint8_kv_cache', 'mxfp6_matmul'] as const) {
    const compiled = c[name];
    // QEfficient's compile() defaults: mxint8_kv_cache False, mxfp6_matmul False (modeling_auto.py, release/v1.22.8.0).
    const configured = compileBool(s.stage, name).value ?? (name === 'mxint8_kv_cache' ? DEFAULTS.mxint8_kv_cache : false);
    if (typeof compiled === 'boolean' && compiled !== configured) {
      ctx.report({ code: 'QEFF-SRV-13', node: kwargNode(s, name),
        message: `The ${s.stage.key} QPC was compiled with ${name}=${String(compiled)}, the config says ${String(configured)}: serving derives ${name === 'mxint8_kv_cache' ? '--kv-cache-dtype' : 'the override'} from the config. Recompile, or correct the config.` });
    }
  }
}

const MODEL_KEYS = ['model_type', 'num_hidden_layers', 'hidden_size', 'num_attention_heads', 'num_key_value_heads', 'head_dim', 'num_local_experts', 'vocab_size', 'sliding_window'];

function pair(ctx: RuleContext, p: Served, d: Served): void {
  const ph = p.qpc.qconfig?.huggingface;
  const dh = d.qpc.qconfig?.huggingface;
  const differs = ph && dh ? MODEL_KEYS.filter(k => JSON.stringify(ph[k]) !== JSON.stringify(dh[k])) : [];
  if (differs.length) {
    ctx.report({ code: 'QEFF-SRV-13', node: d.at,
      message: `The two QPCs are of different models (${differs.map(k => `${k} ${JSON.stringify(ph?.[k])} vs ${JSON.stringify(dh?.[k])}`).join(', ')}): decode cannot take the prefill's KV cache.` });
  }
  const ps = p.qpc.qconfig?.sdk;
  const ds = d.qpc.qconfig?.sdk;
  if (ps && ds && JSON.stringify(ps) !== JSON.stringify(ds)) {
    ctx.report({ code: 'QEFF-SRV-15', node: d.at,
      message: `The two QPCs were compiled with different Cloud AI SDKs (prefill ${JSON.stringify(ps)}, decode ${JSON.stringify(ds)}): both must load on the runtime of one image. Recompile one of them.` });
  }
  const pk = p.qpc.kvNaming;
  const dk = d.qpc.kvNaming;
  if (pk === 'mixed' || dk === 'mixed' || (pk !== 'unknown' && dk !== 'unknown' && pk !== dk)) {
    ctx.report({ code: 'QEFF-SRV-14', node: d.at,
      message: `KV buffer names: prefill ${pk}, decode ${dk} (custom_io.yaml). vLLM selects the KV buffers of both runtimes one way: compile both with kv_cache_prefix="${VLLM_KV_PREFIX}", or both without.` });
  } else if (pk === 'plain' && dk === 'plain') {
    ctx.report({ code: 'QEFF-SRV-14', severity: 'warning', node: d.at,
      message: `Neither QPC names its KV buffers with the "${VLLM_KV_PREFIX}" prefix (kv_cache_prefix): vLLM finds them only with ${LEGACY_SLICING_ENV}=1, which the launch command sets. Compile with kv_cache_prefix="${VLLM_KV_PREFIX}" to drop it.` });
  }
}
