// `qeff-disagg`: the config language on the command line (check, plan, script, compile-command).
import { statSync, writeFileSync } from 'node:fs';
import { readFileBounded, type BoundedText } from './boundedRead';
import { resolve } from 'node:path';
import { checkText } from '../core/check';
import { MAX_CANDIDATES, searchCompileCommand, type CommandSource } from '../core/compileCommand';
import { formatBytes } from '../core/kvMemory';
import { nodeFileHost } from '../core/nodeFileHost';
import { MAX_TEXT_LENGTH, tooLargeMessage } from '../core/parse';
import { buildPlan, PlanError, type Plan } from '../core/plan';
import { pyString } from '../core/pythonLiteral';
import { stageScript } from '../core/pythonScript';
import { applyRuleSettings, readRuleSettings, type RuleSetting } from '../core/ruleSettings';
import { buildServeCommand, type Runtime } from '../core/serving/serveCommand';
import type { CheckOptions, Diagnostic } from '../core/types';
import { initPythonParser, pythonParser, type WasmReader } from '../core/python/parser';
import { analyseScript, checkScript, ImportError, importScript } from '../core/python/scriptCheck';

export class UsageError extends Error {}

const USAGE = `Usage:
  qeff-disagg check [--format text|json] [--qefficient-version V] [--rules '{"QEFF-SUB-02":"off"}'] FILE...
  qeff-disagg plan [--format text|json] FILE
  qeff-disagg script --stage prefill|decode FILE
  qeff-disagg compile-command [--format text|json] [LOGFILE|-]
  qeff-disagg serve-command [--format text|json] [--runtime bare|docker] FILE
  qeff-disagg import [--out FILE|-] [--force] SCRIPT.py
check also takes Python scripts (*.py): the same rules on their QEFFAutoModelForCausalLM calls.
Exit codes: 0 ok; 1 errors found (check, serve-command) or no compiler command (compile-command); 2 bad usage or unreadable file.`;

export interface Io { stdout(s: string): void; stderr(s: string): void; readStdin(maxBytes: number): BoundedText }

interface Parsed { flags: Map<string, string>; files: string[] }

const FORMATS = ['text', 'json'];
const options = (o: { [name: string]: readonly string[] | null }) => new Map(Object.entries(o));

/** `known`: option name -> allowed values (null: any). A Map: an option named `toString` or `__proto__` is
 *  unknown, not an inherited property. */
