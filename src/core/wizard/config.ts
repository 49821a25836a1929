// State <-> config text. A new config is rendered from the wizard's values; Edit in Wizard applies, to the
// file's own text, one jsonc-parser `modify` per path whose value the user changed, so comments, unknown
// keys and key order stay as they were.
import { findNodeAtLocation, getNodeValue, type Node } from 'jsonc-parser';
import { applyTextEdits, setValueEdits } from '../fixes';
import { parseDocument } from '../parse';
import { escapeJsonText, printable } from '../printable';
import { resolvePath } from '../paths';
import { MODE_DEFINING_KWARGS, naturalDecode } from '../modeTable';
import { FAMILIES, type Family, type Mode, type PrefillMode, type StageKey } from '../types';
import {
  emptyStage, isBoolParam, isEnvParam, isIntText, isRelevant, modeParams, MODES_OF, paramField, paramLocation, PARAMS,
  stageKeys, withDefaults, type ConfigValue, type ConfigValues, type ParamName, type StageChoice, type StageFields, type WizardState,
} from './state';
import { emptyServing, SERVING_FIELDS, servingText, servingValues, type ServingState } from './serving';

const STAGE_KEYS: readonly StageKey[] = ['prefill', 'decode'];

/** Text typed in a field -> the JSON value written: integers as numbers, other numbers too (the schema says why not), else the text. */
export function textToValue(name: ParamName, text: string): ConfigValue | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (name === 'node_precision_info' || isEnvParam(name)) return t;
  if (isIntText(t)) return Number(t);
  if (/^-?\d*\.\d+(e[+-]?\d+)?$|^-?\d+e[+-]?\d+$/i.test(t)) return Number(t);
  return t;
}

/** The values the wizard writes, by field id; a stage that is written has the marker key "prefill"/"decode". */
export function configValues(state: WizardState): ConfigValues {
  const v: ConfigValues = {};
  const model = state.model.trim();
  if (model) v.model = model;
  if (state.family !== 'auto') v.family = state.family;
  if (state.qefficientVersion.trim()) v.qefficientVersion = state.qefficientVersion.trim();
  for (const k of stageKeys(state.stages)) {
    const s = state[k];
    v[k] = true;
    if (s.mode) v[`${k}.mode`] = s.mode;
    for (const name of modeParams(k, s.mode)) {
      if (!isRelevant(k, s, name)) continue;
      const raw = s[name];
      const value = typeof raw === 'string' ? textToValue(name, raw) : raw ?? undefined;
      if (value !== undefined) v[paramField(k, name)] = value;
    }
  }
  // "serving" launches the pair: written only with both stages.
  if (state.serving?.enabled && state.stages === 'both') {
    v.serving = true;
    for (const [f, value] of Object.entries(servingValues(state.serving))) v[`serving.${f}`] = value;
  }
  return v;
}

function isStageMarker(key: string): key is StageKey {
  return (STAGE_KEYS as readonly string[]).includes(key);
}

/** The keys that say a section is written: a stage's, and "serving". */
function isSectionMarker(key: string): boolean {
  return isStageMarker(key) || key === 'serving';
}


/** One comment line saying what the pair is for. */
export function describePair(values: ConfigValues): string {
  const p = values['prefill.mode'] as Mode | undefined;
  const d = values['decode.mode'] as Mode | undefined;
  if (values.prefill && values.decode && p && d) {
    if (naturalDecode(p as PrefillMode) === d) {
      return p === 'chunking'
        ? `${p} prefill + ${d} decode: prefix caching and multi-turn chat (the natural pair)`
        : `${p} prefill + ${d} decode: the least DDR (the natural pair)`;
    }
    return `${p} prefill + ${d} decode`;
  }
  if (values.prefill && p) return `a prefill-only QPC in mode ${p}`;
  if (values.decode && d) return `a decode-only QPC in mode ${d}`;
  return 'a disaggregated-serving config';
}

/** Lists of numbers, and lists of them, on one line ("deviceGroups": [[0, 1], [2, 3]]); string literals untouched. */
function compactNumberLists(json: string): string {
  return json.split(/("(?:[^"\\]|\\.)*")/).map((part, i) => i % 2 ? part : part
    .replace(/\[\s*(-?\d+(?:,\s*-?\d+)*)\s*\]/g, (_, list: string) => `[${list.split(/,\s*/).join(', ')}]`)
    .replace(/\[\s*((?:\[[^[\]]*\],?\s*)+)\]/g, (_, groups: string) => `[${groups.trim().split(/\],\s*/).join('], ')}]`)).join('');
}

