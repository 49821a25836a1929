// From a script's call sites to the equivalent *.qeff.json text, with a source map from every JSON node back to
// the Python it came from. The rules then run on that text unchanged (check.ts), and their diagnostics and fixes
// are mapped back (scriptCheck.ts); `qeff-disagg import` writes the same text with comments.
//
// Stages (upstream examples/disagg_serving/gpt_oss_disagg_mode*.py and README.md, release/v1.21.0 .. main):
// compile(prefill_only=True) is a prefill stage, enable_chunking=True making it "chunking", else "blocking";
// compile(prefill_seq_len=1) is a decode stage, retain_full_kv=True making it "full-kv", else "swa-retain".
import { MODE_TABLE } from '../modeTable';
import type { Mode, StageKey } from '../types';
import type { CallSite, EnvSet, Kwarg, ScriptFacts, Skipped, StageCall } from './extract';
import type { PyValue, Span } from './literal';

export interface Stage {
  key: StageKey;
  mode: Mode;
  site: StageCall;
  /** The kwargs that define the stage and its mode, folded into "mode" (the mode value maps onto the first). */
  modeKwargs: Kwarg[];
  env: EnvSet[];
}

/** One prefill and one decode stage (the i-th of each in the script), checked as one config. */
export interface StageGroup { stages: Stage[] }

/** What a JSON node stands for in the script. */
export type Origin =
  | { kind: 'value'; value: PyValue }
  | { kind: 'kwargName'; kwarg: Kwarg }
  | { kind: 'envName'; env: EnvSet }
  | { kind: 'property'; removeSpan: Span | undefined }
  /** Synthesized from the call itself (the stage, "compile", the mode): shown on `span`, never edited. */
  | { kind: 'call'; span: Span; call: CallSite };

export interface MapEntry { offset: number; length: number; origin: Origin }

export interface Synthesized { text: string; map: MapEntry[] }

/** How a value known only at run time is written: omitted (import, hover) or replaced by a probe value (check). */
export type UnknownPolicy = { omit: true } | { omit: false; probe: (index: number) => unknown };

const truthy = (k: Kwarg | undefined) => k?.value.kind === 'literal' && k.value.value === true;
const literal = (k: Kwarg | undefined) => (k?.value.kind === 'literal' ? k.value.value : undefined);

export function stageGroups(facts: ScriptFacts): { groups: StageGroup[]; skipped: Skipped[] } {
  const skipped: Skipped[] = [];
  const prefill: Stage[] = [];
  const decode: Stage[] = [];
  for (const site of facts.calls) {
    if (site.call.method !== 'compile') continue;
    const kw = (name: string) => site.call.kwargs.find(k => k.name === name);
    const prefillOnly = kw('prefill_only');
    const psl = kw('prefill_seq_len');
    let key: StageKey | undefined;
    if (truthy(prefillOnly)) key = 'prefill';
    else if (literal(psl) === 1 && (!prefillOnly || prefillOnly.value.kind === 'literal')) key = 'decode';
    if (!key) {
      const unknown = [prefillOnly, psl].find(k => k?.value.kind === 'unknown');
      skipped.push({ span: site.call.methodSpan, message: unknown
        ? `Not analysed: ${unknown.name} is known only at run time, so this compile cannot be told to be a prefill or a decode stage.`
        : 'Not analysed: neither prefill_only=True nor prefill_seq_len=1, so this compile is not a disaggregated prefill or decode stage.' });
      continue;
    }
    const modeKwarg = kw(key === 'prefill' ? 'enable_chunking' : 'retain_full_kv');
    if (modeKwarg?.value.kind === 'unknown') {
      skipped.push({ span: site.call.methodSpan, message: `Not analysed: ${modeKwarg.name} is known only at run time, so this ${key} stage's mode is unknown.` });
      continue;
    }
    const mode: Mode = key === 'prefill' ? (truthy(modeKwarg) ? 'chunking' : 'blocking') : (truthy(modeKwarg) ? 'full-kv' : 'swa-retain');
    const definers = [truthy(modeKwarg) ? modeKwarg : undefined, key === 'prefill' ? prefillOnly : psl];
    // Kwargs the mode implies with the value it implies are the mode itself; a contradicting one stays a kwarg (QEFF-MODE-01).
    const implied = MODE_TABLE[mode].implied;
    const modeKwargs = site.call.kwargs.filter(k => k.name in implied && k.value.kind === 'literal' && k.value.value === implied[k.name]);
    const rank = (k: Kwarg) => { const i = definers.indexOf(k); return i < 0 ? definers.length : i; };
    modeKwargs.sort((a, b) => rank(a) - rank(b));
    (key === 'prefill' ? prefill : decode).push({ key, mode, site, modeKwargs, env: [] });
  }
  const groups: StageGroup[] = [];
  for (let i = 0; i < Math.max(prefill.length, decode.length); i++) {
    const stages = [prefill[i], decode[i]].filter((s): s is Stage => !!s);
    assignEnv(stages, facts.env);
    groups.push({ stages });
  }
  return { groups, skipped };
}