function parseArgs(args: string[], known: ReadonlyMap<string, readonly string[] | null>): Parsed {
  const flags = new Map<string, string>();
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') { files.push(...args.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
      if (!known.has(name)) throw new UsageError(`unknown option --${name}`);
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      const allowed = known.get(name);
      if (allowed && !allowed.includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got "${value}"`);
      flags.set(name, value);
    } else {
      files.push(a);
    }
  }
  return { flags, files };
}

/** The file's text, or its size when it is over the limit (not read: a 50 MB file is not loaded whole). */
export function readConfigFile(file: string): { text: string } | { tooLarge: number | undefined } {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new UsageError(`${file}: is a directory, not a config file`);
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (size > MAX_TEXT_LENGTH) return { tooLarge: size };
  try {
    // Counted while reading: /dev/zero, a FIFO or a /proc file reports size 0 and has no end.
    const read = readFileBounded(file, MAX_TEXT_LENGTH);
    if (read.more) return { tooLarge: undefined };
    // A UTF-8 byte-order mark is not part of the JSON (editors drop it too).
    return { text: read.text.replace(/^\uFEFF/, '') };
  } catch (e) {
    throw new UsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function check(args: string[], io: Io): number {
  const { flags, files } = parseArgs(args, options({ format: FORMATS, 'qefficient-version': null, rules: null }));
  if (!files.length) throw new UsageError('check needs at least one FILE');
  const version = flags.get('qefficient-version');
  if (version !== undefined && !/^\d+\.\d+(\.\d+)?$/.test(version)) throw new UsageError(`--qefficient-version must look like 1.22 or 1.22.8; got "${version}"`);
  const rules = ruleSettingsFlag(flags.get('rules'));
  const texts = files.map(f => [f, readConfigFile(f)] as const); // read all first: a missing file is a usage error
  const results: { file: string; diagnostics: Diagnostic[] }[] = texts.map(([file, read]) => ({
    file, diagnostics: 'tooLarge' in read
      ? [{ code: 'QEFF-JSON', severity: 'error', message: tooLargeMessage(read.tooLarge), offset: 0, length: 0,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }]
      : applyRuleSettings(checkAny(file, read.text, { configPath: resolve(file), qefficientVersion: version, host: nodeFileHost }), rules),
  }));
  if (flags.get('format') === 'json') {
    const out = results.flatMap(r => r.diagnostics.map(d => ({
      file: r.file, code: d.code, severity: d.severity, message: d.message, range: d.range,
      ...(d.fix ? { fix: d.fix } : {}), ...(d.moreFixes ? { moreFixes: d.moreFixes } : {}),
    })));
    io.stdout(JSON.stringify(out, null, 2) + '\n');
  } else {
    for (const r of results) for (const d of r.diagnostics) {
      io.stdout(`${r.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code} ${d.message}\n`);
    }
  }
  return results.some(r => r.diagnostics.some(d => d.severity === 'error')) ? 1 : 0;
}

/** --rules: the JSON object of the qeffDisagg.rules setting; any problem with it is a usage error. */
function ruleSettingsFlag(text: string | undefined): ReadonlyMap<string, RuleSetting> {
  if (text === undefined) return new Map();
  let value: unknown;
  try { value = JSON.parse(text); } catch { throw new UsageError(`--rules must be a JSON object such as {"QEFF-SUB-02":"off"}; got ${text}`); }
  const { settings, problems } = readRuleSettings(value);
  if (problems.length) throw new UsageError(`--rules: ${problems.join('; ')}`);
  return settings;
}

const isScript = (file: string) => /\.py$/i.test(file);

/** A *.py file gets the script check (ranges in the script); anything else is a config. */
function checkAny(file: string, text: string, options: CheckOptions): Diagnostic[] {
  return isScript(file) ? checkScript(text, options) : checkText(text, options);
}

/** The config equivalent of a script's compile calls, written next to it (or to --out) and never over a file without --force. */
function importCommand(args: string[], io: Io): number {
  const force = args.includes('--force');
  const { flags, files } = parseArgs(args.filter(a => a !== '--force'), options({ out: null }));
  if (files.length !== 1) throw new UsageError('import needs exactly one SCRIPT.py');
  const script = files[0];
  if (!isScript(script)) throw new UsageError(`${script}: import reads a Python script (*.py)`);
  const read = readConfigFile(script);
  if ('tooLarge' in read) throw new UsageError(`${script}: ${tooLargeMessage(read.tooLarge)}`);
  let text: string;
  try {
    text = importScript(analyseScript(read.text), script.replace(/\\/g, '/').split('/').pop()!);
  } catch (e) {
    if (e instanceof ImportError) throw new UsageError(`${script}: ${e.message}`);
    throw e;
  }
  const out = flags.get('out') ?? script.replace(/\.py$/i, '.qeff.json');
  if (out === '-') {
    io.stdout(text);
    return 0;
  }
  try {
    writeFileSync(out, text, { encoding: 'utf8', flag: force ? 'w' : 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${out}: exists; not overwritten (pass --force to replace it, or --out another file)`);
    throw new UsageError(`${out}: cannot write (${code ?? (e as Error).message})`);
  }
  io.stderr(`wrote ${out}; check it with: qeff-disagg check ${out}\n`);
  return 0;
}

