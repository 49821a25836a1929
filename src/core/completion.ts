// Completion: keys valid at the cursor (the stage mode's own kwargs first), enum values (modes of that
// stage, "0"/"1" for ENABLE_OPT_SWA), booleans, and a snippet per stage mode.
import { findNodeAtOffset, getLocation, type Node } from 'jsonc-parser';
import { buildView } from './configView';
import { prop, props } from './jsonNodes';
import { FORBIDDEN_COMPILE_KWARGS } from './knownKeys';
import { MODE_TABLE } from './modeTable';
import type { CheckOptions } from './types';
import { ALL_VERSION_COMPILE_KEYS, compileTakes } from './versionTable';
import { parseDocument } from './parse';
import { docOf, enumDocOf, resolveSchema, schemaAt, SCHEMA, type SchemaNode } from './schemaDocs';

export interface CompletionEntry {
  label: string;
  kind: 'property' | 'value' | 'snippet';
  /** Snippet syntax ($1, ${1:x}, ${1|a,b|}). */
  insertText: string;
  /** The text range the insert replaces. */
  offset: number;
  length: number;
  documentation?: string;
  detail?: string;
  sortText: string;
  /** Accept when typed text matches this (for keys typed without the opening quote). */
  filterText?: string;
}

function escapeSnippet(s: string): string {
  return s.replace(/[\\$}]/g, m => '\\' + m);
}

function valueSnippet(schema: SchemaNode | undefined, name: string): string {
  const s = resolveSchema(schema);
  if (s?.enum?.length) return `\${1|${s.enum.map(v => escapeSnippet(JSON.stringify(v)).replace(/[,|]/g, m => '\\' + m)).join(',')}|}`;
  const types = ([] as string[]).concat(s?.type ?? []);
  if (types.includes('boolean')) return '${1|true,false|}';
  if (types.includes('integer') || types.includes('number')) return `\${1:${DEFAULT_NUMBERS[name] ?? 1}}`;
  if (types.includes('object')) return '{$1}';
  if (types.includes('array')) return '[$1]';
  return '"$1"';
}

const DEFAULT_NUMBERS: Record<string, number> = {
  prefill_seq_len: 256, ctx_len: 8192, num_cores: 16, num_devices: 1, full_batch_size: 4, kv_cache_batch_size: 4,
  batch_size: 1, mos: 1, moe_prefill_packed_chunk_size: 256, mdp_num_partitions: 1, NUM_Q_BLOCKS: 1, NUM_FFN_BLOCKS: 1,
};

/** `options.qefficientVersion`: the caller's target version (the config's own wins), for the kwargs offered. */
export function completionsAt(text: string, offset: number, options: Pick<CheckOptions, 'qefficientVersion'> = {}): CompletionEntry[] {
  const { root } = parseDocument(text);
  const loc = getLocation(text, offset);
  const node = root ? findNodeAtOffset(root, offset, true) : undefined;
  if (loc.isAtPropertyKey || (!root && offset <= 1)) return keyCompletions(text, offset, root, loc.path.slice(0, -1), node, options);
  return valueCompletions(offset, loc.path, node);
}

/** The range to replace: the string token under the cursor, else nothing (pure insertion). */
function tokenRange(node: Node | undefined, offset: number, kind: 'string' | 'value'): { offset: number; length: number } {
  if (node && (kind === 'value' || node.type === 'string') && node.type !== 'object' && node.type !== 'array'
    && node.offset <= offset && offset <= node.offset + node.length) {
    return { offset: node.offset, length: node.length };
  }
  return { offset, length: 0 };
}

function objectAt(root: Node | undefined, path: (string | number)[]): Node | undefined {
  let node = root;
  for (const seg of path) node = typeof seg === 'string' ? prop(node, seg)?.value : undefined;
  return node?.type === 'object' ? node : undefined;
}

