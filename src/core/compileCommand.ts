// Recovers the compiler command QEfficient prints when qaic-compile fails (QEFFBaseModel._compile raises it,
// QEfficient/base/modeling_qeff.py, release/v1.22.8.0):
//   RuntimeError: Compilation failed!
//   Compiler command: ['/opt/qti-aic/exec/qaic-compile', '-aic-hw', ..., '-aic-binary-dir=.../qpc']
// The list is a Python repr, not a shell string, so we parse it as a Python literal and re-quote it.
// Pure TypeScript, no node or vscode imports: this also runs in the webview bundle.

/** Where a compiler command was read: QEfficient's `Compiler command: [...]` line, or the block the stage
 *  script prints (pythonScript.ts) between SCRIPT_COMMAND_BEGIN and SCRIPT_COMMAND_END. */
export type CommandSource = 'qefficient' | 'script';

export interface CompileCommand {
  /** The compiler argv, exactly as Python held it. */
  argv: string[];
  /** argv quoted for a POSIX shell, like Python's shlex.join. */
  shell: string;
  /** The QPC directory (`-aic-binary-dir=`), to hand back to the user. */
  qpcDir: string | undefined;
  /** 0-based line index in the log where the command was found (for the script's block, its command line). */
  line: number;
  source: CommandSource;
}

/** A command line newer than the one used (or any, when none could be read) that could not be read. */
export interface UnreadableCommand {
  line: number;
  source: CommandSource;
  reason: string;
}

export interface CompileCommandSearch {
  command: CompileCommand | undefined;
  /** Newest first. */
  unreadable: UnreadableCommand[];
}

/** The stage script prints its shell-quoted command on stdout between these lines (sh comments). */
export const SCRIPT_COMMAND_BEGIN = '# qeff-disagg: the compiler command, quoted for sh:';
export const SCRIPT_COMMAND_END = '# qeff-disagg: end of the compiler command';

/** No real command comes near this: ~20 arguments of at most PATH_MAX (4096) bytes, repr-escaped. */
export const MAX_COMMAND_CHARS = 1024 * 1024;

const QEFF_PREFIX = /^\s*Compiler command: /;

/** Only the newest candidates are kept: a log of nothing but cut command lines must not fill memory. */
export const MAX_CANDIDATES = 100;

interface Candidate { line: number; source: CommandSource; start: number; end: number }

/**
 * Finds the compiler command in a log: QEfficient's `Compiler command: [...]` lines and the stage script's
 * shell-quoted block, whichever is NEWEST and readable (a log can hold several attempts). Any newer one that
 * is cut, too long or altered is listed in `unreadable`, so a stale command is never used silently. Only the
 * last MAX_CANDIDATES command lines are looked at.
 */
export function searchCompileCommand(log: string): CompileCommandSearch {
  const candidates: Candidate[] = [];
  // Break lines like VS Code and LSP do (\r\n, \r, \n) so `line` is an editor position; lone \r shows up
  // in logs with progress bars. repr escapes every CR/LF inside strings, so that command is never split.
  const breaks = /\r\n|\r|\n/g;
  for (let line = 0, start = 0; start <= log.length; line++) {
    const m = breaks.exec(log);
    const end = m ? m.index : log.length;
    const next = m ? end + m[0].length : log.length + 1;
    const text = log.slice(start, end);
    const prefix = QEFF_PREFIX.exec(text);
    if (prefix) {
      candidates.push({ line, source: 'qefficient', start: start + prefix[0].length, end });
    } else if (text.length < SCRIPT_COMMAND_BEGIN.length + 80 && text.trim() === SCRIPT_COMMAND_BEGIN) {
      candidates.push({ line: line + 1, source: 'script', start: next, end: next });
    }
    if (candidates.length > MAX_CANDIDATES) candidates.shift();
    start = next;
  }
  const unreadable: UnreadableCommand[] = [];
  for (let i = candidates.length - 1; i >= 0; i--) {
    const { line, source, start, end } = candidates[i];
    try {
      const argv = source === 'qefficient' ? readQefficientLine(log, start, end) : readScriptBlock(log, start);
      return { command: { argv, shell: shellJoin(argv), qpcDir: qpcDirOf(argv), line, source }, unreadable };
    } catch (e) {
      unreadable.push({ line, source, reason: (e as Error).message });
    }
  }
  return { command: undefined, unreadable };
}

/** searchCompileCommand(log).command. */
export function findCompileCommand(log: string): CompileCommand | undefined {
  return searchCompileCommand(log).command;
}

