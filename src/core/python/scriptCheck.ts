// The config rules on a Python script: each stage group is synthesized as config text (synthesize.ts), checked by
// the same checkText, and every diagnostic is mapped back onto the Python node its JSON node came from. A value
// known only at run time is probed: the check runs once per probe value (each literal of the script among them)
// and a diagnostic is kept only when every run gives it with the same message, so no rule judges a guess.
import type { Tree } from 'web-tree-sitter';
import { checkText } from '../check';
import { hoverAt, type HoverResult } from '../hover';
import { LineIndex } from '../lineIndex';
import { isPythonIdentifier, pyLiteral, pyString } from '../pythonLiteral';
import type { CheckOptions, Diagnostic, Fix, TextEdit } from '../types';
import { extractFacts, type ScriptFacts } from './extract';
import type { PyValue, Span } from './literal';
import { MENTIONS_QEFFICIENT, parsePython } from './parser';
import { modelValue, notAnalysed, stageGroups, synthesize, type MapEntry, type Origin, type StageGroup, type Synthesized } from './synthesize';

/** The code of the "not analysed" hint (docs/rules.md, "Python scripts"); not a rule of the catalog. */
export const NOT_ANALYSED = 'QEFF-SCRIPT';

export interface ScriptAnalysis {
  text: string;
  lines: LineIndex;
  facts: ScriptFacts;
  groups: StageGroup[];
  /** Hints: what was seen but not analysed, one per call. */
  notes: Diagnostic[];
}

/** Parses (or takes an up-to-date tree) and extracts; the tree stays the caller's (delete it when done). */
export function analyseScript(text: string, tree?: Tree): ScriptAnalysis {
  if (!MENTIONS_QEFFICIENT.test(text)) return { text, lines: new LineIndex(text), facts: { models: [], calls: [], env: [], skipped: [] }, groups: [], notes: [] };
  const own = tree ? undefined : parsePython(text);
  try {
    const facts = extractFacts(tree ?? own!, text);
    const lines = new LineIndex(text);
    const { groups, skipped } = stageGroups(facts);
    const hint = (span: Span, message: string): Diagnostic => ({
      code: NOT_ANALYSED, severity: 'hint', message, range: lines.range(span.start, span.end - span.start), offset: span.start, length: span.end - span.start,
    });
    const notes = skipped.map(s => hint(s.span, s.message));
    const seen = new Set<number>();
    for (const g of groups) for (const s of g.stages) for (const site of [s.site.model.fromPretrained, s.site.call]) {
      if (seen.has(site.span.start)) continue;
      seen.add(site.span.start);
      const what = notAnalysed(site);
      if (what.length) notes.push(hint(site.methodSpan, `Not analysed (known only at run time): ${what.join('; ')}. The rules that need these values are skipped.`));
    }
    const envSeen = new Set<number>();
    for (const g of groups) for (const s of g.stages) for (const e of s.env) {
      if (e.value.kind !== 'unknown' || envSeen.has(e.value.span.start)) continue;
      envSeen.add(e.value.span.start);
      notes.push(hint(e.value.span, `Not analysed (known only at run time): the value of ${e.name} (${e.value.reason}). The rules that need it are skipped.`));
    }
    return { text, lines, facts, groups, notes };
  } finally {
    own?.delete();
  }
}

/** The integers of a group's literal kwargs, plus a spread of sizes: the values an unknown is probed with. */
function probes(group: StageGroup): ((i: number) => unknown)[] {
  const unknown = (v: PyValue | undefined): boolean => v?.kind === 'unknown' || (v?.kind === 'literal' && (v.entries ?? []).some(e => unknown(e.value)));
  const values = group.stages.flatMap(s => [...s.site.call.kwargs, ...s.site.model.fromPretrained.kwargs].map(k => k.value)
    .concat(s.env.map(e => e.value), [modelValue(s.site)].filter((v): v is PyValue => !!v)));
  // Nothing to probe: one run (the values are never asked for).
  if (!values.some(unknown)) return [() => null];
  const ints = new Set<number>([1, 2, 128, 256, 4096, 131072]);
  for (const s of group.stages) for (const k of [...s.site.call.kwargs, ...s.site.model.fromPretrained.kwargs]) {
    if (k.value.kind === 'literal' && typeof k.value.value === 'number' && Number.isInteger(k.value.value)) ints.add(k.value.value);
  }
  return [
    ...[...ints].map(n => () => n),
    () => true, () => false, () => null, () => 'x',
    (i: number) => 64 * (i + 1), // distinct values, for rules that compare two unknowns
  ];
}

