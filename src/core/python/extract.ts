// What a script does with QEFFAutoModelForCausalLM: the variables from_pretrained binds, their compile/export
// calls with literal kwargs, and the literal os.environ assignments. Flow-insensitive by design (the last
// binding of a name wins, scopes are ignored): anything it cannot follow is "not analysed", never an error.
// Shapes follow upstream examples/disagg_serving/gpt_oss_disagg_mode*.py (release/v1.21.0 .. main).
import type { Node, Tree } from 'web-tree-sitter';
import { evaluate, spanOf, type Constants, type PyValue, type Span } from './literal';

export const CAUSAL_LM = 'QEFFAutoModelForCausalLM';

export interface Kwarg {
  name: string;
  nameSpan: Span;
  value: PyValue;
  /** The whole `name=value`. */
  span: Span;
  /** What removing it deletes: the argument and one comma beside it. */
  removeSpan: Span;
}

export interface CallSite {
  method: string;
  span: Span;
  /** The method name (`compile` in `model.compile(...)`): where "missing kwarg" diagnostics land. */
  methodSpan: Span;
  line: number;
  kwargs: Kwarg[];
  positional: PyValue[];
  /** `*args` / `**kwargs`: the kwarg set is incomplete, so nothing counts as missing. */
  splats: Span[];
  /** The enclosing function definition's start, or -1 at module level. */
  scope: number;
}

export interface ModelBinding { variable: string; fromPretrained: CallSite }

export interface StageCall { model: ModelBinding; call: CallSite }

export interface EnvSet {
  name: string;
  keySpan: Span;
  value: PyValue;
  /** The whole statement; removing it deletes its lines. */
  span: Span;
  removeSpan: Span | undefined;
  scope: number;
  line: number;
}

/** Something the analysis saw but could not follow, reported once as a hint. */
export interface Skipped { span: Span; message: string }

export interface ScriptFacts {
  models: ModelBinding[];
  calls: StageCall[];
  env: EnvSet[];
  skipped: Skipped[];
}

export function extractFacts(tree: Tree, text: string): ScriptFacts {
  const root = tree.rootNode;
  // One walk of the tree for every node kind the analysis reads (each walk runs in wasm over the whole tree).
  const byType = new Map<string, Node[]>();
  for (const n of root.descendantsOfType([...BINDINGS, 'call', 'import_from_statement'])) {
    if (!n) continue;
    const list = byType.get(n.type);
    if (list) list.push(n); else byType.set(n.type, [n]);
  }
  const of = (...types: string[]) => types.flatMap(t => byType.get(t) ?? []);
  const constants = moduleConstants(of(...BINDINGS));
  const aliases = causalLmAliases(of('import_from_statement'));
  const facts: ScriptFacts = { models: [], calls: [], env: [], skipped: [] };
  const byVariable = new Map<string, ModelBinding>();
  for (const call of of('call')) {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute') continue;
    const method = fn.childForFieldName('attribute')?.text;
    const obj = fn.childForFieldName('object');
    if (!obj || !method) continue;
    if (method === 'from_pretrained' && isCausalLm(obj, aliases)) {
      const site = callSite(call, method, text, constants);
      const parent = call.parent;
      const left = parent?.type === 'assignment' && parent.childForFieldName('right')?.id === call.id ? parent.childForFieldName('left') : null;
      if (left?.type === 'identifier') {
        const binding = { variable: left.text, fromPretrained: site };
        facts.models.push(binding);
        byVariable.set(left.text, binding);
      } else {
        facts.skipped.push({ span: site.methodSpan, message: `Not analysed: this ${CAUSAL_LM} is not assigned to a plain variable (\`model = ...\`), so its compile calls cannot be followed.` });
      }
    } else if ((method === 'compile' || method === 'export') && obj.type === 'identifier') {
      const model = byVariable.get(obj.text);
      if (model) facts.calls.push({ model, call: callSite(call, method, text, constants) });
    } else if ((method === 'setdefault' || method === 'update') && isOsEnviron(obj)) {
      envCall(call, method, text, constants, facts);
    }
  }
  for (const a of of('assignment')) {
    const left = a?.childForFieldName('left');
    const right = a?.childForFieldName('right');
    if (!a || left?.type !== 'subscript' || !right) continue;
    const target = left.childForFieldName('value');
    const key = left.childForFieldName('subscript');
    if (!target || !key || !isOsEnviron(target)) continue;
    const k = evaluate(key, constants);
    const stmt = a.parent?.type === 'expression_statement' ? a.parent : a;
    if (k.kind !== 'literal' || typeof k.value !== 'string') {
      facts.skipped.push({ span: spanOf(key), message: 'Not analysed: an environment variable whose name is known only at run time.' });
      continue;
    }
    facts.env.push({ name: k.value, keySpan: spanOf(key), value: evaluate(right, constants), span: spanOf(stmt),
      removeSpan: lineSpan(text, stmt), scope: scopeOf(a), line: stmt.startPosition.row });
  }
  facts.env.sort((a, b) => a.span.start - b.span.start);
  return facts;
}

