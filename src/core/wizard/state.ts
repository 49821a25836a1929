// The wizard's state: what the user chose, as plain JSON (the webview keeps it with setState and sends it to
// the extension on save), the defaults per mode and which parameters each mode uses. Pure: no vscode, no DOM.
import { familyFromModelId } from '../family';
import { Q_BLOCK_SIZE } from '../model';
import { BLOCKING_ENV, MODE_TABLE } from '../modeTable';
import { DECODE_MODES, PREFILL_MODES, type Family, type Mode, type StageKey } from '../types';
import { emptyServing, servingDefaults, type ServingField, type ServingState, type ServingValue } from './serving';

export type StageChoice = 'prefill' | 'decode' | 'both';
export type FamilyChoice = 'auto' | Family;
export type ModelSource = 'hub' | 'local';

/** Parameters typed as text ('' = not written: QEfficient's default applies). Integers are written as numbers. */
export const TEXT_PARAMS = ['prefill_seq_len', 'ctx_len', 'num_cores', 'num_devices', 'full_batch_size', 'kv_cache_batch_size', 'node_precision_info'] as const;
/** Checkboxes (null = not written: QEfficient's default, false, applies). */
export const BOOL_PARAMS = ['mxfp6_matmul', 'mxint8_kv_cache', 'use_onnx_subfunctions', 'continuous_batching'] as const;
/** Environment variables of the exporting process (blocking only), as strings ('' = not set). */
export const ENV_PARAMS = BLOCKING_ENV;

export type TextParam = typeof TEXT_PARAMS[number];
export type BoolParam = typeof BOOL_PARAMS[number];
export type EnvParam = typeof ENV_PARAMS[number];
export type ParamName = TextParam | BoolParam | EnvParam;
export const PARAMS: readonly ParamName[] = [...TEXT_PARAMS, ...BOOL_PARAMS, ...ENV_PARAMS];

export type StageFields = { mode: Mode | '' } & Record<TextParam | EnvParam, string> & Record<BoolParam, boolean | null> & {
  /** Parameters the user set (or the loaded file holds): they no longer follow the mode's defaults. */
  touched: ParamName[];
};

/** Edit in Wizard: the file being edited, its text when loaded and the wizard's values at that moment. */
export interface EditTarget {
  uri: string;
  /** Absolute file-system path of the config (relative paths in it resolve against its folder). */
  path: string;
  baseText: string;
  /** configValues() of the state as loaded: a path is written back only when its value differs from this. */
  loaded: ConfigValues;
}

export interface WizardState {
  schemaVersion: 1;
  step: number;
  modelSource: ModelSource;
  model: string;
  family: FamilyChoice;
  /** '' = not written: the detected version, else the latest. */
  qefficientVersion: string;
  stages: StageChoice;
  prefill: StageFields;
  decode: StageFields;
  /** Folder of a new config (absolute). */
  folder: string;
  fileName: string;
  fileNameTouched: boolean;
  /** The Serving step (absent in a state kept by an earlier version: no serving section). */
  serving?: ServingState;
  edit?: EditTarget;
}

/** A JSON value the wizard writes at a managed path ("prefill.compile.ctx_len"); absent paths are not written. */
export type ConfigValue = string | number | boolean | ServingValue;
export type ConfigValues = Record<string, ConfigValue>;

export const STEPS = ['model', 'stages', 'modes', 'parameters', 'serving', 'review'] as const;
export type StepId = typeof STEPS[number];
/** The index of a step (the schema's step maximum is STEPS.length - 1: test/unit/wizard.test.ts). */
export const stepIndex = (id: StepId): number => STEPS.indexOf(id);

export const MODES_OF: Record<StageKey, readonly Mode[]> = { prefill: PREFILL_MODES, decode: DECODE_MODES };

export function stageKeys(choice: StageChoice): StageKey[] {
  return choice === 'both' ? ['prefill', 'decode'] : [choice];
}

