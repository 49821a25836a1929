// Recovers the compiler command QEfficient prints when qaic-compile fails (qefficient-api.md §3.3):
//   RuntimeError: Compilation failed!
//   Compiler command: ['/opt/qti-aic/exec/qaic-compile', '-aic-hw', ..., '-aic-binary-dir=.../qpc']
// The list is a Python repr, not a shell string, so we parse it as a Python literal and re-quote it.
// Pure TypeScript, no node or vscode imports: this also runs in the webview bundle.

export interface CompileCommand {
  /** The compiler argv, exactly as Python held it. */
  argv: string[];
  /** argv quoted for a POSIX shell, like Python's shlex.join. */
  shell: string;
  /** The QPC directory (`-aic-binary-dir=`), to hand back to the user. */
  qpcDir: string | undefined;
  /** 0-based line index in the log where `Compiler command:` was found. */
  line: number;
}

// `s` flag: `.` must also match U+2028/U+2029, which are not line breaks for us.
const COMMAND_LINE = /^\s*Compiler command: (\[.*\])\s*$/s;

/** Finds the LAST line matching /^\s*Compiler command: (\[.*\])\s*$/ in a QEfficient log/traceback and parses it. */
export function findCompileCommand(log: string): CompileCommand | undefined {
  // Break lines like VS Code and LSP do (\r\n, \r, \n) so `line` is an editor position; lone \r shows up
  // in logs with progress bars. repr escapes every CR/LF inside strings, so the command is never split.
  const lines = log.split(/\r\n|\r|\n/);
  // Newest first: a log can hold several attempts and the user wants the latest failure.
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = COMMAND_LINE.exec(lines[i]);
    if (!m) continue;
    try {
      const argv = parsePythonStringList(m[1]);
      return { argv, shell: shellJoin(argv), qpcDir: qpcDirOf(argv), line: i };
    } catch {
      // Not a list of strings (truncated or hand-edited line): fall back to an earlier one.
    }
  }
  return undefined;
}

const SIMPLE_ESCAPES = new Map<string, string>([
  ['\\', '\\'], ["'", "'"], ['"', '"'],
  ['a', '\x07'], ['b', '\b'], ['f', '\f'], ['n', '\n'], ['r', '\r'], ['t', '\t'], ['v', '\v'],
]);
const HEX_ESCAPE_DIGITS = new Map<string, number>([['x', 2], ['u', 4], ['U', 8]]);
const WHITESPACE = ' \t\f\r\n';

/** Parses a Python list-of-strings literal as printed by repr()/str() of a list. Throws on anything else. */
export function parsePythonStringList(text: string): string[] {
  let pos = 0;
  const fail = (what: string, at: number = pos): never => {
    throw new Error(`Invalid Python string list at position ${at}: ${what}`);
  };
  const describe = (at: number): string => (at < text.length ? JSON.stringify(text[at]) : 'end of input');
  const skipSpace = (): void => {
    while (pos < text.length && WHITESPACE.includes(text[pos])) pos++;
  };

  /** Length of the line break at `at` (Python source normalizes \r\n and \r to \n), or 0. */
  const lineBreakAt = (at: number): number => (text.startsWith('\r\n', at) ? 2 : text[at] === '\r' || text[at] === '\n' ? 1 : 0);

  const readString = (): string => {
    const start = pos;
    let p = pos;
    while (p < text.length && /[A-Za-z]/.test(text[p])) p++;
    const prefix = text.slice(pos, p);
    const quote = text[p];
    if (quote !== "'" && quote !== '"') {
      fail(`expected a string, found ${prefix ? JSON.stringify(prefix) : describe(p)}`, start);
    }
    if (/b/i.test(prefix)) fail('bytes literals are not supported', start);
    if (!/^[ur]?$/i.test(prefix)) fail(`unsupported string prefix ${JSON.stringify(prefix)}`, start);
    if (text.startsWith(quote.repeat(3), p)) fail('triple-quoted strings are not supported', p);
    const raw = /r/i.test(prefix);
    pos = p + 1;

    let value = '';
    for (;;) {
      if (pos >= text.length) fail('unterminated string', start);
      const c = text[pos];
      if (c === quote) {
        pos++;
        return value;
      }
      if (lineBreakAt(pos)) fail('unterminated string (line break inside)', start);
      if (c !== '\\') {
        value += c;
        pos++;
        continue;
      }
      const e = text[pos + 1];
      if (e === undefined) fail('unterminated string', start);
      const nl = lineBreakAt(pos + 1);
      if (nl) {
        // Backslash-newline: a continuation, dropped; a raw string keeps both.
        if (raw) value += '\\\n';
        pos += 1 + nl;
        continue;
      }
      if (raw) {
        // In a raw string the backslash stays but still stops the next char from closing the string.
        value += c + e;
        pos += 2;
        continue;
      }
      const simple = SIMPLE_ESCAPES.get(e);
      if (simple !== undefined) {
        value += simple;
        pos += 2;
        continue;
      }
      const octal = /^[0-7]{1,3}/.exec(text.slice(pos + 1, pos + 4));
      if (octal) {
        value += String.fromCharCode(parseInt(octal[0], 8));
        pos += 1 + octal[0].length;
        continue;
      }
      const digits = HEX_ESCAPE_DIGITS.get(e);
      if (digits !== undefined) {
        const hex = text.slice(pos + 2, pos + 2 + digits);
        if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) fail(`truncated \\${e} escape`);
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) fail(`\\${e}${hex} is not a Unicode code point`);
        value += String.fromCodePoint(code); // \ud800 gives a lone surrogate, as in Python
        pos += 2 + digits;
        continue;
      }
      if (e === 'N') fail('\\N{...} escapes are not supported');
      // Unknown escapes (e.g. \d) keep their backslash in Python.
      value += c;
      pos++;
    }
  };

  skipSpace();
  if (text[pos] !== '[') fail(`expected '[', found ${describe(pos)}`);
  pos++;
  const out: string[] = [];
  skipSpace();
  while (text[pos] !== ']') {
    out.push(readString());
    skipSpace();
    if (text[pos] === ',') {
      pos++;
      skipSpace();
    } else if (text[pos] !== ']') {
      fail(`expected ',' or ']', found ${describe(pos)}`);
    }
  }
  pos++;
  skipSpace();
  if (pos < text.length) fail(`unexpected ${describe(pos)} after the list`);
  return out;
}

/** POSIX shell quoting of one word, equivalent to Python shlex.quote. */
export function shellQuote(word: string): string {
  if (word === '') return "''";
  if (/^[A-Za-z0-9@%+=:,./_-]+$/.test(word)) return word;
  // Nothing is special inside single quotes except the quote itself: close, emit "'", reopen.
  return `'${word.replace(/'/g, `'"'"'`)}'`;
}

/** argv.map(shellQuote).join(' '). Like shlex.join, a first word such as `A=b` or `if` would be read as
 *  an assignment or keyword by a shell; compiler paths never look like that. */
export function shellJoin(argv: string[]): string {
  return argv.map(shellQuote).join(' ');
}

const BINARY_DIR = '-aic-binary-dir=';

/** The value of the `-aic-binary-dir=` argument (last one wins), or undefined. */
export function qpcDirOf(argv: string[]): string | undefined {
  let dir: string | undefined;
  for (const arg of argv) if (arg.startsWith(BINARY_DIR)) dir = arg.slice(BINARY_DIR.length);
  return dir;
}