/**
 * The environment a stage's compile runs with: os.environ assignments before it, at module level or in its own
 * function; the last one of a name wins. The process is shared, so a variable some stage of the script reads
 * (NUM_Q_BLOCKS for a blocking prefill) goes to those stages only, not to the other stage that merely runs after it.
 */
function assignEnv(stages: Stage[], env: EnvSet[]): void {
  const readers = new Set(stages.flatMap(s => MODE_TABLE[s.mode].env));
  for (const s of stages) {
    const before = env.filter(e => e.span.end <= s.site.call.span.start && (e.scope === -1 || e.scope === s.site.call.scope));
    const last = new Map<string, EnvSet>();
    for (const e of before) {
      if (readers.has(e.name) && !MODE_TABLE[s.mode].env.includes(e.name)) continue;
      last.delete(e.name);
      last.set(e.name, e);
    }
    s.env = [...last.values()];
  }
}

/** The model id: from_pretrained's first positional argument or pretrained_model_name_or_path. */
export function modelValue(site: StageCall): PyValue | undefined {
  const fp = site.model.fromPretrained;
  return fp.kwargs.find(k => k.name === 'pretrained_model_name_or_path')?.value ?? fp.positional[0];
}

/** Writes a config as JSON text, recording each node's origin. */
class Writer {
  text = '';
  readonly map: MapEntry[] = [];
  private unknowns = 0;

  constructor(private readonly policy: UnknownPolicy, private readonly comments: boolean) {}

  comment(indent: string, line: string): void {
    if (this.comments) this.text += `${indent}// ${oneLine(line)}\n`;
  }

  mark(start: number, origin: Origin): void {
    this.map.push({ offset: start, length: this.text.length - start, origin });
  }

  /** A value, or false when it is omitted (unknown under the omit policy). */
  value(v: PyValue): boolean {
    const start = this.text.length;
    if (v.kind === 'unknown') {
      if (this.policy.omit) return false;
      this.text += JSON.stringify(this.policy.probe(this.unknowns++));
    } else if (v.entries) {
      this.text += '{';
      let first = true;
      for (const e of v.entries) {
        if (e.value.kind === 'unknown' && this.policy.omit) continue;
        this.text += first ? ' ' : ', ';
        first = false;
        this.text += JSON.stringify(e.key) + ': ';
        this.value(e.value);
      }
      this.text += first ? '}' : ' }';
    } else if (v.items) {
      this.text += '[';
      v.items.forEach((item, i) => { if (i) this.text += ', '; this.value(item); });
      this.text += ']';
    } else {
      this.text += JSON.stringify(v.value ?? null);
    }
    this.mark(start, { kind: 'value', value: v });
    return true;
  }

  /** `"name": value` entries of an object, one per line. */
  object(indent: string, entries: { name: string; nameOrigin?: Origin; value: PyValue; propRemove?: Span | undefined }[]): void {
    const written = entries.filter(e => !(e.value.kind === 'unknown' && this.policy.omit));
    if (!written.length) { this.text += '{}'; return; }
    this.text += '{\n';
    written.forEach((e, i) => {
      this.text += indent + '  ';
      const propStart = this.text.length;
      this.text += JSON.stringify(e.name);
      if (e.nameOrigin) this.mark(propStart, e.nameOrigin);
      this.text += ': ';
      this.value(e.value);
      this.mark(propStart, { kind: 'property', removeSpan: e.propRemove });
      this.text += i < written.length - 1 ? ',\n' : '\n';
    });
    this.text += indent + '}';
  }
}

export interface SynthesizeOptions {
  policy: UnknownPolicy;
  /** Comments for `import`: where each stage came from and what was not analysed. */
  comments?: { scriptName: string; lineOf: (offset: number) => number };
}

const kwargEntry = (k: Kwarg) => ({ name: k.name, nameOrigin: { kind: 'kwargName', kwarg: k } as Origin, value: k.value, propRemove: k.removeSpan });

