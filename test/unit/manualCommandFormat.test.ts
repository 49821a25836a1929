// Issue 14: one manual-command format everywhere. Each example's prefill stage script (`qeff-disagg script`)
// and the driver (src/runner/qeff_driver.py, what the extension runs) are run against the test double
// (test/fake) from a folder that is not the script's, under a QEFF_HOME whose path holds spaces, quotes and
// $(...). Their output goes to `qeff-disagg compile-command`, which must give back exactly the argv the fake
// compiler received, and a shell string that sh turns back into that argv.
// The failure text is upstream's: QEfficient/base/modeling_qeff.py, QEFFBaseModel._compile (release/v1.22.0,
// also v1.21.0, v1.22.8.0 and main): RuntimeError("\n".join(["Compilation failed!", f"Compiler command: {e.cmd}",
// f"Compiler exitcode: {e.returncode}", "Compiler stderr:", e.stderr.decode()])).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseEventLine, type DriverEvent, type RunRequest } from '../../src/core/runnerProtocol';
import { repoRoot } from './repoRoot';
import { noPython } from './python';

const ROOT = repoRoot();
const CLI = join(ROOT, 'dist', 'cli.js');
const EXAMPLE_NAMES = readdirSync(join(ROOT, 'examples')).filter(f => f.endsWith('.qeff.json'));
const skip = noPython;

let tmp = '';
let FAKE_PY = '';
let FAKE_COMPILER = '';
let DRIVER = '';
let ELSEWHERE = '';
let QEFF_HOME = '';
let EXAMPLES_DIR = '';

before(() => {
  tmp = mkdtempSync(join(tmpdir(), "qeff format 'q' $(x) "));
  const fake = join(tmp, 'fake "dq" `z`');
  cpSync(join(ROOT, 'test', 'fake'), fake, { recursive: true, verbatimSymlinks: true, filter: src => basename(src) !== '__pycache__' });
  FAKE_PY = join(fake, 'python');
  FAKE_COMPILER = join(fake, 'bin', 'qaic-compile');
  DRIVER = join(tmp, 'driver $(y)', 'qeff_driver.py');
  mkdirSync(dirname(DRIVER));
  cpSync(join(ROOT, 'src', 'runner', 'qeff_driver.py'), DRIVER);
  ELSEWHERE = join(tmp, "another folder 'w'");
  mkdirSync(ELSEWHERE);
  QEFF_HOME = join(tmp, `qeff home 'sq' "dq" $(touch pwned) \`id\``);
  // The examples with the double of a QEfficient checkout beside them: the 120b one names upstream's NPI files.
  EXAMPLES_DIR = join(tmp, 'examples');
  cpSync(join(ROOT, 'examples'), EXAMPLES_DIR, { recursive: true });
  cpSync(join(ROOT, 'test', 'fake', 'python', 'examples'), join(EXAMPLES_DIR, 'efficient-transformers', 'examples'), { recursive: true });
});

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

interface Run { status: number | null; stdout: string; stderr: string }