function callSite(call: Node, method: string, text: string, constants: Constants): CallSite {
  const fn = call.childForFieldName('function')!;
  const methodNode = fn.childForFieldName('attribute')!;
  const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment');
  const site: CallSite = { method, span: spanOf(call), methodSpan: spanOf(methodNode), line: call.startPosition.row,
    kwargs: [], positional: [], splats: [], scope: scopeOf(call) };
  args.forEach((a, i) => {
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name');
      const value = a.childForFieldName('value');
      if (!name || !value) return;
      const next = args[i + 1];
      const prev = args[i - 1];
      const removeSpan = next ? { start: a.startIndex, end: next.startIndex }
        : prev ? { start: prev.endIndex, end: endWithComma(text, a.endIndex) } : { start: a.startIndex, end: endWithComma(text, a.endIndex) };
      site.kwargs.push({ name: name.text, nameSpan: spanOf(name), value: evaluate(value, constants), span: spanOf(a), removeSpan });
    } else if (a.type === 'dictionary_splat' || a.type === 'list_splat') {
      site.splats.push(spanOf(a));
    } else {
      site.positional.push(evaluate(a, constants));
    }
  });
  return site;
}

/** Past a trailing comma after the last argument (`ctx_len=1,\n)`), so removing it leaves no stray comma. */
function endWithComma(text: string, end: number): number {
  const m = /^\s*,/.exec(text.slice(end, end + 200));
  return m ? end + m[0].length : end;
}

function envCall(call: Node, method: string, text: string, constants: Constants, facts: ScriptFacts): void {
  const site = callSite(call, method, text, constants);
  const stmt = call.parent?.type === 'expression_statement' ? call.parent : call;
  const base = { span: spanOf(stmt), removeSpan: lineSpan(text, stmt), scope: site.scope, line: site.line };
  if (method === 'setdefault') {
    const [k, v] = site.positional;
    if (k?.kind === 'literal' && typeof k.value === 'string' && v) facts.env.push({ ...base, name: k.value, keySpan: k.span, value: v });
    else facts.skipped.push({ span: site.methodSpan, message: 'Not analysed: os.environ.setdefault with a name or value known only at run time.' });
    return;
  }
  // update({...}) or update(K=V): one entry each, removable only together (the whole statement).
  const found: EnvSet[] = [];
  for (const kw of site.kwargs) found.push({ ...base, name: kw.name, keySpan: kw.nameSpan, value: kw.value });
  for (const p of site.positional) {
    if (p.kind === 'literal' && p.entries) for (const e of p.entries) found.push({ ...base, name: e.key, keySpan: e.keySpan, value: e.value });
    else facts.skipped.push({ span: p.span, message: 'Not analysed: os.environ.update with a mapping known only at run time.' });
  }
  // Removing one entry of several is not a whole-statement edit: offer no removal then.
  facts.env.push(...found.map(e => (found.length === 1 ? e : { ...e, removeSpan: undefined })));
}

function isOsEnviron(n: Node): boolean {
  return n.type === 'attribute' && n.childForFieldName('object')?.text === 'os' && n.childForFieldName('attribute')?.text === 'environ';
}

/** `QEFFAutoModelForCausalLM`, an alias from `from QEfficient import QEFFAutoModelForCausalLM as Q`, or `x.QEFFAutoModelForCausalLM`. */
function isCausalLm(obj: Node, aliases: Set<string>): boolean {
  if (obj.type === 'identifier') return aliases.has(obj.text);
  return obj.type === 'attribute' && obj.childForFieldName('attribute')?.text === CAUSAL_LM;
}

function causalLmAliases(imports: Node[]): Set<string> {
  const names = new Set([CAUSAL_LM]);
  for (const imp of imports) {
    if (!imp || !imp.childForFieldName('module_name')?.text.startsWith('QEfficient')) continue;
    for (const a of imp.descendantsOfType('aliased_import')) {
      if (a?.childForFieldName('name')?.text === CAUSAL_LM) {
        const alias = a.childForFieldName('alias')?.text;
        if (alias) names.add(alias);
      }
    }
  }
  return names;
}

/** Names bound exactly once in the whole file, at module level, to a literal (upstream's `CTX_LEN = 256`). */
const BINDINGS = ['assignment', 'augmented_assignment', 'for_statement', 'named_expression', 'global_statement'];

function moduleConstants(bindings: Node[]): Constants {
  const counts = new Map<string, number>();
  const candidates = new Map<string, Node>();
  for (const a of bindings) {
    const left = a.childForFieldName(a.type === 'named_expression' ? 'name' : 'left');
    // Any other binding of the name (a tuple target, a loop variable, +=, :=, `global`) disqualifies it.
    const names = a.type === 'global_statement' ? a.namedChildren.map(c => c?.text ?? '')
      : left ? (left.type === 'identifier' ? [left.text] : left.descendantsOfType('identifier').map(i => i?.text ?? '')) : [];
    for (const n of names) counts.set(n, (counts.get(n) ?? 0) + (a.type === 'global_statement' ? 2 : 1));
    if (a.type === 'assignment' && left?.type === 'identifier' && a.parent?.type === 'expression_statement' && a.parent.parent?.type === 'module') {
      candidates.set(left.text, a);
    }
  }
  const out = new Map<string, PyValue>();
  for (const [name, a] of candidates) {
    const right = a.childForFieldName('right');
    if (counts.get(name) !== 1 || !right) continue;
    const v = evaluate(right);
    if (v.kind === 'literal') out.set(name, v);
  }
  return out;
}

function scopeOf(n: Node): number {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition') return p.startIndex;
  return -1;
}

/** The statement's whole lines, with the line break, when nothing else shares them; else the statement. */
function lineSpan(text: string, stmt: Node): Span {
  const start = text.lastIndexOf('\n', stmt.startIndex - 1) + 1;
  const nl = text.indexOf('\n', stmt.endIndex);
  const end = nl < 0 ? text.length : nl + 1;
  const alone = text.slice(start, stmt.startIndex).trim() === '' && text.slice(stmt.endIndex, end).trim() === '';
  return alone ? { start, end } : spanOf(stmt);
}