/** The text of a new config: one comment line, then the values as 2-space JSON in the examples' key order. */
export function renderNewConfig(values: ConfigValues): string {
  const root: Record<string, unknown> = {};
  for (const key of ['model', 'family', 'qefficientVersion']) if (values[key] !== undefined) root[key] = values[key];
  for (const k of STAGE_KEYS) {
    if (!values[k]) continue;
    const stage: Record<string, unknown> = {};
    if (values[`${k}.mode`] !== undefined) stage.mode = values[`${k}.mode`];
    const order = modeParams(k, (values[`${k}.mode`] as Mode | undefined) ?? '');
    for (const prefix of ['from_pretrained', 'compile', 'env']) {
      const obj: Record<string, unknown> = {};
      for (const n of order) {
        const v = values[paramField(k, n)];
        if (v !== undefined && paramLocation(n).startsWith(`${prefix}.`)) obj[n] = v;
      }
      if (Object.keys(obj).length) stage[prefix] = obj;
    }
    root[k] = stage;
  }
  if (values.serving) {
    const serving: Record<string, Record<string, unknown> | unknown> = {};
    for (const f of SERVING_FIELDS) {
      const v = values[`serving.${f}`];
      if (v === undefined) continue;
      const [a, b] = f.split('.');
      if (b) ((serving[a] ??= {}) as Record<string, unknown>)[b] = v;
      else serving[a] = v;
    }
    root.serving = serving;
  }
  const modelNote = typeof values.model === 'string' ? `${printable(values.model)}: ` : '';
  return `// ${modelNote}${describePair(values)}. Written by the qeff-disagg wizard.\n${escapeJsonText(compactNumberLists(JSON.stringify(root, null, 2)))}\n`;
}


function nodeAt(text: string, path: (string | number)[]): Node | undefined {
  const { root } = parseDocument(text);
  return root ? findNodeAtLocation(root, path) : undefined;
}

/**
 * The file's text with the user's changes: for each field whose value differs from the value it had when
 * the file was loaded, one `modify` of that path (through setValueEdits, which formats like the file).
 * Stages no longer chosen are removed whole; on a mode change the mode-defining kwargs written in that stage
 * (prefill_only, enable_chunking, retain_full_kv) are removed, since the mode implies them; an object the
 * changes emptied (e.g. "env": {}) is removed too.
 */
export function editText(base: string, loaded: ConfigValues, current: ConfigValues): string {
  let text = base;
  const set = (path: string[], value: ConfigValue | undefined) => {
    if (value === undefined && !nodeAt(text, path)) return; // nothing to remove
    text = applyTextEdits(text, setValueEdits(text, path, value).map(e => ({ ...e, newText: escapeJsonText(compactNumberLists(e.newText)) })));
  };
  const hadChildren = (path: string[]) => (nodeAt(base, path)?.children?.length ?? 0) > 0;
  for (const k of [...STAGE_KEYS, 'serving']) if (loaded[k] && !current[k]) set([k], undefined);
  const keys = [...Object.keys(current), ...Object.keys(loaded).filter(key => !(key in current))];
  for (const key of keys) {
    if (isSectionMarker(key)) continue;
    const section = key.split('.')[0];
    if (isSectionMarker(section) && !current[section]) continue;
    if (JSON.stringify(loaded[key]) !== JSON.stringify(current[key])) set(key.split('.'), current[key]);
  }
  for (const k of STAGE_KEYS) {
    if (!current[k]) continue;
    if (loaded[`${k}.mode`] !== current[`${k}.mode`]) {
      for (const implied of MODE_DEFINING_KWARGS) {
        if (implied === 'prefill_seq_len') continue; // a real parameter of prefill stages
        set([k, 'compile', implied], undefined);
      }
    }
    for (const container of ['from_pretrained', 'compile', 'env']) {
      const node = nodeAt(text, [k, container]);
      if (node?.type === 'object' && !node.children?.length && hadChildren([k, container])) set([k, container], undefined);
    }
  }
  return text;
}

/**
 * After Edit in Wizard saved: the file now holds the wizard's values and the text written, so later changes
 * are measured from them (changing a value back to what the file first held must still be written).
 */
