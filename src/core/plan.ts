// The plan: what each stage's Python process gets (from_pretrained kwargs, compile kwargs including the
// ones the mode implies, env), plus the KV estimate. The runner and the script generator consume it.
import { getNodeValue } from 'jsonc-parser';
import { stageCcl } from './ccl';
import { buildView, compileBool, compileInt, effectiveLengths, type StageView } from './configView';
import { props, stringValue } from './jsonNodes';
import { MISSPELLED_CB } from './knownKeys';
import { kvEstimate } from './kvMemory';
import { DEFAULTS } from './model';
import { MODE_TABLE } from './modeTable';
import { resolveConfigRelative } from './npiFile';
import { parseDocument } from './parse';
import type { CheckOptions, Family, Mode, StageKey } from './types';

export interface StagePlan {
  stage: StageKey;
  mode: Mode;
  fromPretrained: Record<string, unknown>;
  compile: Record<string, unknown>;
  env: Record<string, string>;
  kvBytesPerSlot: number | null;
  kvSlots: number;
  kvBytesTotal: number | null;
  kvApproximate: boolean;
  /** The compute-context-length list QEfficient compiles this stage with, after its rewrites (ccl.ts); null without CCL. */
  ccl: { kwarg: 'comp_ctx_lengths_prefill' | 'comp_ctx_lengths_decode'; effective: number[]; ctxLen: number } | null;
}

export interface Plan {
  model: string;
  family: Family | null;
  qefficientVersion: string | null;
  configPath: string | null;
  stages: StagePlan[];
}

/** Compile kwargs holding paths: resolved against the config's folder so the process may run anywhere. */
const PATH_KWARGS = ['node_precision_info', 'onnx_path', 'compile_dir', 'mdp_load_partition_config', 'mdp_compiler_dump_path'];

export class PlanError extends Error {}

/** Builds the plan; throws PlanError when the text has no model or no usable stage (check first). */
export function buildPlan(text: string, options: CheckOptions = {}): Plan {
  const { root, problems } = parseDocument(text);
  if (problems.length) throw new PlanError(`The config does not parse as JSON (${problems[0].message}): run check first.`);
  if (!root || root.type !== 'object') throw new PlanError('The config is not a JSON object: run check first.');
  const view = buildView(root, options);
  if (view.model === undefined) throw new PlanError('The config has no "model".');
  const stages = view.stages.map(s => stagePlan(s, view.family, view.configDir)).filter((s): s is StagePlan => !!s);
  return {
    model: view.model,
    family: view.family ?? null,
    qefficientVersion: view.version?.text ?? null,
    configPath: options.configPath ?? null,
    stages,
  };
}

function objectValue(node: import('jsonc-parser').Node | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // defineProperty: a "__proto__" kwarg is data, not the object's prototype.
  for (const p of props(node)) if (p.value) Object.defineProperty(out, p.name, { value: getNodeValue(p.value), enumerable: true, writable: true, configurable: true });
  return out;
}

function stagePlan(stage: StageView, family: Family | undefined, configDir: string | undefined): StagePlan | undefined {
  if (!stage.mode) return undefined;
  const fromPretrained = objectValue(stage.fromPretrained);
  if (MISSPELLED_CB in fromPretrained) {
    fromPretrained.continuous_batching ??= fromPretrained[MISSPELLED_CB];
    delete fromPretrained[MISSPELLED_CB];
  }
  const compile = objectValue(stage.compile);
  for (const key of PATH_KWARGS) {
    const v = compile[key];
    if (typeof v === 'string') compile[key] = resolveConfigRelative(configDir, v) ?? v;
  }
  Object.assign(compile, MODE_TABLE[stage.mode].passes);
  const env: Record<string, string> = {};
  for (const p of props(stage.env)) {
    const v = p.value ? getNodeValue(p.value) : undefined;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') env[p.name] = stringValue(p.value) ?? String(v);
  }
  const { psl, ctx } = effectiveLengths(stage);
  const ccl = stageCcl(stage);
  const kv = family ? kvEstimate(family, stage.mode, {
    prefillSeqLen: psl, ctxLen: ctx,
    mxint8: compileBool(stage, 'mxint8_kv_cache').value ?? DEFAULTS.mxint8_kv_cache,
    kvCacheBatchSize: compileInt(stage, 'kv_cache_batch_size').value,
    fullBatchSize: compileInt(stage, 'full_batch_size').value,
    batchSize: compileInt(stage, 'batch_size').value,
  }) : undefined;
  return {
    stage: stage.key, mode: stage.mode, fromPretrained, compile, env,
    kvBytesPerSlot: kv?.bytesPerSlot ?? null,
    kvSlots: kv?.slots ?? (compileInt(stage, 'kv_cache_batch_size').value ?? compileInt(stage, 'full_batch_size').value ?? compileInt(stage, 'batch_size').value ?? 1),
    kvBytesTotal: kv?.bytesTotal ?? null,
    kvApproximate: kv?.approximate ?? false,
    ccl: ccl ? { kwarg: ccl.usedName, effective: ccl.effective, ctxLen: ccl.ctxLen } : null,
  };
}