export function checkScript(text: string, options: CheckOptions = {}, tree?: Tree): Diagnostic[] {
  return checkAnalysis(analyseScript(text, tree), options);
}

export function checkAnalysis(a: ScriptAnalysis, options: CheckOptions = {}): Diagnostic[] {
  const out = new Map<string, Diagnostic>();
  for (const group of a.groups) {
    let kept: Map<string, Diagnostic> | undefined;
    for (const probe of probes(group)) {
      const synth = synthesize(group, { policy: { omit: false, probe } });
      const found = new Map<string, Diagnostic>();
      for (const d of checkText(synth.text, options)) {
        const mapped = mapDiagnostic(a, synth, d);
        if (mapped) found.set(`${mapped.code}@${mapped.offset}:${mapped.length}|${mapped.message}`, mapped);
      }
      kept = kept ? new Map([...kept].filter(([k]) => found.has(k))) : found;
      if (!kept.size) break;
    }
    // One fault, one diagnostic: a line both stages run (an env assignment, a shared from_pretrained kwarg) is
    // reported once per rule.
    for (const d of kept?.values() ?? []) {
      const k = `${d.code}@${d.offset}:${d.length}`;
      if (!out.has(k)) out.set(k, d);
    }
  }
  return [...out.values(), ...a.notes].sort((x, y) => x.offset - y.offset || x.code.localeCompare(y.code));
}

function entryAt(synth: Synthesized, offset: number, length: number): MapEntry | undefined {
  // Property entries share their key's offset: a diagnostic lands on the key or the value, never the property.
  return synth.map.find(e => e.offset === offset && e.length === length && e.origin.kind !== 'property');
}

function originSpan(o: Origin): Span | undefined {
  switch (o.kind) {
    case 'value': return o.value.span;
    case 'kwargName': return o.kwarg.nameSpan;
    case 'envName': return o.env.keySpan;
    case 'call': return o.span;
    case 'property': return undefined;
  }
}

function mapDiagnostic(a: ScriptAnalysis, synth: Synthesized, d: Diagnostic): Diagnostic | undefined {
  const entry = entryAt(synth, d.offset, d.length);
  if (!entry) return undefined; // a node the script does not have (e.g. the model id when it is not given)
  const o = entry.origin;
  if (o.kind === 'value' && o.value.kind === 'unknown') return undefined; // about the probe, not the script
  // A missing kwarg of a call with **kwargs: it may well be in the splat.
  if (o.kind === 'call' && o.call.splats.length && o.span === o.call.methodSpan) return undefined;
  const span = originSpan(o);
  if (!span) return undefined;
  const jsonLines = new LineIndex(synth.text);
  const fixes = [...(d.fix ? [d.fix] : []), ...(d.moreFixes ?? [])].map(f => mapFix(a, synth, jsonLines, f)).filter((f): f is Fix => !!f);
  const [fix, ...more] = fixes;
  return {
    code: d.code, severity: d.severity, message: d.message,
    range: a.lines.range(span.start, span.end - span.start), offset: span.start, length: span.end - span.start,
    ...(fix ? { fix } : {}), ...(more.length ? { moreFixes: more } : {}),
  };
}