export function markSaved(state: WizardState, writtenText = configText(state)): WizardState {
  if (!state.edit) return state;
  return { ...state, edit: { ...state.edit, baseText: writtenText, loaded: configValues(state) } };
}

/** Absolute path of the config the state describes. */
export function configPathOf(state: WizardState): string {
  return state.edit ? state.edit.path : resolvePath(state.folder || '/', state.fileName || 'untitled.qeff.json');
}

/** The config text the wizard would write now. */
export function configText(state: WizardState): string {
  const values = configValues(state);
  return state.edit ? editText(state.edit.baseText, state.edit.loaded, values) : renderNewConfig(values);
}

export type LoadResult = { ok: true; state: WizardState } | { ok: false; message: string };

function str(node: Node | undefined): string | undefined {
  return node?.type === 'string' ? String(node.value) : undefined;
}

function readStage(key: StageKey, obj: Node): StageFields {
  const modeText = str(findNodeAtLocation(obj, ['mode']));
  const mode = modeText !== undefined && (MODES_OF[key] as readonly string[]).includes(modeText) ? (modeText as Mode) : '';
  const s = emptyStage(mode);
  for (const name of PARAMS) {
    const n = findNodeAtLocation(obj, paramLocation(name).split('.'));
    if (isBoolParam(name)) {
      if (n?.type === 'boolean') s[name] = Boolean(n.value);
    } else if (n?.type === 'string' || n?.type === 'number') s[name] = String(n.value);
  }
  s.touched = [...PARAMS];
  return s;
}

/** The Serving step of a loaded file: every field it holds is set; the rest follow their defaults. */
function readServing(obj: Node | undefined): ServingState {
  const sv = emptyServing();
  if (obj?.type !== 'object') return sv;
  sv.enabled = true;
  for (const f of SERVING_FIELDS) {
    const n = findNodeAtLocation(obj, f.split('.'));
    const text = n ? servingText(getNodeValue(n)) : undefined;
    if (text !== undefined) {
      sv.values[f] = text;
      sv.touched.push(f);
    }
  }
  return sv;
}

/** A hub id looks like "owner/name"; anything else (./x, /x, x) is a local folder. */
export function looksLikeHubId(model: string): boolean {
  return /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(model) && !model.startsWith('.');
}

/**
 * The wizard state of an existing config, for Edit in Wizard. Every parameter the file holds is marked as
 * set, so nothing follows a default; `edit.loaded` records the values the file had.
 */
export function stateFromText(text: string, target: { uri: string; path: string }, folderForNew = ''): LoadResult {
  const parsed = parseDocument(text);
  if (!parsed.root || parsed.problems.length) {
    return { ok: false, message: parsed.problems[0]?.message ?? 'The file is not valid JSON with comments.' };
  }
  if (parsed.root.type !== 'object') return { ok: false, message: 'The config is not a JSON object.' };
  const root = parsed.root;
  const model = str(findNodeAtLocation(root, ['model'])) ?? '';
  const familyText = str(findNodeAtLocation(root, ['family']));
  const present = STAGE_KEYS.filter(k => findNodeAtLocation(root, [k])?.type === 'object');
  const stages: StageChoice = present.length === 1 ? present[0] : 'both';
  const read = (k: StageKey, fallback: Mode) => {
    const obj = findNodeAtLocation(root, [k]);
    return obj?.type === 'object' ? readStage(k, obj) : emptyStage(fallback);
  };
  let state: WizardState = {
    schemaVersion: 1, step: 0,
    modelSource: model === '' || looksLikeHubId(model) ? 'hub' : 'local',
    model,
    family: familyText !== undefined && (FAMILIES as readonly string[]).includes(familyText) ? (familyText as Family) : 'auto',
    qefficientVersion: str(findNodeAtLocation(root, ['qefficientVersion'])) ?? '',
    stages,
    prefill: read('prefill', 'chunking'),
    decode: read('decode', 'full-kv'),
    folder: folderForNew,
    fileName: target.path.replace(/\\/g, '/').split('/').pop() ?? '',
    fileNameTouched: true,
    serving: readServing(findNodeAtLocation(root, ['serving'])),
  };
  state = withDefaults(state);
  state.edit = { uri: target.uri, path: target.path, baseText: text, loaded: configValues(state) };
  return { ok: true, state };
}

/** The JSON value at a field id in a text (for tests and the review). */
export function valueAt(text: string, field: string): unknown {
  const node = nodeAt(text, field.split('.'));
  return node ? getNodeValue(node) : undefined;
}
