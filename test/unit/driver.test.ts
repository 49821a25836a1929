// The Python driver (src/runner/qeff_driver.py) run as the extension runs it: `python3 -u qeff_driver.py ...`
// with an argument array, against the fake QEfficient and fake compiler in test/fake/. The driver and the fake
// are copied into a temp folder whose names hold spaces, quotes and $(), so every path the driver, QEfficient
// and the compiler see (script, PYTHONPATH, QEFF_HOME, -m=, argv[0], the request file) is hostile.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseEventLine, type DriverEvent, type RunRequest } from '../../src/core/runnerProtocol';
import { repoRoot } from './repoRoot';
import { noPython, PYTHON_EXE } from './python';


const ROOT = repoRoot();
const skip = noPython;
// The interpreter `python3` resolves to, spawned directly: the same Python, without a version-manager shim's
// start-up cost on every run.
const PYTHON = PYTHON_EXE || 'python3';

let tmp = '';
let DRIVER = '';
let FAKE_PY = '';
let FAKE_COMPILER = '';
let FAKE_ROOT = '';

before(() => {
  tmp = mkdtempSync(join(tmpdir(), "qeff dir 'q' $(x) "));
  DRIVER = join(tmp, 'driver $(y)', 'qeff_driver.py');
  mkdirSync(dirname(DRIVER));
  cpSync(join(ROOT, 'src', 'runner', 'qeff_driver.py'), DRIVER);
  const fake = join(tmp, 'fake "dq" `z`');
  cpSync(join(ROOT, 'test', 'fake'), fake, {
    recursive: true, verbatimSymlinks: true, filter: src => basename(src) !== '__pycache__',
  });
  FAKE_PY = join(fake, 'python');
  FAKE_COMPILER = join(fake, 'bin', 'qaic-compile');
  FAKE_ROOT = join(fake, 'qaic-root');
});

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

type EventOf<K extends DriverEvent['event']> = Extract<DriverEvent, { event: K }>;

interface DriverRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: DriverEvent[];
}

function only<K extends DriverEvent['event']>(r: DriverRun, kind: K): EventOf<K>[] {
  return r.events.filter((e): e is EventOf<K> => e.event === kind);
}

function one<K extends DriverEvent['event']>(r: DriverRun, kind: K): EventOf<K> {
  const found = only(r, kind);
  assert.equal(found.length, 1, `exactly one ${kind} event expected; events: ${JSON.stringify(r.events)}\nstderr: ${r.stderr}`);
  return found[0];
}

/** The environment of a driver run: the fake on PYTHONPATH, nothing inherited that the driver or the fake reads. */
function driverEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(FAKE_|QEFF_|PYTHON|NUM_Q_BLOCKS$|NUM_FFN_BLOCKS$|ENABLE_OPT_SWA$|XDG_CACHE_HOME$)/.test(k)) continue;
    env[k] = v;
  }
  Object.assign(env, {
    PYTHONPATH: FAKE_PY,
    PYTHONDONTWRITEBYTECODE: '1',
    FAKE_QAIC_COMPILE: FAKE_COMPILER,
    QEFF_DISAGG_QAIC_ROOT: FAKE_ROOT,
    QEFF_HOME: join(tmp, "qeff home 'default'"),
  });
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

function runDriver(args: string[], extra: Record<string, string | undefined> = {}, timeoutMs = 20_000): Promise<DriverRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-u', DRIVER, ...args], { cwd: tmp, env: driverEnv(extra), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`driver ${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', e => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const events = stdout.split('\n').map(l => parseEventLine(l.replace(/\r$/, ''))).filter((e): e is DriverEvent => !!e);
      resolve({ code, signal, stdout, stderr: Buffer.concat(err).toString('utf8'), events });
    });
  });
}

let requestCount = 0;
function writeRequest(req: RunRequest | Record<string, unknown> | string): string {
  const file = join(tmp, `request ${++requestCount} 'r' $(rm -rf x).json`);
  writeFileSync(file, typeof req === 'string' ? req : JSON.stringify(req, null, 2));
  return file;
}

function home(name: string): string {
  return join(tmp, `qeff home ${name} 'h' $(h)`);
}

function blockingExport(): RunRequest {
  return {
    protocol: 1, model: 'openai/gpt-oss-20b', stage: 'prefill', step: 'export', mode: 'blocking',
    fromPretrained: {},
    compile: { prefill_only: true, prefill_seq_len: 256, ctx_len: 256, num_cores: 16, mxfp6_matmul: true, mxint8_kv_cache: true, mos: 1 },
    env: { NUM_Q_BLOCKS: '2', NUM_FFN_BLOCKS: '4', ENABLE_OPT_SWA: '1' },
  };
}

function decodeCompile(): RunRequest {
  return {
    protocol: 1, model: 'openai/gpt-oss-120b', stage: 'decode', step: 'compile', mode: 'swa-retain',
    fromPretrained: { continuous_batching: true },
    compile: {
      prefill_seq_len: 1, prefill_only: false, ctx_len: 8192, full_batch_size: 4, kv_cache_batch_size: 4,
      num_cores: 16, mxfp6_matmul: true, mxint8_kv_cache: true, mos: 1, aic_enable_depth_first: true,
    },
    env: {},
  };
}