export function isBoolParam(n: string): n is BoolParam { return (BOOL_PARAMS as readonly string[]).includes(n); }
export function isEnvParam(n: string): n is EnvParam { return (ENV_PARAMS as readonly string[]).includes(n); }
export function isParamName(n: string): n is ParamName { return (PARAMS as readonly string[]).includes(n); }

/**
 * Kwargs of the mode table the wizard has no field for: tuning knobs with no default worth offering. They
 * stay in the editor (completion offers them); the wizard keeps them when it edits a file.
 */
export const EDITOR_ONLY_KWARGS: readonly string[] = ['mos', 'aic_enable_depth_first', 'moe_prefill_packed_chunk_size', 'user_tiled'];

/** from_pretrained() kwargs of any mode: the others are compile() kwargs or environment variables. */
const FROM_PRETRAINED_KWARGS = new Set(Object.values(MODE_TABLE).flatMap(m => m.fromPretrained));

/** Where a parameter lives in a stage: "compile.ctx_len", "from_pretrained.continuous_batching", "env.NUM_Q_BLOCKS". */
export function paramLocation(name: ParamName): string {
  if (FROM_PRETRAINED_KWARGS.has(name)) return `from_pretrained.${name}`;
  if (isEnvParam(name)) return `env.${name}`;
  return `compile.${name}`;
}

/** The field id of a parameter: its JSON path joined with dots ("decode.compile.ctx_len"). */
export function paramField(stage: StageKey, name: ParamName): string {
  return `${stage}.${paramLocation(name)}`;
}

const modeParamsCache = new Map<string, readonly ParamName[]>();

/**
 * The wizard's parameters of a stage in `mode`, in the mode table's order: its from_pretrained kwargs, its
 * compile kwargs, its environment variables. With no mode yet: those of every mode of the stage, without
 * the environment (only the blocking graph reads it). The form and a new config list them in this order.
 */
export function modeParams(key: StageKey, mode: Mode | ''): readonly ParamName[] {
  const cacheKey = `${key}/${mode}`;
  let out = modeParamsCache.get(cacheKey);
  if (!out) {
    const infos = mode ? [MODE_TABLE[mode]] : MODES_OF[key].map(m => MODE_TABLE[m]);
    out = [...new Set(infos.flatMap(i => [...i.fromPretrained, ...i.kwargs, ...(mode ? i.env : [])]))].filter(isParamName);
    modeParamsCache.set(cacheKey, out);
  }
  return out;
}

export function emptyStage(mode: Mode | ''): StageFields {
  const values = Object.fromEntries(PARAMS.map(n => [n, isBoolParam(n) ? null : ''])) as Omit<StageFields, 'mode' | 'touched'>;
  return { ...values, mode, touched: [] };
}

/** A new config: gpt-oss via the hub, both stages as the natural chunking + full-KV pair, every default filled. */
export function initialState(folder: string, qefficientVersion = ''): WizardState {
  return withDefaults({
    schemaVersion: 1, step: 0, modelSource: 'hub', model: '', family: 'auto',
    // A detected version has up to four parts (1.22.8.0); a config writes at most three (the schema's pattern).
    qefficientVersion: qefficientVersion.split('.').slice(0, 3).join('.'),
    stages: 'both', prefill: emptyStage('chunking'), decode: emptyStage('full-kv'),
    folder, fileName: '', fileNameTouched: false, serving: emptyServing(),
  });
}

/**
 * Which parameters a stage in a mode writes (the others are hidden and not written): those of its mode, the
 * batch sizes only once continuous batching is on (they size it).
 */
export function isRelevant(key: StageKey, s: StageFields, name: ParamName): boolean {
  if (!modeParams(key, s.mode).includes(name)) return false;
  return name === 'full_batch_size' || name === 'kv_cache_batch_size' ? s.continuous_batching === true : true;
}

export function isIntText(v: string): boolean {
  return /^\s*-?\d+\s*$/.test(v);
}