/** A fix whose every edit is a literal edit of the script (a value, a name, a whole kwarg or env line); else none. */
function mapFix(a: ScriptAnalysis, synth: Synthesized, jsonLines: LineIndex, fix: Fix): Fix | undefined {
  if (fix.command || !fix.edits.length) return undefined;
  const edits: TextEdit[] = [];
  for (const e of fix.edits) {
    const start = jsonLines.offsetAt(e.range.start);
    const end = jsonLines.offsetAt(e.range.end);
    const py = mapEdit(synth, start, end, e.newText);
    if (!py) return undefined;
    edits.push({ range: a.lines.range(py.span.start, py.span.end - py.span.start), newText: py.text });
  }
  return { title: fix.title, edits, ...(fix.fixAllSafe ? { fixAllSafe: true } : {}) };
}

function mapEdit(synth: Synthesized, start: number, end: number, newText: string): { span: Span; text: string } | undefined {
  const exact = synth.map.find(m => m.offset === start && m.offset + m.length === end && m.origin.kind !== 'property');
  if (exact) {
    const o = exact.origin;
    let parsed: unknown;
    try { parsed = JSON.parse(newText); } catch { return undefined; }
    if (o.kind === 'value' && o.value.kind === 'literal' && !o.value.viaName) return { span: o.value.span, text: pyLiteral(parsed) };
    if (o.kind === 'kwargName' && typeof parsed === 'string' && isPythonIdentifier(parsed)) return { span: o.kwarg.nameSpan, text: parsed };
    if (o.kind === 'envName' && typeof parsed === 'string') return { span: o.env.keySpan, text: pyString(parsed) };
    return undefined;
  }
  if (newText.trim() !== '') return undefined;
  // A removal: exactly one whole property inside the removed text.
  const removed = synth.map.filter(m => m.origin.kind === 'property' && m.offset >= start && m.offset + m.length <= end);
  const o = removed.length === 1 ? removed[0].origin : undefined;
  return o?.kind === 'property' && o.removeSpan ? { span: o.removeSpan, text: '' } : undefined;
}

/** Hover on a kwarg name or value of an analysed call: the config hover of the same key, mapped back. */
export function hoverScript(a: ScriptAnalysis, offset: number, options: CheckOptions = {}): HoverResult | undefined {
  for (const group of a.groups) {
    const synth = synthesize(group, { policy: { omit: true } });
    const hit = synth.map.find(m => {
      const span = m.origin.kind === 'value' || m.origin.kind === 'kwargName' || m.origin.kind === 'envName' ? originSpan(m.origin) : undefined;
      return span && span.start <= offset && offset <= span.end;
    });
    if (!hit) continue;
    const h = hoverAt(synth.text, hit.offset, options);
    if (!h) return undefined;
    const span = originSpan(hit.origin)!;
    const unknown = group.stages.flatMap(s => s.site.call.kwargs).filter(k => k.value.kind === 'unknown').map(k => k.name);
    const note = unknown.length ? `\n\n---\n\nNot analysed here (known only at run time): ${[...new Set(unknown)].join(', ')}; figures above use QEfficient's defaults for them.` : '';
    return { markdown: h.markdown + note, offset: span.start, length: span.end - span.start };
  }
  return undefined;
}

/** Where "Convert to .qeff.json" goes: each analysed compile call's method name. */
export function convertibleCalls(a: ScriptAnalysis): Span[] {
  return a.groups.flatMap(g => g.stages.map(s => s.site.call.methodSpan));
}

export class ImportError extends Error {}

/** The script's first stage group as *.qeff.json text, with comments saying where each stage came from. */
export function importScript(a: ScriptAnalysis, scriptName: string): string {
  const group = a.groups[0];
  if (!group) {
    const why = a.notes.map(n => `line ${n.range.start.line + 1}: ${n.message}`).join('\n  ');
    throw new ImportError(`found no QEFFAutoModelForCausalLM compile call that is a prefill (prefill_only=True) or decode (prefill_seq_len=1) stage${why ? `:\n  ${why}` : ''}`);
  }
  const text = synthesize(group, { policy: { omit: true }, comments: { scriptName, lineOf: o => a.lines.positionAt(o).line } }).text;
  const more = a.groups.length > 1 ? `// The script has ${a.groups.length} prefill/decode pairs; this config holds the first.\n` : '';
  return more + text;
}

export type { PyValue };
