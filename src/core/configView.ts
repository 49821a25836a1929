// A typed view of a parsed config: the model, the family, the target version and each stage with the
// nodes rules need. Values of the wrong type read as undefined (the schema reports them).
import type { Node } from 'jsonc-parser';
import { booleanValue, integerValue, isNull, isObject, prop, stringValue, type Prop } from './jsonNodes';
import { MISSPELLED_CB } from './knownKeys';
import { DECODE_MODES, FAMILIES, PREFILL_MODES, type CheckOptions, type Family, type Mode, type StageKey } from './types';
import { parseVersion, type Version } from './version';
import { inferFamily } from './family';
import { lengthsWithDefaults } from './modeTable';

export interface StageView {
  key: StageKey;
  /** The stage property ("prefill": {...}). */
  prop: Prop;
  obj: Node;
  /** The mode value when it is a valid mode of this stage. */
  mode: Mode | undefined;
  modeProp: Prop | undefined;
  /** True when the mode is a valid mode of the other stage (QEFF-MODE-03): mode rules are skipped. */
  modeOfOtherStage: boolean;
  compile: Node | undefined;
  compileProp: Prop | undefined;
  fromPretrained: Node | undefined;
  env: Node | undefined;
  envProp: Prop | undefined;
  /** from_pretrained.continuous_batching (or its misspelling) is true, or from_pretrained.full_batch_size is set. */
  cb: boolean;
  /**
   * from_pretrained.full_batch_size with a truthy value: from_pretrained pops it and turns continuous batching
   * on, dropping the value (modeling_auto.py, QEFFAutoModelForCausalLM.from_pretrained, release/v1.21.6 .. main).
   */
  cbFromFullBatchSize: Prop | undefined;
}

export interface ConfigView {
  root: Node;
  modelProp: Prop | undefined;
  model: string | undefined;
  family: Family | undefined;
  /** Where the family came from, for hover and messages. */
  familySource: 'config' | 'model id' | 'config.json' | undefined;
  version: Version | undefined;
  stages: StageView[];
  configDir: string | undefined;
  /** The caller's default QPC folders for "serving" (CheckOptions.servingQpc). */
  servingQpc: CheckOptions['servingQpc'];
}

export function stageView(key: StageKey, p: Prop): StageView | undefined {
  if (!isObject(p.value)) return undefined;
  const obj = p.value;
  const modeProp = prop(obj, 'mode');
  const modeText = stringValue(modeProp?.value);
  const own: readonly string[] = key === 'prefill' ? PREFILL_MODES : DECODE_MODES;
  const other: readonly string[] = key === 'prefill' ? DECODE_MODES : PREFILL_MODES;
  const compileProp = prop(obj, 'compile');
  const fpProp = prop(obj, 'from_pretrained');
  const envProp = prop(obj, 'env');
  const fromPretrained = isObject(fpProp?.value) ? fpProp.value : undefined;
  return {
    key, prop: p, obj,
    mode: modeText !== undefined && own.includes(modeText) ? (modeText as Mode) : undefined,
    modeProp,
    modeOfOtherStage: modeText !== undefined && other.includes(modeText),
    compile: isObject(compileProp?.value) ? compileProp.value : undefined,
    compileProp,
    fromPretrained,
    env: isObject(envProp?.value) ? envProp.value : undefined,
    envProp,
    cb: continuousBatching(fromPretrained),
    cbFromFullBatchSize: fullBatchSizeAlias(fromPretrained),
  };
}

function fullBatchSizeAlias(fp: Node | undefined): Prop | undefined {
  const p = prop(fp, 'full_batch_size');
  const v = p?.value;
  // Python truthiness: `if kwargs.pop("full_batch_size", None):`
  const truthy = !!v && (v.type === 'number' ? v.value !== 0 : v.type === 'string' ? v.value !== ''
    : v.type === 'boolean' ? v.value === true : v.type === 'null' ? false : (v.children?.length ?? 0) > 0);
  return truthy ? p : undefined;
}

function continuousBatching(fp: Node | undefined): boolean {
  return booleanValue(prop(fp, 'continuous_batching')?.value) === true
    || booleanValue(prop(fp, MISSPELLED_CB)?.value) === true
    || !!fullBatchSizeAlias(fp);
}

export function buildView(root: Node, options: CheckOptions): ConfigView {
  const configDir = options.configPath ? dirnameOf(options.configPath) : undefined;
  const modelProp = prop(root, 'model');
  const model = stringValue(modelProp?.value);
  const familyText = stringValue(prop(root, 'family')?.value);
  let family: Family | undefined;
  let familySource: ConfigView['familySource'];
  if (familyText !== undefined && (FAMILIES as readonly string[]).includes(familyText)) {
    family = familyText as Family;
    familySource = 'config';
  } else if (model !== undefined) {
    const inferred = inferFamily(model, configDir, options.host);
    family = inferred?.family;
    familySource = inferred?.source;
  }
  const version = parseVersion(stringValue(prop(root, 'qefficientVersion')?.value)) ?? parseVersion(options.qefficientVersion);
  const stages: StageView[] = [];
  for (const key of ['prefill', 'decode'] as const) {
    const p = prop(root, key);
    const view = p && stageView(key, p);
    if (view) stages.push(view);
  }
  return { root, modelProp, model, family, familySource, version, stages, configDir, servingQpc: options.servingQpc };
}

function dirnameOf(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i <= 0 ? (i === 0 ? p[0] : '.') : p.slice(0, i);
}

/** A compile kwarg's property, its integer value (if it is one) and whether it is written. */
export function compileInt(stage: StageView, name: string): { p: Prop | undefined; value: number | undefined } {
  const p = prop(stage.compile, name);
  return { p, value: integerValue(p?.value) };
}
export function compileBool(stage: StageView, name: string): { p: Prop | undefined; value: boolean | undefined } {
  const p = prop(stage.compile, name);
  return { p, value: booleanValue(p?.value) };
}
/** Written with a non-null value ("set" in the catalog). */
export function isSet(p: Prop | undefined): p is Prop {
  return !!p && !!p.value && !isNull(p.value);
}

/** Effective prefill_seq_len and ctx_len with QEfficient's defaults of the stage's mode (modeTable.ts). */
export function effectiveLengths(stage: StageView): { psl: number; ctx: number } {
  const mode = stage.mode ?? (stage.key === 'decode' ? 'swa-retain' : 'chunking');
  return lengthsWithDefaults(mode, compileInt(stage, 'prefill_seq_len').value, compileInt(stage, 'ctx_len').value);
}
