// Python source literals for JSON values.
export function pyLiteral(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None';
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(v => pyLiteral(v, indent)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (!entries.length) return '{}';
    return `{${entries.map(([k, v]) => `${pyString(k)}: ${pyLiteral(v, indent)}`).join(', ')}}`;
  }
  return 'None';
}

const PY_KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class',
  'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);

export function isPythonIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PY_KEYWORDS.has(name);
}

/** Keyword arguments, one per line: `name=value,`; names that are not identifiers go into `**{...}`. */
export function pyKwargs(kwargs: Record<string, unknown>, indent: string): string {
  const lines: string[] = [];
  const odd: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kwargs)) {
    if (isPythonIdentifier(k)) lines.push(`${indent}${k}=${pyLiteral(v)},`);
    else odd[k] = v;
  }
  if (Object.keys(odd).length) lines.push(`${indent}**${pyLiteral(odd)},`);
  return lines.join('\n');
}

// What Python's repr escapes (str.isprintable is false): control, format, surrogate, private-use and
// unassigned code points, and every separator but the space. So no line break (\n, \r, \x85, \u2028...),
// bidi override or other invisible character from a config reaches the script's text raw.
const NOT_PRINTABLE = /[\p{C}\p{Z}]/gu;
const NAMED_ESCAPES = new Map([['\n', '\\n'], ['\r', '\\r'], ['\t', '\\t']]);

/** A double-quoted Python str literal of `s`, printable ASCII-safe: `"`, `\\` and non-printables escaped. */
export function pyString(s: string): string {
  const body = s.replace(/["\\]/g, c => `\\${c}`).replace(NOT_PRINTABLE, c => {
    if (c === ' ') return c;
    const named = NAMED_ESCAPES.get(c);
    if (named) return named;
    const code = c.codePointAt(0)!;
    const hex = code.toString(16).padStart(code <= 0xff ? 2 : code <= 0xffff ? 4 : 8, '0');
    return `${code <= 0xff ? '\\x' : code <= 0xffff ? '\\u' : '\\U'}${hex}`;
  });
  return `"${body}"`;
}
