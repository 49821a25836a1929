// A subset of Python's ast.literal_eval over tree-sitter-python nodes: scalars, strings, lists, tuples and
// dicts with string keys, each value keeping its source span so a rule can point inside `qaic_config={...}`.
// Anything else (a call, an f-string, bytes, a name that is not a module constant) is "unknown", never an error.
import type { Node } from 'web-tree-sitter';

/** UTF-16 offsets in the Python text. */
export interface Span { start: number; end: number }

export interface DictEntry { key: string; keySpan: Span; value: PyValue }

export type PyValue =
  | { kind: 'literal'; value: unknown; span: Span; items?: PyValue[]; entries?: DictEntry[];
    /** Set when the value came through a module constant (`CTX_LEN = 256`): the span is the name at the use. */
    viaName?: string }
  | { kind: 'unknown'; text: string; span: Span; reason: string };

export function spanOf(n: Node): Span {
  return { start: n.startIndex, end: n.endIndex };
}

/** Module constants: a name bound exactly once in the file, at module level, to a literal. */
export type Constants = ReadonlyMap<string, PyValue>;

const MAX_DEPTH = 50;

export function evaluate(n: Node, constants: Constants = new Map(), depth = 0): PyValue {
  const span = spanOf(n);
  const unknown = (reason: string): PyValue => ({ kind: 'unknown', text: n.text, span, reason });
  if (depth > MAX_DEPTH) return unknown('nested too deeply');
  switch (n.type) {
    case 'integer': {
      const v = parseInteger(n.text);
      return v === undefined ? unknown('an integer beyond 2^53') : { kind: 'literal', value: v, span };
    }
    case 'float': {
      const v = Number(n.text.replace(/_/g, ''));
      return Number.isFinite(v) ? { kind: 'literal', value: v, span } : unknown('not a finite number');
    }
    case 'true': return { kind: 'literal', value: true, span };
    case 'false': return { kind: 'literal', value: false, span };
    case 'none': return { kind: 'literal', value: null, span };
    case 'parenthesized_expression': {
      const inner = n.namedChildren.filter(c => c && c.type !== 'comment');
      if (inner.length !== 1 || !inner[0]) return unknown('an expression');
      const v = evaluate(inner[0], constants, depth + 1);
      return v.kind === 'literal' ? { ...v, span } : v;
    }
    case 'unary_operator': {
      const op = n.childForFieldName('operator')?.text;
      const arg = n.childForFieldName('argument');
      const v = arg ? evaluate(arg, constants, depth + 1) : undefined;
      if (v?.kind === 'literal' && typeof v.value === 'number' && (op === '-' || op === '+')) {
        return { kind: 'literal', value: op === '-' ? -v.value : v.value, span };
      }
      return unknown('an expression');
    }
    case 'string': return stringValue(n) ?? unknown(n.descendantsOfType('interpolation').length ? 'an f-string' : 'not a text string');
    case 'concatenated_string': {
      let out = '';
      for (const part of n.namedChildren) {
        if (!part || part.type === 'comment') continue;
        const s = part.type === 'string' ? stringValue(part) : undefined;
        if (s?.kind !== 'literal') return unknown('a string built at run time');
        out += s.value as string;
      }
      return { kind: 'literal', value: out, span };
    }
    case 'list': case 'tuple': case 'set': {
      const items: PyValue[] = [];
      for (const c of n.namedChildren) if (c && c.type !== 'comment') items.push(evaluate(c, constants, depth + 1));
      if (items.some(i => i.kind === 'unknown')) return unknown('a list with values known only at run time');
      return { kind: 'literal', value: items.map(i => (i as { value: unknown }).value), span, items };
    }
    case 'dictionary': {
      const entries: DictEntry[] = [];
      const value: Record<string, unknown> = {};
      for (const pair of n.namedChildren) {
        if (!pair || pair.type === 'comment') continue;
        const k = pair.type === 'pair' ? pair.childForFieldName('key') : null;
        const v = pair.type === 'pair' ? pair.childForFieldName('value') : null;
        const key = k ? evaluate(k, constants, depth + 1) : undefined;
        if (!k || !v || key?.kind !== 'literal' || typeof key.value !== 'string') return unknown('a dict with keys known only at run time');
        const val = evaluate(v, constants, depth + 1);
        entries.push({ key: key.value, keySpan: spanOf(k), value: val });
        if (val.kind === 'literal') Object.defineProperty(value, key.value, { value: val.value, enumerable: true, configurable: true, writable: true });
      }
      return { kind: 'literal', value, span, entries };
    }
    case 'identifier': {
      const c = constants.get(n.text);
      return c?.kind === 'literal' ? { ...c, span, viaName: n.text } : unknown(`the variable ${n.text}`);
    }
    case 'call': return unknown('a call');
    default: return unknown('an expression');
  }
}

function parseInteger(text: string): number | undefined {
  const t = text.replace(/_/g, '').toLowerCase();
  let v: bigint;
  try {
    v = /^0[box]/.test(t) ? BigInt(t) : BigInt(t.replace(/^0+(?=\d)/, ''));
  } catch {
    return undefined;
  }
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
}

/** A plain or raw text string (no f-string interpolation, no bytes); escapes decoded unless raw. */
function stringValue(n: Node): PyValue | undefined {
  const prefix = (n.child(0)?.text ?? '').replace(/['"]+$/, '').toLowerCase();
  if (prefix.includes('b')) return undefined;
  let text = '';
  for (const c of n.namedChildren) {
    if (!c) continue;
    if (c.type === 'interpolation') return undefined;
    if (c.type === 'string_content') text += c.text;
  }
  const value = prefix.includes('r') ? text : decodeEscapes(text);
  return value === undefined ? undefined : { kind: 'literal', value, span: spanOf(n) };
}

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

function decodeEscapes(s: string): string | undefined {
  let failed = false;
  const out = s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|\r?\n|.)/g, (m, e: string) => {
    if (e in SIMPLE) return SIMPLE[e];
    if (e === '\r\n') return '';
    if (/^[xuU]/.test(e)) {
      const cp = parseInt(e.slice(1), 16);
      if (cp > 0x10ffff) { failed = true; return m; }
      return String.fromCodePoint(cp);
    }
    if (/^[0-7]/.test(e)) return String.fromCodePoint(parseInt(e, 8));
    if (e.startsWith('N{')) { failed = true; return m; } // named characters: no table here
    return m; // Python keeps unknown escapes as they are
  });
  return failed ? undefined : out;
}
