// QEFF-PY-01..04: values and names that cannot reach Python as written. JSON allows numbers no double holds
// (1e999 reads as Infinity, 2^64 is rounded, 1e-999 becomes 0), and the script and the request would pass
// None or a rounded number; names and strings must survive Python's syntax and os.environ.
import type { Node } from 'jsonc-parser';
import { props } from '../jsonNodes';
import { printable } from '../printable';
import type { RuleContext } from '../ruleContext';

// Keywords of Python 3 (`keyword.kwlist`) and `__debug__`, which cannot be assigned: neither can be the name
// of a keyword argument (`f(class=1)` and `f(__debug__=1)` are SyntaxErrors).
const PY_RESERVED = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class',
  'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', '__debug__']);

const ANY_SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot reach os.environ or a file Python writes, or undefined. */
function unencodable(s: string): string | undefined {
  if (s.includes('\0')) return 'holds a NUL character (\\u0000), which no environment variable, argument or path can carry';
  // Most strings hold no surrogate at all: test that first, the pairing check is far slower.
  const m = ANY_SURROGATE.test(s) ? LONE_SURROGATE.exec(s) : null;
  if (m) return `holds a lone surrogate (\\u${m[0].charCodeAt(0).toString(16)}), which is not text: Python cannot encode it for os.environ, a path or the compiler`;
  return undefined;
}

/** Why a number cannot reach Python as written, or undefined. */
function unrepresentable(text: string, value: number): string | undefined {
  if (!Number.isFinite(value)) return `${text} is beyond the largest number JSON tools read (it becomes Infinity, and QEfficient would get None)`;
  const integerLiteral = /^-?\d+$/.test(text);
  if (integerLiteral && !Number.isSafeInteger(value)) {
    return `${text} is beyond ±9007199254740991 (2^53 − 1): it is rounded to ${BigInt(value)} before QEfficient sees it`;
  }
  if (value === 0 && /[1-9]/.test(text.split(/[eE]/)[0])) return `${text} is too small to represent: it becomes 0`;
  return undefined;
}

export function pythonValueRules(ctx: RuleContext): void {
  // Every string and number of the config reaches Python (the request file, the script, os.environ).
  const walk = (node: Node | undefined): void => {
    if (!node) return;
    if (node.type === 'string') {
      const why = unencodable(String(node.value));
      if (why) ctx.report({ code: 'QEFF-PY-03', severity: 'error', node, message: `This ${node.parent?.type === 'property' && node.parent.children?.[0] === node ? 'name' : 'string'} ${why}.` });
    } else if (node.type === 'number') {
      const value = Number(node.value);
      // Only Infinity, 0 (an underflow?) and integers beyond 2^53 need the literal's text.
      const why = value === 0 || !Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))
        ? unrepresentable(ctx.text.slice(node.offset, node.offset + node.length), value) : undefined;
      if (why) ctx.report({ code: 'QEFF-PY-01', severity: 'error', node, message: `${why}. Use an integer QEfficient can take exactly.` });
    }
    for (const child of node.children ?? []) walk(child);
  };
  walk(ctx.view.root);

  for (const stage of ctx.view.stages) {
    for (const [group, fn] of [[stage.fromPretrained, 'from_pretrained'], [stage.compile, 'compile']] as const) {
      for (const p of props(group)) {
        if (PY_RESERVED.has(p.name)) {
          ctx.report({
            code: 'QEFF-PY-02', severity: 'error', node: p.key, stage,
            message: `"${p.name}" is ${p.name === '__debug__' ? 'a name Python never lets be assigned' : 'a Python keyword'}: it cannot be a keyword argument of ${fn}().`,
            fixes: [ctx.fix.remove(`Remove ${p.name}`, p)],
          });
        }
      }
    }
    for (const p of props(stage.env)) {
      // CPython's os.putenv refuses an empty name and a name with "=" ("illegal environment variable name").
      if (p.name === '' || p.name.includes('=')) {
        ctx.report({
          code: 'QEFF-PY-04', severity: 'error', node: p.key, stage,
          message: `"${printable(p.name)}" cannot be an environment variable name: os.environ refuses ${p.name === '' ? 'an empty name' : 'a name with "="'}.`,
        });
      }
    }
  }
}