function run(command: string, args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const r = spawnSync(command, args, { cwd: opts.cwd ?? ELSEWHERE, input: opts.input ?? '', env: opts.env, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cli = (args: string[], input?: string): Run => run(process.execPath, [CLI, ...args], { input });

/** The fake on PYTHONPATH, the hostile QEFF_HOME, nothing inherited that the fake or the stage reads. */
function fakeEnv(argvFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(FAKE_|QEFF_|PYTHON|NUM_Q_BLOCKS$|NUM_FFN_BLOCKS$|ENABLE_OPT_SWA$|XDG_CACHE_HOME$)/.test(k)) env[k] = v;
  }
  return { ...env, PYTHONPATH: FAKE_PY, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8', FAKE_QAIC_COMPILE: FAKE_COMPILER, QEFF_HOME, FAKE_QAIC_ARGV_FILE: argvFile };
}

interface Parsed { argv: string[]; shell: string; qpcDir: string | null; line: number; source: string; unreadable: unknown[] }

function compileCommandJson(log: string): Parsed {
  const r = cli(['compile-command', '--format', 'json', '-'], log);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout) as Parsed;
}

/** The words sh makes of `shell`. */
function shWords(shell: string): string[] {
  const r = spawnSync('/bin/sh', ['-c', `set -- ${shell}; for a in "$@"; do printf '%s\\0' "$a"; done`], { encoding: 'utf8', cwd: ELSEWHERE });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\0').slice(0, -1);
}

/** An argument with the export folder and the QPC hash folded: the driver's keyed folder vs QEfficient's default. */
const sameFolders = (arg: string): string =>
  arg.replace(/\/qeff-disagg\/[^/]+\/([^/]+)-[0-9a-f]+\//, '/$1/$1-H/').replace(/\/GptOssForCausalLM\/GptOssForCausalLM-[0-9a-f]+\//, '/GptOssForCausalLM/GptOssForCausalLM-H/').replace(/\/qpc-[0-9a-f]+\//, '/qpc-H/');

const binaryDir = (argv: string[]): string => argv.find(a => a.startsWith('-aic-binary-dir='))!.slice('-aic-binary-dir='.length);

describe('the stage script, the driver and compile-command agree on the compiler argv', { skip }, () => {
  for (const exampleName of EXAMPLE_NAMES) {
    test(exampleName, () => {
      const example = join(EXAMPLES_DIR, exampleName);
      const name = basename(example, '.qeff.json');
      const scriptText = cli(['script', '--stage', 'prefill', example]);
      assert.equal(scriptText.status, 0, scriptText.stderr);
      const script = join(tmp, `scripts 'for' $(z)`, `${name}.prefill.py`);
      mkdirSync(dirname(script), { recursive: true });
      writeFileSync(script, scriptText.stdout);

      // 1. The stage script, run by hand from another folder.
      const scriptArgvFile = join(tmp, `${name} script argv.json`);
      const s = run('python3', [script], { env: fakeEnv(scriptArgvFile) });
      assert.equal(s.status, 1, s.stderr);
      const received = JSON.parse(readFileSync(scriptArgvFile, 'utf8')) as string[];
      assert.equal(received[0], FAKE_COMPILER);
      assert.ok(received.includes('-sub-functions'));
      assert.ok(binaryDir(received).startsWith(QEFF_HOME + '/'), 'the QPC lands under the hostile QEFF_HOME');
      // QEfficient's failure text, as upstream's _compile wrote it, on stderr.
      const lines = s.stderr.split('\n');
      const at = lines.indexOf('RuntimeError: Compilation failed!');
      assert.ok(at >= 0, s.stderr);
      assert.match(lines[at + 1], /^Compiler command: \['/);
      assert.deepEqual(lines.slice(at + 2, at + 4), ['Compiler exitcode: 1', 'Compiler stderr:']);
      assert.equal(lines[at + 4], 'QAIC_ERROR:');
      assert.doesNotMatch(s.stdout, /Compiler command: /, 'QEfficient\'s line goes to stderr only');

      // Every way a user may keep the script's output reads back as the argv the compiler received.
      const logs: [string, string, string][] = [
        ['stdout only', s.stdout, 'script'],
        ['stderr only', s.stderr, 'qefficient'],
        ['stderr then stdout (2>&1, stdout flushed at exit)', s.stderr + s.stdout, 'script'],
        ['stdout then stderr', s.stdout + s.stderr, 'qefficient'],
        ['CRLF', (s.stderr + s.stdout).replace(/\n/g, '\r\n'), 'script'],
      ];
      for (const [how, log, source] of logs) {
        const parsed = compileCommandJson(log);
        assert.deepEqual(parsed.argv, received, how);
        assert.equal(parsed.source, source, how);
        assert.equal(parsed.qpcDir, binaryDir(received), how);
        assert.deepEqual(shWords(parsed.shell), received, how);
        assert.deepEqual(parsed.unreadable, [], how);
      }
      // The text format: the shell string, then the QPC folder.
      const text = cli(['compile-command'], s.stdout);
      assert.equal(text.status, 0, text.stderr);
      const [shell, qpc, rest] = text.stdout.split('\n');
      assert.deepEqual(shWords(shell), received);
      assert.equal(qpc, `# QPC folder: ${binaryDir(received)}`);
      assert.equal(rest, '');
      assert.ok(!existsSync(join(ELSEWHERE, 'pwned')) && !existsSync(join(tmp, 'pwned')), 'no $(...) ran');

      // 2. The driver, given the request the extension builds from the same plan (stageRun.ts).
      const plan = JSON.parse(cli(['plan', '--format', 'json', example]).stdout) as { model: string; stages: any[] };
      const stage = plan.stages.find(x => x.stage === 'prefill');
      const request: RunRequest = {
        protocol: 1, model: plan.model, stage: 'prefill', step: 'compile', mode: stage.mode,
        fromPretrained: stage.fromPretrained, compile: stage.compile, env: stage.env,
      };
      const requestFile = join(tmp, `${name} request.json`);
      writeFileSync(requestFile, JSON.stringify(request));
      const driverArgvFile = join(tmp, `${name} driver argv.json`);
      const d = run('python3', ['-u', DRIVER, 'run', '--request', requestFile], { cwd: dirname(example), env: { ...fakeEnv(driverArgvFile), ...stage.env } });
      assert.equal(d.status, 3, d.stderr);
      // The driver exports into a folder keyed by the trace-time env (issue 8), the script into QEfficient's
      // default one: the same flags, the export and QPC folders aside.
      const driverReceived = JSON.parse(readFileSync(driverArgvFile, 'utf8')) as string[];
      assert.deepEqual(driverReceived.map(sameFolders), received.map(sameFolders), 'the driver ran the same compiler flags');
      // What the extension captures: the manual_compile event.
      const events = d.stdout.split('\n').map(l => parseEventLine(l)).filter((e): e is DriverEvent => !!e);
      const manual = events.find(e => e.event === 'manual_compile');
      assert.ok(manual && manual.event === 'manual_compile', d.stdout);
      assert.deepEqual(manual.argv, driverReceived);
      assert.equal(manual.qpcDir, binaryDir(driverReceived));
      // The driver's log (what the extension's output shows): compile-command reads the same argv from it.
      for (const log of [d.stderr, d.stdout + d.stderr]) {
        const parsed = compileCommandJson(log);
        assert.deepEqual(parsed.argv, driverReceived);
        assert.equal(parsed.source, 'qefficient');
        assert.equal(parsed.qpcDir, binaryDir(driverReceived));
      }
    });
  }
});