/**
 * The sensible default of each parameter for a stage in its mode, given the other stage (the decode stage
 * follows the prefill's ctx_len for chunking + full-KV, and its mxint8_kv_cache: the handoff needs both).
 */
export function stageDefaults(key: StageKey, s: StageFields, prefill?: StageFields): Record<ParamName, string | boolean | null> {
  const m = s.mode;
  const psl = isIntText(s.prefill_seq_len) ? Number(s.prefill_seq_len) : undefined;
  const blocks = psl !== undefined ? String(Math.max(1, Math.floor(psl / Q_BLOCK_SIZE))) : '1';
  const cb = m !== 'blocking';
  const fbs = m === 'swa-retain' || m === 'full-kv' ? '4' : '';
  const decodeFollowsPrefill = key === 'decode' && prefill !== undefined;
  return {
    prefill_seq_len: key !== 'prefill' ? '' : m === 'blocking' ? '256' : '128',
    ctx_len: m === 'blocking' ? (psl !== undefined ? String(psl) : '')
      : decodeFollowsPrefill && prefill.mode === 'chunking' && m === 'full-kv' && isIntText(prefill.ctx_len) ? prefill.ctx_len : '8192',
    num_cores: '16',
    num_devices: '1',
    full_batch_size: fbs,
    // full-KV keeps a KV slot per decode slot (and more for prefix caching); chunking needs slots for prefix caching.
    kv_cache_batch_size: m === 'chunking' ? '4' : m === 'full-kv' ? (isIntText(s.full_batch_size) ? s.full_batch_size.trim() : '4') : '',
    node_precision_info: '',
    mxfp6_matmul: true,
    mxint8_kv_cache: decodeFollowsPrefill && prefill.mxint8_kv_cache !== null ? prefill.mxint8_kv_cache : true,
    use_onnx_subfunctions: key === 'prefill',
    continuous_batching: cb ? true : null,
    NUM_Q_BLOCKS: m === 'blocking' ? blocks : '',
    // Merely setting NUM_FFN_BLOCKS switches on the blocked FFN (gpt_oss/modeling_gpt_oss.py,
    // QEffPrefillOnlyGptOssMLP.forward, release/v1.21.6 .. main); upstream's example sets none.
    NUM_FFN_BLOCKS: '',
    ENABLE_OPT_SWA: m === 'blocking' ? '1' : '',
  };
}

function applyStageDefaults(key: StageKey, s: StageFields, prefill?: StageFields): StageFields {
  const out: StageFields = { ...s, touched: [...s.touched] };
  // Two passes: ctx_len follows prefill_seq_len, kv_cache_batch_size follows full_batch_size.
  for (let pass = 0; pass < 2; pass++) {
    const d = stageDefaults(key, out, prefill);
    for (const name of PARAMS) {
      if (out.touched.includes(name)) continue;
      (out as Record<ParamName, unknown>)[name] = d[name];
    }
  }
  return out;
}

/** Every parameter nobody set takes its default (a loaded file marks all its stages' parameters as set). */
export function withDefaults(state: WizardState): WizardState {
  const prefill = applyStageDefaults('prefill', state.prefill);
  const decode = applyStageDefaults('decode', state.decode, state.stages === 'both' ? prefill : undefined);
  const next = { ...state, prefill, decode };
  const sv = state.serving ?? emptyServing();
  const d = servingDefaults({ prefill: prefill.num_devices, decode: decode.num_devices });
  next.serving = { ...sv, values: { ...sv.values, ...Object.fromEntries(Object.entries(d).filter(([f]) => !sv.touched.includes(f as ServingField))) } };
  if (!next.fileNameTouched && !next.edit) next.fileName = suggestedFileName(next);
  return next;
}

export function effectiveFamily(state: WizardState, inferred?: Family): Family | undefined {
  if (state.family !== 'auto') return state.family;
  return inferred ?? familyFromModelId(state.model);
}