function chunkingSubfunctionsCompile(): RunRequest {
  return {
    protocol: 1, model: 'openai/gpt-oss-120b', stage: 'prefill', step: 'compile', mode: 'chunking',
    fromPretrained: { continuous_batching: true },
    compile: {
      prefill_seq_len: 128, ctx_len: 8192, num_cores: 16, num_devices: 1, mxfp6_matmul: true, mxint8_kv_cache: true,
      use_onnx_subfunctions: true, kv_cache_batch_size: 4, mos: 1, aic_enable_depth_first: true,
      node_precision_info: npiFile('sub', SUBFUNCTION_NAMES),
      prefill_only: true, enable_chunking: true,
    },
    env: {},
  };
}

function readExportParams(onnxPath: string): Record<string, any> {
  return JSON.parse(readFileSync(join(dirname(onnxPath), 'hashed_export_params.json'), 'utf8')) as Record<string, any>;
}

/** The phases in order, a phase repeated in a row counted once. */
function phases(r: DriverRun): string[] {
  return only(r, 'phase').map(e => e.phase).filter((p, i, all) => p !== all[i - 1]);
}

/** The traces the fake recorded under a QEFF_HOME (an export that wrote an ONNX; not one that found it). */
function traces(qeffHome: string): { dir: string; hash_params: Record<string, unknown> }[] {
  const file = join(qeffHome, 'fake-traces.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map(l => JSON.parse(l) as { dir: string; hash_params: Record<string, unknown> }) : [];
}

/** An NPI file listing names, in the layout of upstream's examples/disagg_serving/*_npi.yaml. */
function npiFile(name: string, names: string[]): string {
  const file = join(tmp, `npi ${name} 'n' $(n).yaml`);
  writeFileSync(file, 'FP32NodeInstanceNames:\n' + names.map(n => `  - ${n}\n`).join(''));
  return file;
}
// Names the fake's subfunction graph holds (as upstream's subfunction_120b_npi.yaml lists them).
const SUBFUNCTION_NAMES = ['/model/norm/CustomRMSNorm_output_0', '/model/layers.1/QEffGptOssDecoderLayer.1_output_2'];

describe('driver probe', { skip }, () => {
  test('with the fake QEfficient 1.22: version, features, compiler, SDK versions, two devices', async () => {
    const r = await runDriver(['probe']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.events.length, 1);
    const p = one(r, 'probe');
    assert.match(p.python, /^3\.\d+\.\d+/);
    assert.equal(p.executable, PYTHON_EXE);
    assert.ok(p.platform.length > 0);
    assert.equal(p.qefficient.importable, true);
    assert.equal(p.qefficient.version, '1.22.8.0');
    assert.equal(p.qefficient.file, join(FAKE_PY, 'QEfficient', '__init__.py'));
    assert.equal(p.qefficient.features['>=1.22'], true);
    assert.equal(p.qefficient.features.kv_cache_prefix, true);
    assert.equal(p.qefficient.features.retain_full_kv, true);
    assert.equal(p.qefficient.features.enable_chunking, true);
    assert.equal(p.qefficient.features.use_onnx_subfunctions, true);
    assert.deepEqual(p.compiler, { path: join(FAKE_ROOT, 'exec', 'qaic-compile'), name: 'qaic-compile' });
    assert.deepEqual(p.sdk, { apps: '1.20.2.0', platform: '1.20.2.0' });
    assert.equal(p.devices.available, true);
    assert.equal(p.devices.count, 2);
    assert.match(p.devices.raw ?? '', /QID 1/);
    assert.deepEqual(p.missing, []);
  });

  test('with the 1.21 API (v1.21.0 reports 0.0.1.dev0): the version is reported and >=1.22 features are off', async () => {
    const r = await runDriver(['probe'], { FAKE_QEFF_API: '1.21', FAKE_QEFF_VERSION: '0.0.1.dev0' });
    assert.equal(r.code, 0, r.stderr);
    const q = one(r, 'probe').qefficient;
    assert.equal(q.importable, true);
    assert.equal(q.version, '0.0.1.dev0');
    assert.equal(q.features['>=1.22'], false);
    assert.equal(q.features.moe_prefill_packed_chunk_size, false);
    assert.equal(q.features.kv_cache_prefix, false);
    assert.equal(q.features.retain_full_kv, true);
    assert.equal(q.features.enable_chunking, true);
    assert.equal(q.features.use_onnx_subfunctions, true);
  });

  test('without QEfficient: importable false, listed as missing, exit 0', async () => {
    const r = await runDriver(['probe'], { PYTHONPATH: '' });
    assert.equal(r.code, 0, r.stderr);
    const p = one(r, 'probe');
    assert.equal(p.qefficient.importable, false);
    assert.equal(p.qefficient.version, null);
    assert.equal(p.qefficient.error, "No module named 'QEfficient'");
    assert.deepEqual(p.missing, ["QEfficient is not importable: No module named 'QEfficient'"]);
    assert.equal(p.compiler.name, 'qaic-compile');
  });

  test('any exception while importing QEfficient is reported, not raised', async () => {
    const r = await runDriver(['probe'], { FAKE_QEFF_IMPORT_FAIL: 'boom at import' });
    assert.equal(r.code, 0, r.stderr);
    const p = one(r, 'probe');
    assert.equal(p.qefficient.importable, false);
    assert.equal(p.qefficient.error, 'RuntimeError: boom at import');
    assert.match(p.missing[0], /^QEfficient is not importable: RuntimeError: boom at import/);
  });

  test('with a missing SDK root: no compiler, no SDK versions, no devices, exit 0', async () => {
    const root = join(tmp, "no such root 'r'");
    const r = await runDriver(['probe'], { QEFF_DISAGG_QAIC_ROOT: root });
    assert.equal(r.code, 0, r.stderr);
    const p = one(r, 'probe');
    assert.equal(p.qefficient.importable, true);
    assert.deepEqual(p.compiler, { path: null, name: null });
    assert.deepEqual(p.sdk, {});
    assert.equal(p.devices.available, false);
    assert.equal(p.devices.count, null);
    assert.ok(p.missing.includes(`no compiler under ${join(root, 'exec')} (looked for qaic-compile and qaic-exec)`), p.missing.join('\n'));
    assert.ok(p.missing.some(m => m.startsWith('no devices')), p.missing.join('\n'));
  });

  test('an SDK root with qaic-exec, junk version files and no device', async () => {
    const root = join(tmp, 'junk root $(j)');
    mkdirSync(join(root, 'exec'), { recursive: true });
    mkdirSync(join(root, 'versions'));
    mkdirSync(join(root, 'tools'));
    writeFileSync(join(root, 'exec', 'qaic-exec'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(root, 'exec', 'qaic-exec'), 0o755);
    writeFileSync(join(root, 'versions', 'apps.xml'), 'garbage <<< not xml, apps 1.19.7 >>>');
    writeFileSync(join(root, 'versions', 'platform.xml'), '<platform><foo>nothing here</foo></platform>');
    writeFileSync(join(root, 'versions', 'readme.txt'), '9.9.9');
    writeFileSync(join(root, 'tools', 'qaic-util'), '#!/bin/sh\necho "no device found"\n');
    chmodSync(join(root, 'tools', 'qaic-util'), 0o755);
    const r = await runDriver(['probe'], { QEFF_DISAGG_QAIC_ROOT: root });
    assert.equal(r.code, 0, r.stderr);
    const p = one(r, 'probe');
    assert.deepEqual(p.compiler, { path: join(root, 'exec', 'qaic-exec'), name: 'qaic-exec' });
    assert.deepEqual(p.sdk, { apps: '1.19.7' });
    assert.equal(p.devices.available, false);
    assert.equal(p.devices.count, 0);
    assert.ok(p.missing.some(m => m.startsWith('no devices')), p.missing.join('\n'));
  });
});

describe('driver run', { skip }, () => {
  test('export of a blocking prefill: the env is set before QEfficient traces, the ONNX path is reported', async () => {
    const req = blockingExport();
    const r = await runDriver(['run', '--request', writeRequest(req)], { QEFF_HOME: home('export') });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.events.map(e => e.event).filter((e, i, all) => e !== all[i - 1]), ['start', 'phase', 'exported']);
    assert.deepEqual(phases(r), ['environment', 'import', 'from_pretrained', 'export']);
    const start = one(r, 'start');
    assert.equal(start.stage, 'prefill');
    assert.equal(start.step, 'export');
    assert.ok(start.pid > 0);
    const { onnxPath } = one(r, 'exported');
    assert.ok(existsSync(onnxPath), onnxPath);
    assert.match(onnxPath, /\/qeff-disagg\/NUM_Q_BLOCKS=2,NUM_FFN_BLOCKS=4,ENABLE_OPT_SWA=1\/GptOssForCausalLM-[0-9a-f]{16}\/GptOssForCausalLM\.onnx$/);
    assert.ok(onnxPath.startsWith(home('export') + '/'), onnxPath);
    const params = readExportParams(onnxPath);
    assert.deepEqual(params.env_at_export, req.env);
    assert.deepEqual(params.env_at_import, req.env, 'set before QEfficient is imported');
    // export() got the parameters its 1.22 signature names, derived from the compile kwargs; no compiler flags.
    assert.equal(params.export_args.prefill_only, true);
    assert.equal(params.export_args.prefill_seq_len, 256);
    assert.equal(params.export_args.num_cores, 16);
    assert.deepEqual(params.export_args.kwargs, {});
  });

  test('compile of a decode stage: from_pretrained and compile get the request\'s kwargs, compile the exported ONNX; the QPC path is reported', async () => {
    const req = decodeCompile();
    const record = join(tmp, 'record decode.json');
    const r = await runDriver(['run', '--request', writeRequest(req)], { QEFF_HOME: home('decode'), FAKE_QEFF_RECORD: record });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(phases(r), ['environment', 'import', 'from_pretrained', 'export', 'compile']);
    assert.equal(only(r, 'error').length, 0);
    // What the driver did, read from the calls the double recorded (not what the double made of them).
    const calls = JSON.parse(readFileSync(record, 'utf8'));
    assert.deepEqual(calls.from_pretrained.args, [req.model]);
    assert.deepEqual(calls.from_pretrained.kwargs, req.fromPretrained);
    const { qpcPath, onnxPath } = one(r, 'compiled');
    assert.deepEqual(calls.compile.kwargs, { ...req.compile, onnx_path: onnxPath }, 'the request\'s kwargs, the exported ONNX');
    assert.ok(existsSync(join(qpcPath, 'programqpc.bin')), 'the path compile() returned is the one reported');
  });

  test('log output streams around the events (2 MB from QEfficient during export)', async () => {
    const r = await runDriver(['run', '--request', writeRequest(blockingExport())], { QEFF_HOME: home('spam'), FAKE_QEFF_SPAM_MB: '2' });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.length > 2 * 1024 * 1024);
    const lines = r.stdout.split('\n');
    const exportedAt = lines.findIndex(l => parseEventLine(l)?.event === 'exported');
    const lastLog = lines.map(l => l.startsWith('fake QEfficient export log line')).lastIndexOf(true);
    assert.ok(lastLog > 0 && exportedAt > lastLog, 'the exported event follows the log');
    assert.equal(only(r, 'exported').length, 1);
  });

  describe('prefill compile with use_onnx_subfunctions: the manual compile command', () => {
    const H = () => home('manual');
    let first: EventOf<'manual_compile'> | undefined;

    test('from the CalledProcessError: argv as built and run, qpcDir, exit 3', async () => {
      const argvFile = join(tmp, "compiler argv 'a' $(a).json");
      const req = chunkingSubfunctionsCompile();
      const r = await runDriver(['run', '--request', writeRequest(req)], { QEFF_HOME: H(), FAKE_QAIC_ARGV_FILE: argvFile });
      assert.equal(r.code, 3, r.stderr);
      assert.equal(only(r, 'compiled').length, 0);
      assert.equal(only(r, 'error').length, 0);
      const m = one(r, 'manual_compile');
      first = m;
      assert.equal(m.source, 'CalledProcessError');
      // The argv the driver reports is the one the compiler ran (its order is the double's, from upstream's
      // _compile: not the driver's to test); the QPC folder is read from its -aic-binary-dir.
      assert.deepEqual(m.argv, JSON.parse(readFileSync(argvFile, 'utf8')), 'argv equals what the compiler was run with');
      const binaryDir = m.argv.filter(a => a.startsWith('-aic-binary-dir='));
      assert.equal(binaryDir.length, 1);
      assert.equal(m.qpcDir, binaryDir[0].slice('-aic-binary-dir='.length));
      assert.match(m.qpcDir ?? '', /\/qpc-[0-9a-f]{16}\/qpc$/);
      assert.ok(existsSync(join(dirname(m.qpcDir!), 'specializations.json')));
      assert.ok(existsSync(join(dirname(m.qpcDir!), 'custom_io.yaml')));
      assert.ok(!existsSync(join(m.qpcDir!, 'programqpc.bin')));
      assert.equal(m.exitcode, 1);
      assert.match(m.stderr, /^QAIC_ERROR:\nError message: {2}\[Operator-'Slice_2461'\] : Slice: Non-constant ends tensor not supported\.\nUnable to AddNodesToGraphFromModel/);
      assert.match(r.stderr, /RuntimeError: Compilation failed!\nCompiler command: \[/);
    });

    test('from the message when the exception has no cause: same argv, source "message"', async () => {
      assert.ok(first, 'the previous test ran');
      const r = await runDriver(['run', '--request', writeRequest(chunkingSubfunctionsCompile())], { QEFF_HOME: H(), FAKE_QEFF_NO_CAUSE: '1' });
      assert.equal(r.code, 3, r.stderr);
      const m = one(r, 'manual_compile');
      assert.equal(m.source, 'message');
      assert.deepEqual(m.argv, first.argv);
      assert.equal(m.qpcDir, first.qpcDir);
      assert.equal(m.exitcode, 1);
      assert.equal(m.stderr, first.stderr);
      assert.doesNotMatch(r.stderr, /direct cause/);
    });

    test('the command run by hand produces the QPC; compiling again reports it as compiled', async () => {
      assert.ok(first?.qpcDir);
      const manual = spawnSync(first.argv[0], first.argv.slice(1), { env: driverEnv({ FAKE_QAIC_MODE: 'succeed' }), encoding: 'utf8' });
      assert.equal(manual.status, 0, manual.stderr);
      assert.ok(existsSync(join(first.qpcDir, 'programqpc.bin')));
      const r = await runDriver(['run', '--request', writeRequest(chunkingSubfunctionsCompile())], { QEFF_HOME: H() });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(one(r, 'compiled').qpcPath, first.qpcDir);
    });
  });

  test('without QEfficient: error no_qefficient naming the interpreter, exit 4', async () => {
    const r = await runDriver(['run', '--request', writeRequest(decodeCompile())], { PYTHONPATH: '' });
    assert.equal(r.code, 4, r.stderr);
    assert.deepEqual(phases(r), ['environment', 'import']);
    const e = one(r, 'error');
    assert.equal(e.kind, 'no_qefficient');
    assert.ok(e.message.includes(PYTHON_EXE), e.message);
    assert.match(e.message, /No module named 'QEfficient'/);
    assert.match(e.message, /interpreter/i);
  });

  test('QEfficient failing on a missing dependency is also exit 4, with the traceback on stderr', async () => {
    const r = await runDriver(['run', '--request', writeRequest(decodeCompile())], { FAKE_QEFF_IMPORT_FAIL: 'torch' });
    assert.equal(r.code, 4, r.stderr);
    const e = one(r, 'error');
    assert.equal(e.kind, 'no_qefficient');
    assert.match(e.message, /No module named 'torch'/);
    assert.match(r.stderr, /Traceback \(most recent call last\)/);
  });

  test('a crash mid-run: error event with the traceback, traceback on stderr, exit 1', async () => {
    const r = await runDriver(['run', '--request', writeRequest(decodeCompile())], { QEFF_HOME: home('crash'), FAKE_QEFF_CRASH: 'compile' });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(only(r, 'compiled').length, 0);
    const e = one(r, 'error');
    assert.equal(e.kind, 'exception');
    assert.equal(e.message, 'Exception: FAKE_QEFF_CRASH: simulated failure during compile');
    assert.match(e.traceback ?? '', /Traceback \(most recent call last\)[\s\S]*modeling_qeff\.py/);
    assert.match(r.stderr, /Traceback \(most recent call last\)[\s\S]*Exception: FAKE_QEFF_CRASH/);
    assert.equal(r.events[r.events.length - 1].event, 'error');
  });

  test('QEfficient validation errors surface as exceptions with the upstream text', async () => {
    const cases: [RunRequest, RegExp][] = [
      [{ ...blockingExport(), env: {}, compile: { prefill_only: true, prefill_seq_len: 128 } },
        /^ValueError: When prefill_only=True, 'prefill_seq_len' must be explicitly set and divisible by block_size=256/],
      [{ ...blockingExport(), fromPretrained: { continuous_batching: true } },
        /^NotImplementedError: Looks like you are trying to run prefix-caching without chunking/],
      [{ ...decodeCompile(), compile: { ...decodeCompile().compile, prefill_only: 'no' } },
        /^TypeError: `prefill_only` must be a boolean\.$/],
      [{ ...decodeCompile(), compile: { prefill_seq_len: 1, ctx_len: 8192 } },
        /^TypeError: `full_batch_size` is required when `continuous_batching=True`\.$/],
    ];
    const runs = await Promise.all(cases.map(([req]) => runDriver(['run', '--request', writeRequest(req)], { QEFF_HOME: home('validation') })));
    runs.forEach((r, i) => {
      assert.equal(r.code, 1, r.stderr);
      assert.match(one(r, 'error').message, cases[i][1]);
    });
  });

  test('a native crash (exit 139) ends the run without a compiled event', async () => {
    const r = await runDriver(['run', '--request', writeRequest(decodeCompile())], { QEFF_HOME: home('segv'), FAKE_QEFF_SEGV: '1' });
    assert.equal(r.code, 139);
    assert.equal(only(r, 'compiled').length, 0);
    assert.equal(only(r, 'error').length, 0);
    assert.deepEqual(phases(r), ['environment', 'import', 'from_pretrained', 'export'], 'the driver exports before it compiles');
  });

  test('a bad request or bad usage: exit 2, bad_request error, nothing started', async () => {
    const good = decodeCompile() as unknown as Record<string, unknown>;
    const bad: [string, string | Record<string, unknown>, RegExp][] = [
      ['not JSON', '{"protocol": 1,', /not valid JSON/],
      ['an array', '[]', /JSON object/],
      ['another protocol', { ...good, protocol: 2 }, /protocol/],
      ['no step', { ...good, step: undefined }, /"step"/],
      ['an unknown step', { ...good, step: 'infer' }, /"step"/],
      ['a bad stage', { ...good, stage: 'both' }, /"stage"/],
      ['no model', { ...good, model: '' }, /"model"/],
      ['compile not an object', { ...good, compile: [] }, /"compile"/],
      ['an env value not a string', { ...good, env: { NUM_Q_BLOCKS: 2 } }, /NUM_Q_BLOCKS/],
      ['an env name with =', { ...good, env: { 'A=B': '1' } }, /invalid environment variable/],
    ];
    bad.push(['a missing file', '', /cannot read the request file/]);
    const runs = await Promise.all(bad.map(([what, req]) => runDriver(
      ['run', '--request', what === 'a missing file' ? join(tmp, "missing 'file' $(m).json") : writeRequest(req)])));
    runs.forEach((r, i) => {
      const [what, , message] = bad[i];
      assert.equal(r.code, 2, `${what}: ${r.stderr}`);
      assert.equal(r.events.length, 1, what);
      const e = one(r, 'error');
      assert.equal(e.kind, 'bad_request', what);
      assert.match(e.message, message, what);
    });
    const usage = [['run'], ['frobnicate'], []];
    const usageRuns = await Promise.all(usage.map(args => runDriver(args)));
    usageRuns.forEach((r, i) => {
      assert.equal(r.code, 2, usage[i].join(' '));
      assert.equal(r.events.length, 0);
      assert.match(r.stderr, /usage:/);
    });
  });

  describe('the 1.21 API (export without num_cores; v1.21.0 reports 0.0.1.dev0)', () => {
    const env = () => ({ QEFF_HOME: home('api 1.21'), FAKE_QEFF_API: '1.21', FAKE_QEFF_VERSION: '0.0.1.dev0' });

    test('export of a blocking prefill passes only what the 1.21 signature takes', async () => {
      const req = blockingExport();
      const r = await runDriver(['run', '--request', writeRequest(req)], env());
      assert.equal(r.code, 0, r.stderr);
      const { onnxPath } = one(r, 'exported');
      assert.ok(existsSync(onnxPath));
      const params = readExportParams(onnxPath);
      assert.deepEqual(params.env_at_export, req.env);
      assert.equal(params.api, '1.21');
      assert.equal(params.export_args.prefill_only, true);
      assert.equal(params.export_args.prefill_seq_len, 256);
      assert.ok(!('num_cores' in params.export_args), 'no num_cores parameter on 1.21');
      assert.deepEqual(params.export_args.kwargs, {}, 'num_cores not smuggled through **kwargs');
    });

    test('compile of a decode stage on 1.21: the request\'s kwargs reach compile(), the QPC path is reported', async () => {
      const req = decodeCompile();
      const record = join(tmp, 'record decode 1.21.json');
      const r = await runDriver(['run', '--request', writeRequest(req)], { ...env(), FAKE_QEFF_RECORD: record });
      assert.equal(r.code, 0, r.stderr);
      const { qpcPath, onnxPath } = one(r, 'compiled');
      assert.deepEqual(JSON.parse(readFileSync(record, 'utf8')).compile.kwargs, { ...req.compile, onnx_path: onnxPath });
      assert.ok(existsSync(join(qpcPath, 'programqpc.bin')));
    });
  });
});

// Issue 8, the runner: one export per stage, no stale ONNX, the trace-time env from the config only, every
// compiler failure reported, NPI names checked against the graph. Each runs against the double's versions.
describe('driver: Export then Compile', { skip }, () => {
  const VERSIONS: [string, Record<string, string>][] = [
    ['1.22.8.0', {}],
    ['1.22.0', { FAKE_QEFF_VERSION: '1.22.0' }],
    ['1.21.6', { FAKE_QEFF_API: '1.21' }],
  ];
  const blockingCompile = (): RunRequest => ({ ...blockingExport(), step: 'compile' });

  for (const [version, extra] of VERSIONS) {
    test(`${version}: the compile step compiles the very ONNX the export step reported, traced once`, async () => {
      const H = home(`once ${version}`);
      const argvFile = join(tmp, `argv once ${version}.json`);
      const exp = await runDriver(['run', '--request', writeRequest(blockingExport())], { ...extra, QEFF_HOME: H });
      assert.equal(exp.code, 0, exp.stderr);
      const { onnxPath, reused } = one(exp, 'exported');
      assert.equal(reused, false);
      const comp = await runDriver(['run', '--request', writeRequest(blockingCompile())], { ...extra, QEFF_HOME: H, FAKE_QAIC_ARGV_FILE: argvFile });
      assert.equal(comp.code, 0, comp.stderr);
      const compiled = one(comp, 'compiled');
      assert.equal(compiled.onnxPath, onnxPath, 'the ONNX shown is the compiled one');
      assert.ok((JSON.parse(readFileSync(argvFile, 'utf8')) as string[]).includes(`-m=${onnxPath}`));
      assert.equal(traces(H).length, 1, `one trace: ${JSON.stringify(traces(H).map(t => t.dir))}`);
      assert.ok(only(comp, 'phase').some(p => p.message.startsWith('Reusing the ONNX traced earlier')));
    });
  }

  test('1.22.8.0: export() runs after transform(), so its hash is the one compile() would compute', async () => {
    const H = home('transform');
    const r = await runDriver(['run', '--request', writeRequest(blockingExport())], { QEFF_HOME: H });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(traces(H)[0].hash_params.num_replicate_kv_heads, 1, 'transform() ran before the export');
    assert.ok(only(r, 'phase').some(p => /^model\.transform\(ctx_len=256, seq_len=256, bs=1, num_devices=1/.test(p.message)));
  });

  test('changing only NUM_Q_BLOCKS traces a new ONNX in another folder, never the old one (1.22 hashes prefill_seq_len // 256)', async () => {
    const H = home('stale');
    const first = await runDriver(['run', '--request', writeRequest(blockingExport())], { QEFF_HOME: H });
    const req = blockingExport();
    req.env = { ...req.env, NUM_Q_BLOCKS: '4' };
    const second = await runDriver(['run', '--request', writeRequest(req)], { QEFF_HOME: H });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    const a = one(first, 'exported').onnxPath;
    const b = one(second, 'exported').onnxPath;
    assert.notEqual(a, b);
    assert.match(b, /\/NUM_Q_BLOCKS=4,NUM_FFN_BLOCKS=4,ENABLE_OPT_SWA=1\//);
    assert.equal(one(second, 'exported').reused, false);
    const graph = JSON.parse(readFileSync(b, 'utf8')) as { env_at_trace: Record<string, string> };
    assert.equal(graph.env_at_trace.NUM_Q_BLOCKS, '4', 'the graph was traced with the declared value');
    assert.equal(traces(H).length, 2);
  });

  test('trace-time variables set in the shell do not reach the stage; everything else is inherited', async () => {
    const req = blockingExport();
    req.env = { NUM_Q_BLOCKS: '1', ENABLE_OPT_SWA: '1' };
    const r = await runDriver(['run', '--request', writeRequest(req)],
      { QEFF_HOME: home('leak'), NUM_FFN_BLOCKS: '8', NUM_BLOCKS: '3', ENABLE_OPT_SWA: '0', HF_HOME: '/hf home' });
    assert.equal(r.code, 0, r.stderr);
    const params = readExportParams(one(r, 'exported').onnxPath);
    assert.deepEqual(params.env_at_import, { NUM_Q_BLOCKS: '1', NUM_FFN_BLOCKS: null, ENABLE_OPT_SWA: '1' });
    assert.deepEqual(params.env_at_export, { NUM_Q_BLOCKS: '1', NUM_FFN_BLOCKS: null, ENABLE_OPT_SWA: '1' });
    const env = only(r, 'phase').find(p => p.phase === 'environment');
    assert.match(env?.message ?? '', /ignoring NUM_FFN_BLOCKS, NUM_BLOCKS set outside the config/);
  });

  test('the driver and the extension name the same exit codes', async () => {
    const { EXIT } = await import('../../src/core/runnerProtocol');
    const text = readFileSync(join(ROOT, 'src', 'runner', 'qeff_driver.py'), 'utf8');
    const python = Object.fromEntries([...text.matchAll(/^EXIT_([A-Z_]+) = (\d+)$/gm)].map(m => [m[1], Number(m[2])]));
    assert.deepEqual(python, { OK: EXIT.ok, FAILED: EXIT.failed, USAGE: EXIT.usage, MANUAL_COMPILE: EXIT.manualCompile, NO_QEFFICIENT: EXIT.noQefficient });
  });

  test('the driver and the extension list the same trace-time variables', async () => {
    const { TRACE_ENV_VARS } = await import('../../src/core/runnerProtocol');
    const text = readFileSync(join(ROOT, 'src', 'runner', 'qeff_driver.py'), 'utf8');
    const m = /^TRACE_ENV_VARS = \(([^)]*)\)/m.exec(text);
    assert.deepEqual(m?.[1].split(',').map(s => s.trim().replace(/"/g, '')).filter(Boolean), [...TRACE_ENV_VARS]);
  });
});

describe('driver: compiler failures', { skip }, () => {
  test('a decode compile the compiler rejects is a failure, in one sentence with the first error line, command attached', async () => {
    const r = await runDriver(['run', '--request', writeRequest(decodeCompile())], { QEFF_HOME: home('fail'), FAKE_QAIC_MODE: 'fail' });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(only(r, 'manual_compile').length, 0);
    const e = one(r, 'error');
    assert.equal(e.kind, 'compile_failed');
    assert.equal(e.message, "The compiler failed (exit code 1): [Operator-'Slice_2461'] : Slice: Non-constant ends tensor not supported.");
    assert.equal(e.argv?.[0], FAKE_COMPILER);
    assert.match(e.qpcDir ?? '', /\/qpc$/);
  });

  test('a prefill without subfunctions that fails is a failure too, not a command to run by hand', async () => {
    const req = chunkingSubfunctionsCompile();
    req.compile = { ...req.compile, use_onnx_subfunctions: false, node_precision_info: undefined };
    const r = await runDriver(['run', '--request', writeRequest(req)], { QEFF_HOME: home('fail'), FAKE_QAIC_MODE: 'fail' });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(one(r, 'error').kind, 'compile_failed');
  });
});

describe('driver: NPI names against the exported graph', { skip }, () => {
  const withNpi = (npi: string): RunRequest => {
    const req = chunkingSubfunctionsCompile();
    req.compile = { ...req.compile, node_precision_info: npi };
    return req;
  };

  test('an NPI that names no tensor of the graph stops before the compiler runs', async () => {
    const argvFile = join(tmp, 'argv npi none.json');
    const npi = npiFile('none', ['/model/layers.0/input_layernorm/Mul_1_output_0', '/model/norm/Mul_1_output_0']);
    const r = await runDriver(['run', '--request', writeRequest(withNpi(npi))], { QEFF_HOME: home('npi'), FAKE_QAIC_ARGV_FILE: argvFile });
    assert.equal(r.code, 1, r.stderr);
    const e = one(r, 'error');
    assert.equal(e.kind, 'npi_mismatch');
    assert.match(e.message, /^None of the 2 tensor names in node_precision_info .* is in the graph /);
    assert.ok(!existsSync(argvFile), 'the compiler did not run');
  });

  test('names partly in the graph: said, and the compile goes on', async () => {
    const npi = npiFile('part', [...SUBFUNCTION_NAMES, 'onnx::Shape_139893']);
    const r = await runDriver(['run', '--request', writeRequest(withNpi(npi))], { QEFF_HOME: home('npi') });
    assert.equal(r.code, 3, r.stderr);
    assert.match(only(r, 'phase').find(p => p.phase === 'npi')?.message ?? '', /^1 of the 3 tensor names in .* are not in the graph \(e\.g\. onnx::Shape_139893\)/);
  });

  test('without the onnx package: said clearly, not checked, the compile goes on', async () => {
    const npi = npiFile('no onnx', ['/model/nothing']);
    const r = await runDriver(['run', '--request', writeRequest(withNpi(npi))], { QEFF_HOME: home('npi'), FAKE_ONNX_MISSING: '1' });
    assert.equal(r.code, 3, r.stderr);
    assert.match(only(r, 'phase').find(p => p.phase === 'npi')?.message ?? '', /not checked against the graph: the onnx package is not importable by /);
  });

  test('the NPI names are read with PyYAML, and the same without it', () => {
    const npi = join(tmp, 'npi read.yaml');
    writeFileSync(npi, '# a comment\nFP32NodeInstanceNames:\n  - onnx::Shape_139893\n  - "/model/norm/CustomRMSNorm_output_0"\nOther:\n  - x\n');
    const read = (noYaml: boolean) => spawnSync(PYTHON, ['-c', [
      'import json, sys', ...(noYaml ? ["sys.modules['yaml'] = None"] : []),
      'sys.path.insert(0, sys.argv[1])', 'import qeff_driver', 'print(json.dumps(qeff_driver.read_npi_names(sys.argv[2])))',
    ].join('\n'), dirname(DRIVER), npi], { encoding: 'utf8', env: driverEnv({}) });
    for (const noYaml of [false, true]) {
      const r = read(noYaml);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), ['onnx::Shape_139893', '/model/norm/CustomRMSNorm_output_0'], `without PyYAML: ${noYaml}`);
    }
  });

  test('a missing NPI file stops before the compiler runs', async () => {
    const r = await runDriver(['run', '--request', writeRequest(withNpi(join(tmp, 'no such npi.yaml')))], { QEFF_HOME: home('npi') });
    assert.equal(r.code, 1, r.stderr);
    assert.match(one(r, 'error').message, /no such npi\.yaml does not exist/);
  });
});

// The double follows upstream where the product's rules depend on it (issue 8, "the test double must not hide these").
describe('the test double follows upstream', { skip }, () => {
  test('1.21: the compile command starts qaic-exec -aic-hw -compile-only, flat specializations (utils/constants.py COMPILER, v1.21.0)', async () => {
    const argvFile = join(tmp, 'argv 1.21 double.json');
    const r = await runDriver(['run', '--request', writeRequest(decodeCompile())], { QEFF_HOME: home('double 1.21'), FAKE_QEFF_API: '1.21', FAKE_QEFF_VERSION: '0.0.1.dev0', FAKE_QAIC_ARGV_FILE: argvFile });
    assert.equal(r.code, 0, r.stderr);
    const argv = JSON.parse(readFileSync(argvFile, 'utf8')) as string[];
    assert.deepEqual(argv.slice(0, 3), [FAKE_COMPILER, '-aic-hw', '-compile-only']);
    const specs = JSON.parse(readFileSync(join(dirname(one(r, 'compiled').qpcPath), 'specializations.json'), 'utf8'));
    assert.equal(specs.specializations[0].seq_len, '1');
  });

  test('the fake compiler reads -node-precision-info and fails on a missing file', () => {
    const r = spawnSync(FAKE_COMPILER, ['-aic-hw', `-node-precision-info=${join(tmp, 'absent.yaml')}`, `-aic-binary-dir=${join(tmp, 'qpc absent')}`],
      { env: driverEnv({ FAKE_QAIC_MODE: 'succeed' }), encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Unable to open node precision info file .*absent\.yaml/);
  });

  test('1.21: mdp_num_partitions and mdp_strategy become compiler flags (v1.21.6 _compile does not consume them)', async () => {
    const argvFile = join(tmp, 'argv mdp 1.21.json');
    const req = decodeCompile();
    req.compile = { ...req.compile, num_devices: 2, mdp_num_partitions: 2, mdp_strategy: 'onnx' };
    const r = await runDriver(['run', '--request', writeRequest(req)], { QEFF_HOME: home('mdp'), FAKE_QEFF_API: '1.21', FAKE_QAIC_ARGV_FILE: argvFile });
    assert.equal(r.code, 0, r.stderr);
    const argv = JSON.parse(readFileSync(argvFile, 'utf8')) as string[];
    assert.ok(argv.includes('-mdp-num-partitions=2') && argv.includes('-mdp-strategy=onnx'), argv.join(' '));
  });

  test('1.22: mdp_num_partitions <= 1 is ignored (the generator runs only when > 1, v1.22.8.0 _compile)', async () => {
    const req = decodeCompile();
    req.compile = { ...req.compile, mdp_num_partitions: 0 };
    const r = await runDriver(['run', '--request', writeRequest(req)], { QEFF_HOME: home('mdp') });
    assert.equal(r.code, 0, r.stderr);
  });

  test('from_pretrained(full_batch_size=...) turns continuous batching on (modeling_auto.py from_pretrained, v1.21.6 and v1.22.8.0)', async () => {
    const req = decodeCompile();
    req.fromPretrained = { full_batch_size: 8 };
    req.compile = { ...req.compile, kv_cache_batch_size: undefined };
    const r = await runDriver(['run', '--request', writeRequest(req)], { QEFF_HOME: home('fbs') });
    assert.equal(r.code, 0, r.stderr);
    const specs = JSON.parse(readFileSync(join(dirname(one(r, 'compiled').qpcPath), 'specializations.json'), 'utf8'));
    assert.equal(specs.specializations[0].symbols.full_batch_size, '4', 'a CB specialization');
  });

  test('1.22+: a chunked prefill traces only when num_cores divides the experts (gpt_oss/modeling_gpt_oss.py, v1.22.0)', async () => {
    const req = chunkingSubfunctionsCompile();
    req.step = 'export';
    req.compile = { ...req.compile, num_cores: 12 };
    const r = await runDriver(['run', '--request', writeRequest(req)], { QEFF_HOME: home('experts') });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(one(r, 'error').message, 'ValueError: num_experts (128) must be divisible by expert_blocking_num_nsp (12)');
    const old = await runDriver(['run', '--request', writeRequest(req)], { QEFF_HOME: home('experts'), FAKE_QEFF_API: '1.21' });
    assert.equal(old.code, 0, old.stderr);
  });

  test('1.22: the export hash holds NUM_Q_BLOCKS = prefill_seq_len // 256, not the environment\'s value', async () => {
    const H = home('hash');
    const r = await runDriver(['run', '--request', writeRequest(blockingExport())], { QEFF_HOME: H });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(traces(H)[0].hash_params.NUM_Q_BLOCKS, 1, 'prefill_seq_len 256 // 256, while the env says 2');
    assert.equal(traces(H)[0].hash_params.NUM_FFN_BLOCKS, 4);
  });
});
