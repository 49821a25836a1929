// Text from a config, a log or a path made safe to print on one line of a generated file: every control
// character (C0, DEL, C1), the Unicode line and paragraph separators and the bidirectional overrides
// become visible escapes, so no input can start a new line or hide what follows it.

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

// What JSON.stringify leaves raw in a string (it escapes C0 itself; raw C0 in its output is formatting).
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `s` on one line: control and line-breaking characters as `\n`, `\x1b`, `\u2028`... */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, escapeChar);
}

/** True when `s` holds a character that `printable` would escape. */
export function hasUnprintable(s: string): boolean {
  UNPRINTABLE.lastIndex = 0;
  const found = UNPRINTABLE.test(s);
  UNPRINTABLE.lastIndex = 0;
  return found;
}

/** JSON.stringify output with the characters JSON leaves raw inside strings (DEL, C1, U+2028/2029,
 *  bidi overrides) escaped too: the same JSON value, every line of it plain text. */
export function escapeJsonText(json: string): string {
  return json.replace(RAW_IN_JSON, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