/** "gpt-oss-120b-chunking-full-kv.qeff.json", like the examples. */
export function suggestedFileName(state: WizardState): string {
  const base = (familyFromModelId(state.model) ?? (state.family !== 'auto' ? state.family : undefined) ?? 'gpt-oss')
    + stageKeys(state.stages).map(k => (state[k].mode ? `-${state[k].mode}` : '')).join('');
  return `${base}.qeff.json`;
}

// ---- Updates: every change goes through one of these, so the webview and the tests share one logic. ------

export type WizardChange =
  | { kind: 'model'; value: string }
  | { kind: 'modelSource'; value: ModelSource }
  | { kind: 'family'; value: FamilyChoice }
  | { kind: 'qefficientVersion'; value: string }
  | { kind: 'stages'; value: StageChoice }
  | { kind: 'mode'; stage: StageKey; value: Mode }
  | { kind: 'param'; stage: StageKey; name: ParamName; value: string | boolean | null }
  | { kind: 'folder'; value: string }
  | { kind: 'fileName'; value: string }
  | { kind: 'serving'; value: boolean }
  | { kind: 'servingField'; name: ServingField; value: string }
  | { kind: 'step'; value: number };

export function applyChange(state: WizardState, c: WizardChange): WizardState {
  switch (c.kind) {
    case 'model': return withDefaults({ ...state, model: c.value });
    case 'modelSource': return withDefaults({ ...state, modelSource: c.value });
    case 'family': return withDefaults({ ...state, family: c.value });
    case 'qefficientVersion': return { ...state, qefficientVersion: c.value };
    case 'stages': return withDefaults({ ...state, stages: c.value });
    case 'folder': return { ...state, folder: c.value };
    case 'fileName': return { ...state, fileName: c.value, fileNameTouched: true };
    case 'step': return { ...state, step: Math.max(0, Math.min(STEPS.length - 1, c.value)) };
    case 'serving': return withDefaults({ ...state, serving: { ...(state.serving ?? emptyServing()), enabled: c.value } });
    case 'servingField': {
      const sv = state.serving ?? emptyServing();
      const touched = sv.touched.includes(c.name) ? sv.touched : [...sv.touched, c.name];
      return withDefaults({ ...state, serving: { ...sv, values: { ...sv.values, [c.name]: c.value }, touched } });
    }
    case 'mode': {
      if (!(MODES_OF[c.stage] as readonly string[]).includes(c.value)) return state;
      const before = state[c.stage];
      const s: StageFields = { ...before, mode: c.value, touched: [...before.touched] };
      // A parameter the new mode uses and the old one did not, with no value yet, takes the mode's default
      // (switching to chunking sets up prefix caching) even in a loaded file.
      for (const name of PARAMS) {
        const newlyUsed = isRelevant(c.stage, s, name) && !isRelevant(c.stage, before, name);
        if (newlyUsed && (s[name] === '' || s[name] === null)) s.touched = s.touched.filter(t => t !== name);
      }
      if (before.mode === 'blocking') {
        // Leaving blocking: continuous batching may now be on, and its batch sizes take their defaults.
        for (const name of ['full_batch_size', 'kv_cache_batch_size'] as const) {
          if (s[name] === '') s.touched = s.touched.filter(t => t !== name);
        }
      }
      return withDefaults({ ...state, [c.stage]: s });
    }
    case 'param': {
      const before = state[c.stage];
      const s = { ...before, touched: before.touched.includes(c.name) ? before.touched : [...before.touched, c.name] } as StageFields;
      if (isBoolParam(c.name)) s[c.name] = typeof c.value === 'boolean' ? c.value : null;
      else s[c.name] = typeof c.value === 'string' ? c.value : '';
      if (c.name === 'continuous_batching' && c.value === true) {
        // Turning continuous batching on: its batch sizes take their defaults unless already given.
        for (const name of ['full_batch_size', 'kv_cache_batch_size'] as const) {
          if (s[name] === '') s.touched = s.touched.filter(t => t !== name);
        }
      }
      return withDefaults({ ...state, [c.stage]: s });
    }
  }
}