function keyCompletions(text: string, offset: number, root: Node | undefined, objPath: (string | number)[], node: Node | undefined, options: Pick<CheckOptions, 'qefficientVersion'>): CompletionEntry[] {
  const schema = schemaAt(objPath);
  if (!schema?.properties) return [];
  const obj = objectAt(root, objPath);
  const present = new Set(props(obj).map(p => p.name));
  const range = tokenRange(node, offset, 'string');
  const hasColonAfter = /^\s*:/.test(text.slice(range.offset + range.length));
  const needsComma = /^\s*"/.test(text.slice(range.offset + range.length)) && !hasColonAfter;
  const stageKey = objPath[0];
  const view = root && (stageKey === 'prefill' || stageKey === 'decode') ? buildView(root, options) : undefined;
  const mode = view?.stages.find(s => s.key === stageKey)?.mode;
  const info = mode ? MODE_TABLE[mode] : undefined;
  const first = new Set(!info ? [] : objPath[1] === 'compile' ? info.kwargs : objPath[1] === 'env' ? info.env : objPath[1] === 'from_pretrained' ? info.fromPretrained : []);
  const implied = info?.implied ?? {};
  const out: CompletionEntry[] = [];
  for (const [name, sub] of Object.entries(schema.properties)) {
    if (present.has(name) || (FORBIDDEN_COMPILE_KWARGS as readonly string[]).includes(name)) continue;
    if (objPath[1] === 'compile' && name in implied) continue; // the mode sets it
    // A kwarg of other QEfficient versions would reach the target's compiler as a flag (QEFF-VER-01).
    if (objPath[1] === 'compile' && view && ALL_VERSION_COMPILE_KEYS.includes(name) && !compileTakes(view.version, name)) continue;
    if (objPath[1] === 'compile' && stageKey === 'prefill' && name === 'retain_full_kv') continue;
    if (objPath[1] === 'env' && stageKey === 'decode') continue;
    if (objPath[1] === 'env' && mode === 'chunking') continue;
    const insertText = JSON.stringify(name) + (hasColonAfter ? '' : `: ${valueSnippet(sub, name)}`) + (needsComma ? ',' : '');
    out.push({
      label: name, kind: 'property', insertText, ...range, documentation: docOf(resolveSchema(sub)),
      sortText: `${first.has(name) ? '0' : '1'}${String(first.has(name) ? [...first].indexOf(name) : 0).padStart(2, '0')}${name}`,
      filterText: range.length ? JSON.stringify(name) : name,
    });
  }
  // A snippet per stage mode where a stage may be added.
  if (objPath.length === 0 && !hasColonAfter) {
    for (const stage of ['prefill', 'decode'] as const) {
      if (present.has(stage)) continue;
      const def = resolveSchema(SCHEMA.properties?.[stage]);
      for (const snip of def?.defaultSnippets ?? []) {
        const body = escapeSnippet(JSON.stringify(snip.body, null, 2)).replace(/\n/g, '\n');
        out.push({
          label: snip.label, kind: 'snippet', insertText: `${JSON.stringify(stage)}: ${body}${needsComma ? ',' : ''}`, ...range,
          documentation: snip.markdownDescription ?? snip.description, sortText: `2${snip.label}`,
          filterText: range.length ? JSON.stringify(stage) : stage,
        });
      }
    }
  }
  return out;
}

function valueCompletions(offset: number, path: (string | number)[], node: Node | undefined): CompletionEntry[] {
  if (!path.length) return [];
  const schema = schemaAt(path);
  const range = tokenRange(node?.type === 'property' ? node.children?.[1] : node, offset, 'value');
  const out: CompletionEntry[] = [];
  const isBoolean = ([] as string[]).concat(schema?.type ?? []).includes('boolean');
  const values: unknown[] = schema?.enum ?? (isBoolean ? [true, false] : []);
  values.forEach((v, i) => out.push({
    label: JSON.stringify(v), kind: 'value', insertText: escapeSnippet(JSON.stringify(v)), ...range,
    documentation: enumDocOf(schema, v), sortText: String(i).padStart(2, '0'),
  }));
  // A stage-mode snippet fills an empty stage object.
  if (schema?.defaultSnippets && (path.length === 1) && node?.type === 'object' && !node.children?.length) {
    for (const snip of schema.defaultSnippets) {
      out.push({ label: snip.label, kind: 'snippet', insertText: escapeSnippet(JSON.stringify(snip.body, null, 2)),
        offset: node.offset, length: node.length, documentation: snip.markdownDescription ?? snip.description, sortText: `2${snip.label}` });
    }
  }
  return out;
}