function loadPlan(file: string): Plan {
  const read = readConfigFile(file);
  if ('tooLarge' in read) throw new UsageError(`${file}: ${tooLargeMessage(read.tooLarge)}`);
  try {
    return buildPlan(read.text, { configPath: resolve(file), host: nodeFileHost });
  } catch (e) {
    if (e instanceof PlanError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

function plan(args: string[], io: Io): number {
  const { flags, files } = parseArgs(args, options({ format: FORMATS }));
  if (files.length !== 1) throw new UsageError('plan needs exactly one FILE');
  const p = loadPlan(files[0]);
  if (flags.get('format') === 'json') {
    io.stdout(JSON.stringify(p, null, 2) + '\n');
    return 0;
  }
  const lines = [`model: ${p.model}`, `family: ${p.family ?? 'unknown (set "family")'}`, `qefficientVersion: ${p.qefficientVersion ?? 'latest'}`];
  for (const s of p.stages) {
    lines.push('', `[${s.stage}] mode ${s.mode}`,
      `  from_pretrained: ${JSON.stringify(s.fromPretrained)}`,
      `  compile: ${JSON.stringify(s.compile)}`,
      `  env: ${JSON.stringify(s.env)}`,
      s.kvBytesPerSlot === null
        ? '  kv: unknown (family unknown)'
        : `  kv: ${formatBytes(s.kvBytesPerSlot, s.kvApproximate)} per slot x ${s.kvSlots} slots = ${formatBytes(s.kvBytesTotal!, s.kvApproximate)} (kvBytesPerSlot ${s.kvBytesPerSlot}, kvSlots ${s.kvSlots}, kvBytesTotal ${s.kvBytesTotal})`);
    if (s.ccl) lines.push(`  ccl: ${s.ccl.kwarg} ${JSON.stringify(s.ccl.effective)} as QEfficient compiles it, ctx_len ${s.ccl.ctxLen}`);
  }
  if (!p.stages.length) lines.push('', 'no stage with a valid mode');
  io.stdout(lines.join('\n') + '\n');
  return 0;
}

function script(args: string[], io: Io): number {
  const { flags, files } = parseArgs(args, options({ stage: ['prefill', 'decode'] }));
  const stage = flags.get('stage') as 'prefill' | 'decode' | undefined;
  if (!stage) throw new UsageError('script needs --stage prefill|decode');
  if (files.length !== 1) throw new UsageError('script needs exactly one FILE');
  const text = stageScript(loadPlan(files[0]), stage);
  if (text === undefined) throw new UsageError(`${files[0]}: has no "${stage}" stage with a valid mode`);
  io.stdout(text);
  return 0;
}

/** Far above any real log's tail: the compiler command is a few KB near the end of the failure. */
export const MAX_LOG_BYTES = 64 * 1024 * 1024;

const SOURCE_NAMES: Record<CommandSource, string> = {
  qefficient: 'QEfficient\'s "Compiler command: [...]" line',
  script: 'the stage script\'s shell-quoted command',
};

function compileCommand(args: string[], io: Io): number {
  const { flags, files } = parseArgs(args, options({ format: FORMATS }));
  if (files.length > 1) throw new UsageError('compile-command takes at most one LOGFILE');
  const source = files[0] ?? '-';
  const name = source === '-' ? 'stdin' : source;
  let log: BoundedText;
  try {
    log = source === '-' ? io.readStdin(MAX_LOG_BYTES) : readFileBounded(source, MAX_LOG_BYTES);
  } catch (e) {
    throw new UsageError(`${source}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (log.more) {
    io.stderr(`qeff-disagg: ${name}: more than ${formatBytes(MAX_LOG_BYTES)}; compile-command stops reading there. `
      + 'Give it the end of the log, where the failure is: tail -n 1000 LOG | qeff-disagg compile-command\n');
    return 2;
  }
  const { command: found, unreadable } = searchCompileCommand(log.text);
  const SHOWN = 5;
  unreadable.slice(0, SHOWN).forEach((u, i) => {
    io.stderr(`${name}:${u.line + 1}: ${i ? '' : 'the last compiler command, '}${SOURCE_NAMES[u.source]}, is ${u.reason}: not used\n`);
  });
  if (unreadable.length > SHOWN) io.stderr(`${name}: ${unreadable.length - SHOWN} more unreadable compiler command lines before those\n`);
  if (!found) {
    const limit = unreadable.length === MAX_CANDIDATES ? ` in the last ${MAX_CANDIDATES} command lines` : '';
    io.stderr(`${name}: no readable "Compiler command: [...]" line or stage-script command found${limit} (QEfficient prints it when compile fails with "Compilation failed!")\n`);
    return 1;
  }
  if (unreadable.length) {
    io.stderr(`${name}:${found.line + 1}: used ${SOURCE_NAMES[found.source]} here instead; it may be from an earlier run\n`);
  }
  if (flags.get('format') === 'json') {
    io.stdout(JSON.stringify({
      argv: found.argv, shell: found.shell, qpcDir: found.qpcDir ?? null, line: found.line + 1, source: found.source,
      unreadable: unreadable.map(u => ({ ...u, line: u.line + 1 })),
    }, null, 2) + '\n');
  } else {
    io.stdout(`${found.shell}\n`);
    // A comment line: a folder name with a line break in it is shown escaped, so it cannot end the comment.
    if (found.qpcDir !== undefined) io.stdout(`# QPC folder: ${/[\p{C}\p{Zl}\p{Zp}]/u.test(found.qpcDir) ? pyString(found.qpcDir) : found.qpcDir}\n`);
  }
  return 0;
}

function serveCommand(args: string[], io: Io): number {
  const { flags, files } = parseArgs(args, options({ format: FORMATS, runtime: ['bare', 'docker'] }));
  if (files.length !== 1) throw new UsageError('serve-command needs exactly one FILE');
  const read = readConfigFile(files[0]);
  if ('tooLarge' in read) throw new UsageError(`${files[0]}: ${tooLargeMessage(read.tooLarge)}`);
  const result = buildServeCommand(read.text, {
    configPath: resolve(files[0]), host: nodeFileHost, runtime: flags.get('runtime') as Runtime | undefined,
  });
  for (const d of result.diagnostics) {
    if (d.severity === 'error' || d.severity === 'warning') {
      io.stderr(`${files[0]}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code} ${d.message}\n`);
    }
  }
  if (!result.command) {
    io.stderr(`qeff-disagg: ${files[0]}: no launch command: ${result.error}\n`);
    return 1;
  }
  const c = result.command;
  if (flags.get('format') === 'json') {
    io.stdout(JSON.stringify({ argv: c.argv, shell: c.shell, env: c.env, qpc: c.qpc }, null, 2) + '\n');
  } else {
    for (const note of c.notes) io.stdout(`# ${note}\n`);
    io.stdout(`${c.shell}\n`);
  }
  return 0;
}

const COMMANDS = new Map<string, (args: string[], io: Io) => number>([
  ['check', check], ['plan', plan], ['script', script], ['compile-command', compileCommand], ['serve-command', serveCommand],
  ['import', importCommand],
]);

/** Whether a command line needs the Python parser: `import`, or `check` of a *.py file. */
export function needsPython(argv: string[]): boolean {
  return argv[0] === 'import' || (argv[0] === 'check' && argv.slice(1).some(isScript));
}

/** `run`, after starting the Python parser when the command line needs it (it is not started otherwise). */
export async function runWithPython(argv: string[], io: Io, read: WasmReader): Promise<number> {
  if (needsPython(argv) && !pythonParser()) {
    try {
      await initPythonParser(read);
    } catch (e) {
      io.stderr(`qeff-disagg: cannot start the Python parser (${(e as Error).message}); is the installation complete (dist/*.wasm)?\n`);
      return 2;
    }
  }
  return run(argv, io);
}

export function run(argv: string[], io: Io): number {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    (cmd ? io.stdout : io.stderr)(USAGE + '\n');
    return cmd ? 0 : 2;
  }
  const fn = COMMANDS.get(cmd);
  try {
    if (!fn) throw new UsageError(`unknown command "${cmd}"`);
    return fn(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`qeff-disagg: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    io.stderr(`qeff-disagg: internal error: ${(e as Error).stack ?? e}\n`);
    return 3;
  }
}