export function synthesize(group: StageGroup, options: SynthesizeOptions): Synthesized {
  const w = new Writer(options.policy, !!options.comments);
  const c = options.comments;
  const ordered = [...group.stages].sort((a, b) => (a.key === 'prefill' ? 0 : 1) - (b.key === 'prefill' ? 0 : 1));
  w.comment('', `Imported by qeff-disagg from ${c?.scriptName ?? 'a script'}: check it, then use it instead of the script's compile calls.`);
  w.text += '{\n';
  const model = modelValue(ordered[0].site);
  const noModel = !model || (model.kind === 'unknown' && options.policy.omit);
  if (noModel) w.comment('  ', `not analysed: the model id${model?.kind === 'unknown' ? ` ${short(model.text)}` : ''} is known only at run time; fill in "model"`);
  w.text += '  ';
  let start = w.text.length;
  w.text += '"model"';
  w.mark(start, { kind: 'call', span: ordered[0].site.model.fromPretrained.methodSpan, call: ordered[0].site.model.fromPretrained });
  w.text += ': ';
  if (noModel || !model) w.text += '""';
  else w.value(model);
  for (const s of ordered) {
    w.text += ',\n';
    const call = s.site.call;
    const line = (o: number) => (c ? c.lineOf(o) + 1 : 0);
    w.comment('  ', `${s.key}: ${s.site.model.variable}.compile(...) on line ${line(call.span.start)} (from_pretrained on line ${line(s.site.model.fromPretrained.span.start)})`);
    for (const site of [s.site.model.fromPretrained, call]) {
      const skipped = notAnalysed(site);
      if (skipped.length) w.comment('  ', `not analysed in ${site.method} (line ${line(site.span.start)}): ${skipped.join(', ')}`);
    }
    const skippedEnv = s.env.filter(e => e.value.kind === 'unknown').map(e => `${e.name} (line ${line(e.span.start)})`);
    if (skippedEnv.length) w.comment('  ', `not analysed: environment ${skippedEnv.join(', ')}`);
    const callOrigin: Origin = { kind: 'call', span: call.methodSpan, call };
    w.text += '  ';
    start = w.text.length;
    w.text += JSON.stringify(s.key);
    w.mark(start, callOrigin);
    w.text += ': {\n    ';
    start = w.text.length;
    w.text += '"mode"';
    w.mark(start, callOrigin);
    w.text += ': ';
    start = w.text.length;
    w.text += JSON.stringify(s.mode);
    const definer = s.modeKwargs[0];
    w.mark(start, definer ? { kind: 'call', span: definer.span, call } : callOrigin);
    const fpKwargs = s.site.model.fromPretrained.kwargs.filter(k => k.name !== 'pretrained_model_name_or_path');
    if (fpKwargs.length) {
      w.text += ',\n    ';
      start = w.text.length;
      w.text += '"from_pretrained"';
      w.mark(start, { kind: 'call', span: s.site.model.fromPretrained.methodSpan, call: s.site.model.fromPretrained });
      w.text += ': ';
      w.object('    ', fpKwargs.map(kwargEntry));
    }
    w.text += ',\n    ';
    start = w.text.length;
    w.text += '"compile"';
    w.mark(start, callOrigin);
    w.text += ': ';
    w.object('    ', call.kwargs.filter(k => !s.modeKwargs.includes(k)).map(kwargEntry));
    if (s.env.length) {
      w.text += ',\n    "env": ';
      w.object('    ', s.env.map(e => ({ name: e.name, nameOrigin: { kind: 'envName', env: e } as Origin, value: e.value, propRemove: e.removeSpan })));
    }
    w.text += '\n  }';
  }
  w.text += '\n}\n';
  return { text: w.text, map: w.map };
}

/** `name=<text> (reason)` for each kwarg known only at run time, and each splat. */
export function notAnalysed(site: CallSite): string[] {
  const out = site.kwargs.filter(k => k.value.kind === 'unknown').map(k => `${k.name}=${short((k.value as { text: string }).text)} (${(k.value as { reason: string }).reason})`);
  if (site.splats.length) out.push(`${site.splats.length === 1 ? 'a' : site.splats.length} *args/**kwargs splat${site.splats.length === 1 ? '' : 's'}`);
  return out;
}

/** Script text inside a // comment: no line break (of any kind) may end the comment and start JSON. */
function oneLine(s: string): string {
  return s.replace(/[\r\n\u0085\u2028\u2029]/g, ' ');
}

function short(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 40 ? one.slice(0, 37) + '...' : one;
}
