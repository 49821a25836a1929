import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { noPython } from './python';
import {
  findCompileCommand,
  MAX_CANDIDATES,
  MAX_COMMAND_CHARS,
  parsePythonStringList,
  SCRIPT_COMMAND_BEGIN,
  SCRIPT_COMMAND_END,
  searchCompileCommand,
  qpcDirOf,
  shellJoin,
  shellQuote,
} from '../../src/core/compileCommand';

// ---------------------------------------------------------------------------------------------
// Oracles: real Python (repr, ast.literal_eval, shlex.quote) and a real POSIX shell.


/** Runs a Python script with `input` as JSON on stdin; returns its stdout lines. */
function python(script: string, input: unknown): string[] {
  const r = spawnSync('python3', ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    env: { ...process.env, PYTHONIOENCODING: 'utf-8' },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').slice(0, -1);
}

/** `'Compiler command: ' + repr(list)` as QEfficient prints it, one line per list. */
function pyCommandLines(lists: string[][]): string[] {
  const lines = python(
    "import json, sys\nfor l in json.load(sys.stdin): print('Compiler command: ' + repr(l))",
    lists,
  );
  assert.equal(lines.length, lists.length);
  return lines;
}

/** ast.literal_eval of each text: the value, or {error} when Python rejects it. */
function pyLiteralEval(texts: string[]): unknown[] {
  const lines = python(
    [
      'import ast, json, sys, warnings',
      "warnings.simplefilter('ignore')",
      'for t in json.load(sys.stdin):',
      '    try: print(json.dumps(ast.literal_eval(t)))',
      "    except Exception as e: print(json.dumps({'error': type(e).__name__}))",
    ].join('\n'),
    texts,
  );
  assert.equal(lines.length, texts.length);
  return lines.map((l) => JSON.parse(l) as unknown);
}

/** The words a POSIX shell (/bin/sh) makes of `shell`, via `set -- <shell>`. */
function shWords(shell: string): string[] {
  const r = spawnSync('/bin/sh', ['-c', `set -- ${shell}; for a in "$@"; do printf '%s\\0' "$a"; done`], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout.split('\0').slice(0, -1);
}

// ---------------------------------------------------------------------------------------------
// Fixtures

const CACHE = '/home/user/.cache/qeff_models/GptOssForCausalLM/GptOssForCausalLM-0123456789abcdef';
const QPC = `${CACHE}/qpc-fedcba9876543210/qpc`;

/** A sample of the message QEFFBaseModel._compile raises on a compiler failure (base/modeling_qeff.py, release/v1.22.8.0). */
const SAMPLE_3_3 = [
  'Traceback (most recent call last):',
  '  ...',
  '  File ".../QEfficient/base/modeling_qeff.py", line NNNN, in _compile',
  '    raise RuntimeError(',
  'RuntimeError: Compilation failed!',
  `Compiler command: ['/opt/qti-aic/exec/qaic-compile', '-aic-hw', '-aic-hw-version=ai100', '-m=${CACHE}/GptOssForCausalLM.onnx', '-retained-state', '-convert-to-fp16', '-mxfp6-matmul', '-aic-num-cores=16', '-mos=1', '-aic-enable-depth-first', '-node-precision-info=/path/to/examples/disagg_serving/subfunction_120b_npi.yaml', '-sub-functions', '-network-specialization-config=${CACHE}/qpc-fedcba9876543210/specializations.json', '-custom-IO-list-file=${CACHE}/qpc-fedcba9876543210/custom_io.yaml', '-aic-binary-dir=${QPC}']`,
  'Compiler exitcode: 1',
  'Compiler stderr:',
  '<stderr of qaic-compile>',
];
const SAMPLE_LINE = 5;

/** v1.21.0: qaic-exec, with -compile-only before and after -m. */
const SAMPLE_V1_21_0 = [
  'RuntimeError: Compilation failed!',
  `Compiler command: ['/opt/qti-aic/exec/qaic-exec', '-aic-hw', '-compile-only', '-aic-hw-version=ai100', '-m=${CACHE}/GptOssForCausalLM.onnx', '-compile-only', '-retained-state', '-convert-to-fp16', '-aic-num-cores=16', '-network-specialization-config=${CACHE}/qpc-0000000000000000/specializations.json', '-aic-binary-dir=${CACHE}/qpc-0000000000000000/qpc']`,
  'Compiler exitcode: 255',
  'Compiler stderr:',
  '[json.exception.type_error.302] type must be string, but is object',
].join('\n');

/** Arguments that break naive quoting. */
const HOSTILE = [
  'two words', "it's", 'say "hi"', `both ' and "`, `'`, `"`, `''`, `\\'`, '$(touch /tmp/pwned)', '`id`',
  '${HOME}', '$HOME', 'line1\nline2', '\n', 'crlf\r\n', 'tab\there', 'héllo', '日本語', '中文 路径/模型.onnx',
  '😀', '👩‍👩‍👧 family', 'back\\slash', '\\', '\\\\n', '', '-leading-dash', '--', '-', '*', '*.onnx', '?',
  '[a]', '~', '~/qpc', '!', '!!', ';', 'a; rm -rf ~', '&&', '|', '||', '&', '>', '<in', '#not-a-comment',
  '(sub)', '{a,b}', 'a=b', '%s\\0', ' ', ' leading', 'trailing ', '\x07bell', '\x1b[31mred', '\x7f', '\x85',
  '\u00a0nbsp', '\u200b', '\u2028', '\ufeff', '\u{10ffff}',
];

// ---------------------------------------------------------------------------------------------

describe('findCompileCommand', () => {
  test('parses the sample of the upstream "Compilation failed!" message', () => {
    const cmd = findCompileCommand(SAMPLE_3_3.join('\n'));
    assert.ok(cmd);
    assert.equal(cmd.argv[0], '/opt/qti-aic/exec/qaic-compile');
    assert.equal(cmd.argv.length, 15);
    assert.equal(cmd.argv[14], `-aic-binary-dir=${QPC}`);
    assert.equal(cmd.qpcDir, QPC);
    assert.equal(cmd.line, SAMPLE_LINE);
    // Every argument is shell-safe, so the shell string is the plain join.
    assert.equal(cmd.shell, cmd.argv.join(' '));
    assert.ok(cmd.shell.startsWith('/opt/qti-aic/exec/qaic-compile -aic-hw -aic-hw-version=ai100 -m=/home/'));
  });

  test('agrees with Python ast.literal_eval on the upstream sample', { skip: noPython }, () => {
    const literal = SAMPLE_3_3[SAMPLE_LINE].slice('Compiler command: '.length);
    assert.deepEqual(findCompileCommand(SAMPLE_3_3.join('\n'))?.argv, pyLiteralEval([literal])[0]);
  });

  test('parses the v1.21.0 qaic-exec variant', () => {
    const cmd = findCompileCommand(SAMPLE_V1_21_0);
    assert.ok(cmd);
    assert.equal(cmd.argv[0], '/opt/qti-aic/exec/qaic-exec');
    assert.equal(cmd.argv.length, 11);
    assert.deepEqual(cmd.argv.slice(1, 3), ['-aic-hw', '-compile-only']);
    assert.equal(cmd.argv.filter((a) => a === '-compile-only').length, 2);
    assert.equal(cmd.qpcDir, `${CACHE}/qpc-0000000000000000/qpc`);
    assert.equal(cmd.line, 1);
  });

  test('handles CRLF logs: same argv and line, no stray \\r', () => {
    const lf = findCompileCommand(SAMPLE_3_3.join('\n'));
    const crlf = findCompileCommand(SAMPLE_3_3.join('\r\n') + '\r\n');
    assert.ok(crlf);
    assert.deepEqual(crlf, lf);
    assert.equal(crlf.line, SAMPLE_LINE);
    assert.equal(crlf.qpcDir, QPC);
    assert.ok(!crlf.shell.includes('\r'));
  });

  test('counts a lone \\r (progress bars) as a line break, like VS Code', () => {
    const log = "Exporting 10%\rExporting 100%\nRuntimeError: Compilation failed!\nCompiler command: ['qaic-compile', '-aic-hw']";
    const cmd = findCompileCommand(log);
    assert.equal(cmd?.line, 3);
    assert.deepEqual(cmd?.argv, ['qaic-compile', '-aic-hw']);
    // The marker right after a \r is found and sits on its own line.
    assert.equal(findCompileCommand("100%\rCompiler command: ['x']")?.line, 1);
  });

  test('allows surrounding whitespace on the line', () => {
    const cmd = findCompileCommand("\ufeff  \tCompiler command: ['a', 'b']  \t");
    assert.deepEqual(cmd?.argv, ['a', 'b']);
    assert.equal(cmd?.line, 0);
    assert.equal(cmd?.qpcDir, undefined);
  });

  test('returns undefined when there is no such line', () => {
    for (const log of [
      '',
      '\n\n',
      SAMPLE_3_3.filter((_, i) => i !== SAMPLE_LINE).join('\n'),
      'Compiler command: /opt/qti-aic/exec/qaic-compile -aic-hw',
      "Compiler commands: ['a']",
      "compiler command: ['a']",
      "Compiler command:['a']",
      "ERROR Compiler command: ['a']", // the marker must start the line
      "Compiler command: ['a'] trailing",
      "Compiler command: ['a',\n'b']", // a list split over lines is not what QEfficient prints
    ]) {
      assert.equal(findCompileCommand(log), undefined, JSON.stringify(log));
    }
  });

  test('returns undefined for a malformed literal', () => {
    for (const literal of ["['a' 'b']", "[b'x']", '[1, 2]', "['unterminated]", "[None]", "['a',,]", "['\\N{BULLET}']", '[]]', "[['a']]", '[]']) {
      assert.equal(findCompileCommand(`RuntimeError: Compilation failed!\nCompiler command: ${literal}`), undefined, literal);
    }
  });

  test('the last parseable line wins', () => {
    const log = ["Compiler command: ['first']", 'Compiler exitcode: 1', "Compiler command: ['second']", 'done'].join('\n');
    assert.deepEqual(searchCompileCommand(log), {
      command: { argv: ['second'], shell: 'second', qpcDir: undefined, line: 2, source: 'qefficient' },
      unreadable: [],
    });
    // Issue 9 point 13: a truncated last line falls back to the previous good one, and says so.
    const truncated = `${log}\nCompiler command: ['third', 'x]`;
    const found = searchCompileCommand(truncated);
    assert.equal(found.command?.line, 2);
    assert.deepEqual(found.unreadable, [{ line: 4, source: 'qefficient', reason: 'cut or altered (unterminated string, column 29)' }]);
    // Every unreadable line newer than the one used is listed, newest first; older ones are not.
    const twoCut = `Compiler command: ['zero\n${truncated}\nCompiler command: ['fourth',`;
    const both = searchCompileCommand(twoCut);
    assert.equal(both.command?.line, 3);
    assert.deepEqual(both.unreadable.map(u => u.line), [6, 5]);
    assert.match(both.unreadable[0].reason, /^cut or altered \(expected a string, found end of input, column 29\)$/);
  });

  test('with nothing readable, every candidate line is listed with its reason', () => {
    const r = searchCompileCommand("Compiler command: []\nok\nCompiler command: qaic-compile -aic-hw\n");
    assert.equal(r.command, undefined);
    assert.deepEqual(r.unreadable, [
      { line: 2, source: 'qefficient', reason: `cut or altered (expected '[', found "q", column 19)` },
      { line: 0, source: 'qefficient', reason: 'an empty list' },
    ]);
  });

  test('only the last MAX_CANDIDATES command lines are looked at', () => {
    const cut = "Compiler command: ['x\n";
    const within = searchCompileCommand(`Compiler command: ['good']\n${cut.repeat(MAX_CANDIDATES - 1)}`);
    assert.deepEqual(within.command?.argv, ['good']);
    assert.equal(within.unreadable.length, MAX_CANDIDATES - 1);
    const beyond = searchCompileCommand(`Compiler command: ['good']\n${cut.repeat(MAX_CANDIDATES * 1000)}`);
    assert.equal(beyond.command, undefined);
    assert.equal(beyond.unreadable.length, MAX_CANDIDATES);
    assert.equal(beyond.unreadable[0].line, MAX_CANDIDATES * 1000);
  });

  test('a line longer than MAX_COMMAND_CHARS is not parsed, and says so', () => {
    const long = `Compiler command: ['${'a'.repeat(MAX_COMMAND_CHARS)}']`;
    const r = searchCompileCommand(`Compiler command: ['ok']\n${long}\n`);
    assert.deepEqual(r.command?.argv, ['ok']);
    assert.equal(r.unreadable.length, 1);
    assert.match(r.unreadable[0].reason, /^longer than 1 MiB \(1048580 characters\), more than any compiler command$/);
    // Just under the limit is still read.
    const under = `Compiler command: ['${'a'.repeat(MAX_COMMAND_CHARS - 4)}']`;
    assert.equal(findCompileCommand(under)?.argv[0].length, MAX_COMMAND_CHARS - 4);
  });
});

describe('parsePythonStringList', () => {
  const ESCAPES: [string, string[]][] = [
    [String.raw`['a\\b', '\\']`, ['a\\b', '\\']],
    [String.raw`['it\'s', '\"']`, ["it's", '"']],
    [String.raw`["say \"hi\"", "\'"]`, ['say "hi"', "'"]],
    [String.raw`['\a\b\f\n\r\t\v']`, ['\x07\b\f\n\r\t\v']],
    [String.raw`['\0', '\101', '\1010', '\7', '\18', '\377', '\777']`, ['\0', 'A', 'A0', '\x07', '\x018', '\xff', '\u01ff']],
    [String.raw`['\x41\xe9\x00\xFF']`, ['A\xe9\x00\xff']],
    [String.raw`['\u00e9\u65e5\uFFFF', '\ud800']`, ['\u00e9\u65e5\uffff', '\ud800']],
    [String.raw`['\U0001F600\U000065e5', '\U0010ffff', '\U0000dc00']`, ['\u{1f600}\u65e5', '\u{10ffff}', '\udc00']],
    ["['a\\\nb', 'c\\\r\nd', 'e\\\rf']", ['ab', 'cd', 'ef']], // backslash-newline continuation
    [String.raw`['\d', '\8', '\ ', '\é', '\😀']`, ['\\d', '\\8', '\\ ', '\\é', '\\😀']], // unknown escapes keep the backslash
    [String.raw`[u'u', U"U", r'\n\'', R"\d\"", r'\\', r'\x']`, ['u', 'U', "\\n\\'", '\\d\\"', '\\\\', '\\x']],
    ["[r'a\\\nb']", ['a\\\nb']], // raw keeps backslash-newline
    [`["it's", 'say "hi"', '日本語 😀 é']`, ["it's", 'say "hi"', '日本語 😀 é']],
    ['[]', []],
    [' [ ] ', []],
    [`[ 'a' ,\n\t"b" ,\f]`, ['a', 'b']],
    [`['a',]`, ['a']],
    [`['', ""]`, ['', '']],
  ];

  test('decodes every escape kind, prefix and spacing', () => {
    for (const [text, expected] of ESCAPES) assert.deepEqual(parsePythonStringList(text), expected, text);
  });

  test('agrees with Python ast.literal_eval on all of those', { skip: noPython }, () => {
    const py = pyLiteralEval(ESCAPES.map(([t]) => t));
    ESCAPES.forEach(([text], i) => assert.deepEqual(parsePythonStringList(text), py[i], text));
  });

  // [text, message pattern, position, does Python accept it as a list of str?]
  const ERRORS: [string, RegExp, number, boolean][] = [
    ['', /expected '\[', found end of input/, 0, false],
    ["'a'", /expected '\['/, 0, false],
    ["['a'", /expected ',' or '\]', found end of input/, 4, false],
    ["['abc]", /unterminated string/, 1, false],
    ["['a\nb']", /unterminated string \(line break inside\)/, 1, false],
    ["[r'\\']", /unterminated string/, 1, false],
    ["[b'x']", /bytes literals are not supported/, 1, false],
    ["['a', Rb'x']", /bytes literals are not supported/, 6, false],
    ['[1]', /expected a string, found "1"/, 1, false],
    ['[None]', /expected a string, found "None"/, 1, false],
    ["[['a']]", /expected a string, found "\["/, 1, false],
    ['[,]', /expected a string, found ","/, 1, false],
    ["['a',,]", /expected a string, found ","/, 5, false],
    ["[f'x']", /unsupported string prefix "f"/, 1, false],
    ["[ur'x']", /unsupported string prefix "ur"/, 1, false],
    ["['''a''']", /triple-quoted strings are not supported/, 1, true], // repr never prints them: deliberately unsupported
    ["['a' 'b']", /expected ',' or '\]', found "'"/, 5, true], // adjacent concatenation: deliberately unsupported
    [String.raw`['\N{BULLET}']`, /\\N\{\.\.\.\} escapes are not supported/, 2, true], // needs the Unicode name table
    [String.raw`['ab\x4']`, /truncated \\x escape/, 4, false],
    [String.raw`['\u12']`, /truncated \\u escape/, 2, false],
    [String.raw`['\U0001F60']`, /truncated \\U escape/, 2, false],
    [String.raw`['\U00110000']`, /\\U00110000 is not a Unicode code point/, 2, false],
    ["['a'] x", /unexpected "x" after the list/, 6, false],
    ["['a']]", /unexpected "\]" after the list/, 5, false],
  ];

  test('throws an Error with the reason and position on anything else', () => {
    for (const [text, pattern, position] of ERRORS) {
      assert.throws(
        () => parsePythonStringList(text),
        (e: unknown) => e instanceof Error && pattern.test(e.message) && e.message.includes(`at position ${position}:`),
        `${JSON.stringify(text)} should fail with ${pattern} at ${position}`,
      );
    }
  });

  test('rejects only what Python also rejects as a list of str, bar three deliberate gaps', { skip: noPython }, () => {
    const py = pyLiteralEval(ERRORS.map(([t]) => t));
    ERRORS.forEach(([text, , , pythonAccepts], i) => {
      const isStrList = Array.isArray(py[i]) && (py[i] as unknown[]).every((x) => typeof x === 'string');
      assert.equal(isStrList, pythonAccepts, text);
    });
  });

  test('never throws anything but a positioned Error, and agrees with Python when it succeeds', { skip: noPython }, () => {
    // Grammar-biased fuzzing, checked against ast.literal_eval in one batch (NUL excluded: Python refuses it in source).
    const unit = fc.constantFrom('[', ']', "'", '"', '\\', ',', ' ', '\n', 'u', 'r', 'b', 'x', 'U', 'N', '0', '7', 'a', 'F', 'é', '😀');
    const texts = fc.sample(
      fc.oneof(fc.string({ unit, maxLength: 16 }), fc.string({ unit, maxLength: 14 }).map((s) => `['${s}']`)),
      { numRuns: 600, seed: 42 },
    );
    const accepted: [string, string[]][] = [];
    for (const text of texts) {
      try {
        accepted.push([text, parsePythonStringList(text)]);
      } catch (e) {
        assert.ok(e instanceof Error && /^Invalid Python string list at position \d+: /.test(e.message), String(e));
      }
    }
    assert.ok(accepted.length > 50, `only ${accepted.length} accepted: fuzzing too weak`);
    const py = pyLiteralEval(accepted.map(([t]) => t));
    accepted.forEach(([text, ours], i) => assert.deepEqual(ours, py[i], JSON.stringify(text)));
  });
});

describe('shellQuote / shellJoin', () => {
  test('quotes like shlex.quote', () => {
    assert.equal(shellQuote(''), "''");
    assert.equal(shellQuote('-aic-binary-dir=/a/b_c.d@e%f+g:h,i'), '-aic-binary-dir=/a/b_c.d@e%f+g:h,i');
    assert.equal(shellQuote('two words'), "'two words'");
    assert.equal(shellQuote("it's"), `'it'"'"'s'`);
    assert.equal(shellQuote('$(id)'), "'$(id)'");
    assert.equal(shellQuote('é'), "'é'"); // only ASCII word characters are safe
    assert.equal(shellJoin([]), '');
    assert.equal(shellJoin(['qaic-compile', '-m=/x y.onnx', '']), "qaic-compile '-m=/x y.onnx' ''");
  });

  test('matches Python shlex.quote exactly on hostile words', { skip: noPython }, () => {
    const py = python('import json, shlex, sys\nprint(json.dumps([shlex.quote(w) for w in json.load(sys.stdin)]))', HOSTILE);
    assert.deepEqual(HOSTILE.map(shellQuote), JSON.parse(py[0]));
  });

  test('sh reads every hostile word back unchanged', () => {
    assert.deepEqual(shWords(shellJoin(HOSTILE)), HOSTILE);
    for (const word of HOSTILE) assert.deepEqual(shWords(shellQuote(word)), [word], JSON.stringify(word));
  });

  test('property: sh reads shellJoin(argv) back as argv', () => {
    const special = fc.constantFrom(
      "'", '"', '\\', '$', '`', '\n', '\r', '\t', ' ', '!', '*', '?', '[', '~', ';', '&', '|', '(', ')',
      '{', '}', '<', '>', '#', '=', '-', '%', 'é', '日', '😀', '\u2028', '\x7f',
    );
    const char = fc.oneof(special, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
    const word = fc.oneof(
      fc.string({ unit: char, maxLength: 12 }).map((s) => s.replace(/\0/g, '')), // NUL cannot pass through argv
      fc.stringMatching(/^[A-Za-z0-9@%+=:,./_-]{1,12}$/),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (argv) => {
        assert.deepEqual(shWords(shellJoin(argv)), argv);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the stage script's shell-quoted block", () => {
  const block = (shell: string): string => `${SCRIPT_COMMAND_BEGIN}\n${shell}\n${SCRIPT_COMMAND_END}\n`;
  const ARGV = ['/opt/qti-aic/exec/qaic-compile', '-aic-hw', "-m=/it's a/m.onnx", '-aic-binary-dir=/q d/qpc'];

  test('reads what Python shlex.quote wrote, hostile words included, line breaks inside quotes too', { skip: noPython }, () => {
    const argv = ['/opt/qti-aic/exec/qaic-compile', ...HOSTILE.filter(w => !w.includes('\0')), '-aic-binary-dir=/x\ny/qpc'];
    const [printed] = python(
      `import json, shlex, sys\nprint(json.dumps(${JSON.stringify(SCRIPT_COMMAND_BEGIN)} + "\\n" + " ".join(shlex.quote(a) for a in json.load(sys.stdin)) + "\\n" + ${JSON.stringify(SCRIPT_COMMAND_END)} + "\\n"))`,
      argv,
    );
    const log = `fake QEfficient: exported x\n${JSON.parse(printed) as string}`;
    const found = searchCompileCommand(log);
    assert.deepEqual(found.command?.argv, argv);
    assert.equal(found.command?.source, 'script');
    assert.equal(found.command?.line, 2, 'the line of the command, after the begin line');
    assert.equal(found.command?.qpcDir, '/x\ny/qpc');
    assert.deepEqual(found.unreadable, []);
    assert.deepEqual(shWords(found.command.shell), argv);
  });

  test('the newest readable command wins, whichever kind', () => {
    const qeff = "Compiler command: ['old']";
    assert.deepEqual(findCompileCommand(`${qeff}\n${block('new')}`)?.argv, ['new']);
    assert.deepEqual(findCompileCommand(`${block('old')}${qeff.replace('old', 'new')}\n`)?.argv, ['new']);
    assert.deepEqual(findCompileCommand(`  ${SCRIPT_COMMAND_BEGIN} \r\n${shellJoin(ARGV)}\t\r\n${SCRIPT_COMMAND_END}\r\n`)?.argv, ARGV);
  });

  test('a cut block is not used silently: the earlier command is, and the cut one is reported', () => {
    const full = block(shellJoin(ARGV));
    const cuts: [string, string][] = [
      [full.slice(0, full.indexOf('/m.onnx')), 'cut (the log ends inside the command)'],
      [full.slice(0, full.indexOf(" '-aic-binary-dir")), 'cut (the log ends inside the command)'],
      [full.slice(0, full.indexOf(SCRIPT_COMMAND_END)), 'cut (the end line is missing)'],
      [full.slice(0, full.indexOf(SCRIPT_COMMAND_END) + 12), 'cut (the end line is missing)'],
      [block(shellJoin(['a', 'two\nlines'])).slice(0, SCRIPT_COMMAND_BEGIN.length + 8), 'cut (the log ends inside the command)'],
    ];
    for (const [cut, reason] of cuts) {
      const r = searchCompileCommand(`Compiler command: ['earlier']\n${cut}`);
      assert.deepEqual(r.command?.argv, ['earlier'], cut);
      assert.deepEqual(r.unreadable, [{ line: 2, source: 'script', reason }], cut);
    }
  });

  test('anything but what shlex.quote writes is refused, not guessed', () => {
    const altered: [string, RegExp][] = [
      ['qaic-compile $HOME', /"\$" at character 14/],
      ['qaic-compile "-m=a b"', /"\\"" at character 14/],
      ['qaic-compile -m=a\\ b', /"\\\\" at character 18/],
      ['qaic-compile a;b', /";" at character 15/],
      ['qaic-compile `id`', /"`" at character 14/],
    ];
    for (const [shell, where] of altered) {
      const r = searchCompileCommand(block(shell));
      assert.equal(r.command, undefined, shell);
      assert.match(r.unreadable[0].reason, /^altered \(/, shell);
      assert.match(r.unreadable[0].reason, where, shell);
    }
    const noEnd = searchCompileCommand(`${SCRIPT_COMMAND_BEGIN}\nqaic-compile\nsomething else\n`);
    assert.deepEqual(noEnd.unreadable, [{ line: 1, source: 'script', reason: 'altered (the line after the command is not the end line)' }]);
    const empty = searchCompileCommand(block(''));
    assert.deepEqual(empty.unreadable, [{ line: 1, source: 'script', reason: 'an empty command' }]);
  });

  test('a block longer than MAX_COMMAND_CHARS is not read', () => {
    for (const shell of [`qaic-compile ${'a'.repeat(MAX_COMMAND_CHARS)}`, `qaic-compile '${'a\n'.repeat(MAX_COMMAND_CHARS / 2)}'`]) {
      const r = searchCompileCommand(block(shell));
      assert.equal(r.command, undefined);
      assert.match(r.unreadable[0].reason, /^longer than 1 MiB \(\d+ characters\)/);
    }
  });
});

describe('qpcDirOf', () => {
  test('takes the value of the last -aic-binary-dir=', () => {
    assert.equal(qpcDirOf([]), undefined);
    assert.equal(qpcDirOf(['-aic-hw', '-aic-binary-dir', '/x', 'aic-binary-dir=/y']), undefined);
    assert.equal(qpcDirOf(['-aic-binary-dir=/a', '-m=/m.onnx', '-aic-binary-dir=/b c/qpc']), '/b c/qpc');
    assert.equal(qpcDirOf(['-aic-binary-dir=']), '');
    assert.equal(qpcDirOf(['-aic-binary-dir=/a=b']), '/a=b');
  });
});

describe('round trip through real Python repr', { skip: noPython }, () => {
  test('hostile arguments: repr -> findCompileCommand -> argv, and the shell string through sh', () => {
    const argv = ['/opt/qti-aic/exec/qaic-compile', '-aic-hw', ...HOSTILE, "-aic-binary-dir=/tmp/it's a \"qpc\"/日本 😀/qpc"];
    const [line] = pyCommandLines([argv]);
    assert.ok(!line.includes('\n') && !line.includes('\r'), 'repr keeps the command on one line');
    const log = `Traceback (most recent call last):\r\nRuntimeError: Compilation failed!\r\n${line}\r\nCompiler exitcode: 1\r\n`;
    const cmd = findCompileCommand(log);
    assert.ok(cmd, line);
    assert.deepEqual(cmd.argv, argv);
    assert.equal(cmd.line, 2);
    assert.equal(cmd.qpcDir, "/tmp/it's a \"qpc\"/日本 😀/qpc");
    assert.deepEqual(shWords(cmd.shell), argv);
  });

  test('repr escapes of every kind Python emits are decoded', () => {
    // Python picks \xhh, \uXXXX, \UXXXXXXXX, \\ \' \n \r \t and double quotes by itself here.
    const argv = ['\0\x01\x1f\x7f\x85\xa0', '\u2028\ud800\udfff\ufeff', '\u{e0001}\u{10ffff}', "only'single", 'both\'"', '\\\n\r\t'];
    const [line] = pyCommandLines([argv]);
    assert.match(line, /\\x00.*\\u2028.*\\U000e0001.*"only'single".*\\'/);
    assert.deepEqual(findCompileCommand(line)?.argv, argv);
  });

  test('property: parse(repr(list)) is the list (one batched python call)', () => {
    const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
    const char = fc.oneof(
      fc.constantFrom("'", '"', '\\', '$', '`', '\n', '\r', '\t', '\0', '\x85', '\u00a0', '\u2028', '\ufeff', '日', '😀'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
      loneSurrogate,
    );
    const list = fc.array(fc.string({ unit: char, maxLength: 10 }), { minLength: 1, maxLength: 6 }); // [] is no command
    fc.assert(
      fc.property(fc.array(list, { minLength: 50, maxLength: 50 }), (lists) => {
        const lines = pyCommandLines(lists);
        lists.forEach((l, i) => assert.deepEqual(findCompileCommand(lines[i])?.argv, l, lines[i]));
      }),
      { numRuns: 1 },
    );
  });
});
