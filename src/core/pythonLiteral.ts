// Python source literals for JSON values. A JSON string literal is also a valid Python str literal
// (same escapes: \" \\ \n \t \uXXXX), so strings reuse JSON.stringify.
export function pyLiteral(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(v => pyLiteral(v, indent)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (!entries.length) return '{}';
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pyLiteral(v, indent)}`).join(', ')}}`;
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