function tooLong(chars: number): Error {
  return new Error(`longer than ${MAX_COMMAND_CHARS / 1024 / 1024} MiB (${chars} characters), more than any compiler command`);
}

/** The list after `Compiler command: `, from `start` to the end of its line. */
function readQefficientLine(log: string, start: number, end: number): string[] {
  if (end - start > MAX_COMMAND_CHARS) throw tooLong(end - start);
  const column0 = start - (Math.max(log.lastIndexOf('\n', start - 1), log.lastIndexOf('\r', start - 1)) + 1);
  let argv: string[];
  try {
    argv = parsePythonStringList(log.slice(start, end));
  } catch (e) {
    const at = e instanceof PythonListError ? `, column ${column0 + e.position + 1}` : '';
    throw new Error(`cut or altered (${e instanceof PythonListError ? e.what : (e as Error).message}${at})`);
  }
  if (!argv.length) throw new Error('an empty list');
  return argv;
}

/** The pieces shlex.quote writes a word with: a run of safe characters, '...', and "'" for a quote. */
const SHLEX_PIECES: [RegExp, (text: string) => string][] = [
  [/[A-Za-z0-9@%+=:,./_-]+/y, t => t],
  [/'[^']*'/y, t => t.slice(1, -1)],
  [/"'"/y, () => "'"],
];

/**
 * The command after the script's begin line, at `from`: words as Python's shlex.quote writes them, which
 * sh reads back as they were (a quoted argument may hold line breaks), then the end line. Anything else
 * (a $, a backslash, a missing end line) is refused rather than guessed.
 */
function readScriptBlock(log: string, from: number): string[] {
  const region = log.slice(from, from + MAX_COMMAND_CHARS);
  const unfinished = (): never => {
    throw from + region.length >= log.length ? new Error('cut (the log ends inside the command)') : tooLong(log.length - from);
  };
  const argv: string[] = [];
  let word: string | undefined;
  let pos = 0;
  for (;;) {
    if (pos >= region.length) unfinished();
    const c = region[pos];
    if (c === '\n' || c === '\r') break;
    if (c === ' ' || c === '\t') {
      if (word !== undefined) argv.push(word);
      word = undefined;
      pos++;
      continue;
    }
    const piece = SHLEX_PIECES.map(([re, value]) => {
      re.lastIndex = pos;
      const m = re.exec(region);
      return m && { text: value(m[0]), length: m[0].length };
    }).find(m => m);
    if (!piece) {
      if (c === "'") unfinished(); // the closing quote is not in the region
      throw new Error(`altered (${JSON.stringify(c)} at character ${pos + 1} is not how the stage script quotes)`);
    }
    word = (word ?? '') + piece.text;
    pos += piece.length;
  }
  if (word !== undefined) argv.push(word);
  if (!argv.length) throw new Error('an empty command');
  const endLine = /(?:\r\n|\r|\n)([^\r\n]*)/y;
  endLine.lastIndex = from + pos;
  const end = endLine.exec(log)![1];
  if (end.trim() !== SCRIPT_COMMAND_END) {
    const cut = endLine.lastIndex >= log.length && SCRIPT_COMMAND_END.startsWith(end.trimStart());
    throw new Error(cut ? 'cut (the end line is missing)' : 'altered (the line after the command is not the end line)');
  }
  return argv;
}

const SIMPLE_ESCAPES = new Map<string, string>([
  ['\\', '\\'], ["'", "'"], ['"', '"'],
  ['a', '\x07'], ['b', '\b'], ['f', '\f'], ['n', '\n'], ['r', '\r'], ['t', '\t'], ['v', '\v'],
]);
const HEX_ESCAPE_DIGITS = new Map<string, number>([['x', 2], ['u', 4], ['U', 8]]);
const WHITESPACE = ' \t\f\r\n';

/** Why and where a text is not a Python list of strings. */
export class PythonListError extends Error {
  constructor(readonly position: number, readonly what: string) {
    super(`Invalid Python string list at position ${position}: ${what}`);
  }
}

/** Parses a Python list-of-strings literal as printed by repr()/str() of a list. Throws PythonListError on anything else. */
export function parsePythonStringList(text: string): string[] {
  let pos = 0;
  const fail = (what: string, at: number = pos): never => {
    throw new PythonListError(at, what);
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
  if (/^[A-Za-z0-9@%+=:,./_-]+$/.test(word)) return word; // shlex's safe set: [\w@%+=:,./-], ASCII
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
