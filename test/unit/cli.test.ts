// The qeff-disagg command line, run as users run it: `node dist/cli.js ...` in a child process.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import fc from 'fast-check';
import { SCRIPT_COMMAND_BEGIN, SCRIPT_COMMAND_END, shellJoin } from '../../src/core/compileCommand';
import { pyString } from '../../src/core/pythonLiteral';
import { repoRoot } from './repoRoot';
import { noPython } from './python';


const ROOT = repoRoot();
const CLI = join(ROOT, 'dist', 'cli.js');
const EXAMPLES = join(ROOT, 'examples');

interface Run { status: number | null; stdout: string; stderr: string }

function cli(args: string[], opts: { cwd?: string; input?: string } = {}): Run {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT, input: opts.input ?? '', encoding: 'utf8', timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}


let tmp = '';
before(() => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run node scripts/build.mjs first`);
  tmp = mkdtempSync(join(tmpdir(), 'qeff-cli-test-'));
});
after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function write(rel: string, text: string): string {
  const p = join(tmp, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

/** 0-based position of `needle` inside the first occurrence of `anchor` (computed here, independently). */
function posOf(text: string, anchor: string, needle = anchor): { line: number; character: number; offset: number } {
  const a = text.indexOf(anchor);
  assert.ok(a >= 0, `anchor ${anchor} not in text`);
  const offset = a + anchor.indexOf(needle);
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1), offset };
}

const TEXT_LINE = /^(.+):(\d+):(\d+): (error|warning|info|hint) (QEFF-[A-Z0-9-]+) (.+)$/;
const SEVERITIES = ['error', 'warning', 'info', 'hint'];

// A config with known faults, one per line of interest.
const FAULTY = `{
  "model": "openai/gpt-oss-20b",
  "prefill": {
    "mode": "blocking",
    "compile": { "prefill_seq_len": 128, "use_onnx_subfunctions": true, "num_cores": 0 }
  },
  "decode": { "mode": "swa-retain", "compile": { "ctx_len": 256, "full_batch_size": 4, "retain_full_kv": false } }
}
`;
/** [code, severity, anchor, token] of every diagnostic FAULTY must give. */
const FAULTY_EXPECTED: [string, string, string, string][] = [
  ['QEFF-PB-01', 'error', '"prefill_seq_len": 128', '128'],
  ['QEFF-SUB-02', 'info', '"use_onnx_subfunctions": true', 'true'],
  ['QEFF-CORES-01', 'error', '"num_cores": 0', '0'],
  ['QEFF-CB-01', 'warning', '"full_batch_size"', '"full_batch_size"'],
  ['QEFF-MODE-02', 'hint', '"retain_full_kv"', '"retain_full_kv"'],
];

/** A clean chunking + full-kv pair for gpt-oss-20b without qefficientVersion; `decodeExtra` goes into decode.compile. */
function cleanPair(decodeExtra = ''): string {
  return `{
  "model": "openai/gpt-oss-20b",
  "prefill": { "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true } },
  "decode": { "mode": "full-kv", "compile": { "ctx_len": 4096${decodeExtra} } }
}
`;
}

describe('check', () => {
  test('text format: file:line:col: severity code message, 1-based, one line per diagnostic', () => {
    const file = write('faulty.qeff.json', FAULTY);
    const r = cli(['check', file]);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout.split('\n');
    assert.equal(lines.pop(), '', 'output ends with a newline');
    const parsed = lines.map(l => {
      const m = TEXT_LINE.exec(l);
      assert.ok(m, `bad line shape: ${l}`);
      return { file: m[1], line: Number(m[2]), col: Number(m[3]), severity: m[4], code: m[5], message: m[6] };
    });
    const want = FAULTY_EXPECTED.map(([code, severity, anchor, token]) => {
      const p = posOf(FAULTY, anchor, token);
      return { file, line: p.line + 1, col: p.character + 1, severity, code };
    });
    assert.deepEqual(parsed.map(({ message: _m, ...rest }) => rest), want);
    for (const p of parsed) assert.ok(p.message.length > 20, p.message);
  });

  test('--format json: {file, code, severity, message, range, fix?} with 0-based positions', () => {
    const file = write('faulty.qeff.json', FAULTY);
    const r = cli(['check', '--format', 'json', file]);
    assert.equal(r.status, 1, r.stderr);
    const out = JSON.parse(r.stdout) as any[];
    assert.ok(Array.isArray(out));
    assert.equal(out.length, FAULTY_EXPECTED.length);
    FAULTY_EXPECTED.forEach(([code, severity, anchor, token], i) => {
      const d = out[i];
      for (const k of Object.keys(d)) assert.ok(['file', 'code', 'severity', 'message', 'range', 'fix', 'moreFixes'].includes(k), `unexpected key ${k}`);
      assert.equal(d.file, file);
      assert.equal(d.code, code);
      assert.equal(d.severity, severity);
      assert.ok(SEVERITIES.includes(d.severity));
      assert.equal(typeof d.message, 'string');
      const p = posOf(FAULTY, anchor, token);
      assert.deepEqual(d.range, {
        start: { line: p.line, character: p.character },
        end: { line: p.line, character: p.character + token.length },
      });
      if (d.fix !== undefined) {
        assert.equal(typeof d.fix.title, 'string');
        assert.ok(Array.isArray(d.fix.edits));
        for (const e of d.fix.edits) {
          assert.equal(typeof e.newText, 'string');
          for (const end of [e.range.start, e.range.end]) {
            assert.ok(Number.isInteger(end.line) && end.line >= 0 && Number.isInteger(end.character) && end.character >= 0);
          }
        }
      }
    });
    // PB-01's fix rounds to 256, at the value.
    const pb01 = out.find(d => d.code === 'QEFF-PB-01');
    assert.deepEqual(pb01.fix.edits, [{ range: pb01.range, newText: '256' }]);
    // The same check in text form gives the same diagnostics, 1-based.
    const text = cli(['check', file]).stdout.trim().split('\n');
    assert.deepEqual(text, out.map(d => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code} ${d.message}`));
  });

  test('--format=json (inline value) is accepted too', () => {
    const file = write('faulty.qeff.json', FAULTY);
    const r = cli(['check', '--format=json', file]);
    assert.equal(r.status, 1);
    assert.equal((JSON.parse(r.stdout) as unknown[]).length, FAULTY_EXPECTED.length);
  });

  test('the 120b example is not complete without a QEfficient checkout: exactly QEFF-NPI-02 on both stages', () => {
    const r = cli(['check', '--format', 'json', join(EXAMPLES, 'gpt-oss-120b-chunking-full-kv.qeff.json')]);
    assert.equal(r.status, 1);
    const serious = (JSON.parse(r.stdout) as { code: string; severity: string; message: string }[]).filter(d => d.severity === 'error' || d.severity === 'warning');
    assert.deepEqual(serious.map(d => `${d.severity} ${d.code}`), ['error QEFF-NPI-02', 'error QEFF-NPI-02']);
    assert.match(serious[0].message, /efficient-transformers\/examples\/disagg_serving\/subfunction_120b_npi\.yaml/);
    assert.ok(!existsSync(join(EXAMPLES, 'npi')), 'no look-alike NPI files are shipped');
  });

  test('every example is clean with a QEfficient checkout beside it: exit 0, no error or warning, in text and json', () => {
    // A copy of examples/ with the double of a checkout's examples/disagg_serving/*_npi.yaml next to it.
    const copy = join(tmp, 'examples with a checkout');
    cpSync(EXAMPLES, copy, { recursive: true });
    cpSync(join(ROOT, 'test', 'fake', 'python', 'examples'), join(copy, 'efficient-transformers', 'examples'), { recursive: true });
    const files = readdirSync(copy).filter(f => f.endsWith('.qeff.json')).map(f => join(copy, f));
    assert.ok(files.length >= 3);
    for (const f of files) {
      const r = cli(['check', f]);
      assert.equal(r.status, 0, `${f}:\n${r.stdout}${r.stderr}`);
      for (const line of r.stdout.split('\n').filter(Boolean)) {
        const m = TEXT_LINE.exec(line);
        assert.ok(m, line);
        assert.ok(m[4] === 'info' || m[4] === 'hint', line);
      }
      const j = cli(['check', '--format', 'json', f]);
      assert.equal(j.status, 0);
      for (const d of JSON.parse(j.stdout) as any[]) assert.ok(d.severity === 'info' || d.severity === 'hint', JSON.stringify(d));
    }
    // All at once, relative paths.
    const all = cli(['check', ...readdirSync(copy).filter(f => f.endsWith('.qeff.json'))], { cwd: copy });
    assert.equal(all.status, 0, all.stdout);
  });

  test('exit 0 with only info and hints, 1 with any error, and a clean file prints nothing', () => {
    const hintOnly = write('hint.qeff.json', cleanPair(', "retain_full_kv": true'));
    const r = cli(['check', hintOnly]);
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /: hint QEFF-MODE-02 /);
    assert.doesNotMatch(r.stdout, /: (error|warning) /);
    const clean = write('clean.qeff.json', '{ "model": "openai/gpt-oss-20b" }\n');
    const c = cli(['check', clean]);
    assert.deepEqual([c.status, c.stdout, c.stderr], [0, '', '']);
    assert.deepEqual(JSON.parse(cli(['check', '--format', 'json', clean]).stdout), []);
    const warning = write('warning.qeff.json', '{ "model": "tiny/unknown" }\n');
    const w = cli(['check', warning]);
    assert.equal(w.status, 0, 'warnings alone do not fail the check');
    assert.match(w.stdout, /warning QEFF-MODEL-01/);
    const broken = write('broken.qeff.json', '{ "model": ');
    const b = cli(['check', broken]);
    assert.equal(b.status, 1);
    assert.match(b.stdout, /error QEFF-JSON /);
  });

  test('--qefficient-version 1.21 makes QEFF-DEC-01 an error', () => {
    const file = write('dec01.qeff.json', cleanPair(', "use_onnx_subfunctions": true'));
    const latest = cli(['check', '--format', 'json', file]);
    assert.equal(latest.status, 0, latest.stdout);
    const dec = (r: Run) => (JSON.parse(r.stdout) as any[]).filter(d => d.code === 'QEFF-DEC-01').map(d => d.severity);
    assert.deepEqual(dec(latest), ['warning']);
    const old = cli(['check', '--format', 'json', '--qefficient-version', '1.21', file]);
    assert.equal(old.status, 1);
    assert.deepEqual(dec(old), ['error']);
    const inline = cli(['check', '--qefficient-version=1.21.0', file]);
    assert.equal(inline.status, 1);
    assert.match(inline.stdout, /: error QEFF-DEC-01 /);
    const newer = cli(['check', '--qefficient-version', '1.23', file]);
    assert.equal(newer.status, 0);
    assert.match(newer.stdout, /: warning QEFF-DEC-01 /);
  });

  test('--rules sets severities per rule id like the qeffDisagg.rules setting; a bad id is a usage error', () => {
    const file = write('rules.qeff.json', cleanPair(', "use_onnx_subfunctions": true'));
    const codes = (r: Run) => (JSON.parse(r.stdout) as any[]).filter(d => d.code === 'QEFF-DEC-01').map(d => d.severity);
    const error = cli(['check', '--format', 'json', '--rules', '{"QEFF-DEC-01":"error"}', file]);
    assert.equal(error.status, 1, 'an error now');
    assert.deepEqual(codes(error), ['error']);
    const off = cli(['check', '--format', 'json', '--rules={"QEFF-DEC-01":"off"}', file]);
    assert.equal(off.status, 0);
    assert.deepEqual(codes(off), []);
    const bad = cli(['check', '--rules', '{"QEFF-DEC-99":"off"}', file]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /"QEFF-DEC-99" is not a rule id/);
  });

  test('several files: each diagnostic names its file; exit 1 when any file has an error', () => {
    const faulty = write('multi/a.qeff.json', FAULTY);
    const clean = write('multi/b.qeff.json', cleanPair(', "use_onnx_subfunctions": true'));
    const r = cli(['check', clean, faulty]);
    assert.equal(r.status, 1);
    const files = r.stdout.trim().split('\n').map(l => TEXT_LINE.exec(l)![1]);
    assert.deepEqual([...new Set(files)], [clean, faulty], 'files in argument order');
    assert.equal(files.filter(f => f === faulty).length, FAULTY_EXPECTED.length);
    const j = JSON.parse(cli(['check', '--format', 'json', clean, faulty]).stdout) as any[];
    assert.deepEqual([...new Set(j.map(d => d.file))], [clean, faulty]);
    const ok = cli(['check', clean, join(EXAMPLES, 'gpt-oss-20b-chunking-full-kv.qeff.json')]);
    assert.equal(ok.status, 0);
  });
});

describe('encodings', () => {
  test('a file without end (/dev/zero) is refused at the size limit, not read until memory is gone', () => {
    const r = cli(['check', '--format', 'json', '/dev/zero']);
    assert.equal(r.status, 1, r.stderr);
    const [d] = JSON.parse(r.stdout) as { code: string; message: string }[];
    assert.equal(d.code, 'QEFF-JSON');
    assert.match(d.message, /too large to check \(more than 10 MB; the limit is 10 MB\)/);
    const plan = cli(['plan', '/dev/zero']);
    assert.equal(plan.status, 2);
    assert.match(plan.stderr, /more than 10 MB/);
  });

  test('a UTF-8 byte-order mark is not a JSON error', () => {
    const f = write('bom.qeff.json', '\uFEFF{ "model": "openai/gpt-oss-20b", "decode": { "mode": "full-kv" } }\n');
    const r = cli(['check', '--format', 'json', f]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).filter((d: { code: string }) => d.code === 'QEFF-JSON'), []);
  });
});

describe('bad usage: exit 2 and a message on stderr', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['no arguments', () => [], /Usage:/],
    ['unknown option', () => ['check', '--colour', 'red', join(EXAMPLES, 'gpt-oss-20b-chunking-full-kv.qeff.json')], /unknown option --colour/],
    ['unknown command', () => ['lint', 'x.qeff.json'], /unknown command "lint"/],
    ['check without a file', () => ['check'], /needs at least one FILE/],
    ['a missing file', () => ['check', join(tmp, 'does-not-exist.qeff.json')], /does-not-exist\.qeff\.json: cannot read \(ENOENT\)/],
    ['a directory', () => ['check', tmp], /is a directory/],
    ['a bad --format', () => ['check', '--format', 'xml', join(EXAMPLES, 'gpt-oss-20b-chunking-full-kv.qeff.json')], /--format must be one of text, json; got "xml"/],
    ['--format without a value', () => ['check', '--format'], /--format needs a value/],
    ['a bad --qefficient-version', () => ['check', '--qefficient-version', 'latest', join(EXAMPLES, 'gpt-oss-20b-chunking-full-kv.qeff.json')], /--qefficient-version must look like 1\.22/],
    ['--qefficient-version with a suffix', () => ['check', '--qefficient-version', '1.22rc1', join(EXAMPLES, 'gpt-oss-20b-chunking-full-kv.qeff.json')], /--qefficient-version/],
    ['plan with two files', () => ['plan', join(EXAMPLES, 'gpt-oss-20b-chunking-full-kv.qeff.json'), join(EXAMPLES, 'gpt-oss-20b-blocking-swa-retain.qeff.json')], /plan needs exactly one FILE/],
    ['plan of a missing file', () => ['plan', join(tmp, 'nope.qeff.json')], /nope\.qeff\.json: cannot read/],
    ['plan of a config without model', () => ['plan', write('nomodel.qeff.json', '{ "prefill": { "mode": "chunking" } }')], /no "model"/],
    ['script without --stage', () => ['script', join(EXAMPLES, 'gpt-oss-20b-chunking-full-kv.qeff.json')], /script needs --stage prefill\|decode/],
    ['script with a bad --stage', () => ['script', '--stage', 'middle', join(EXAMPLES, 'gpt-oss-20b-chunking-full-kv.qeff.json')], /--stage must be one of prefill, decode/],
    ['compile-command of a missing log', () => ['compile-command', join(tmp, 'missing.log')], /missing\.log: cannot read/],
    ['compile-command with two logs', () => ['compile-command', 'a.log', 'b.log'], /at most one LOGFILE/],
  ];
  for (const [name, args, message] of cases) {
    test(name, () => {
      const r = cli(args());
      assert.equal(r.status, 2, `${name}: status ${r.status}\n${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }

  test('script for a stage the config does not have', () => {
    const file = write('prefill-only.qeff.json', '{ "model": "openai/gpt-oss-20b", "prefill": { "mode": "chunking" } }');
    const r = cli(['script', '--stage', 'decode', file]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /has no "decode" stage/);
    assert.equal(r.stdout, '');
    const bad = write('bad-mode.qeff.json', '{ "model": "openai/gpt-oss-20b", "decode": { "mode": "chunking" } }');
    const b = cli(['script', '--stage', 'decode', bad]);
    assert.equal(b.status, 2, 'a stage without a valid mode has no script');
  });

  // A config with a syntax error gets no plan: a recovered tree would silently lack the broken kwargs.
  test('plan and script refuse a config that does not parse', () => {
    const file = write('noparse.qeff.json', '{ "model": "openai/gpt-oss-20b", "decode": { "mode": "full-kv", "compile": { "ctx_len": 4096, "full_batch_size": } } }');
    for (const args of [['plan', file], ['script', '--stage', 'decode', file]]) {
      const r = cli(args);
      assert.equal(r.status, 2, `${args[0]}: ${r.stdout}`);
      assert.match(r.stderr, /does not parse/);
      assert.equal(r.stdout, '');
    }
  });

  test('--help prints the usage on stdout with exit 0', () => {
    const r = cli(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /qeff-disagg check/);
  });
});

// ------------------------------------------------------------------------------------------------
// plan

const MIB = 1024 * 1024;

/** One decode stage of `family` with `mode`, ctx_len 8192, fp16, plus extra compile kwargs. */
function kvConfig(family: string, mode: string, extra = ''): string {
  const model = family === 'gpt-oss-120b' ? 'openai/gpt-oss-120b' : 'openai/gpt-oss-20b';
  return `{ "model": "${model}", "decode": { "mode": "${mode}", "compile": { "ctx_len": 8192${extra} } } }\n`;
}

function planJson(file: string, cwd?: string): any {
  const r = cli(['plan', '--format', 'json', file], { cwd });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('plan', () => {
  const PLANNED = `// a plan test
{
  "model": "openai/gpt-oss-20b",
  "qefficientVersion": "1.22",
  "prefill": {
    "mode": "chunking",
    "from_pretrained": { "continuous_batching": true },
    "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true, "kv_cache_batch_size": 2,
                 "node_precision_info": "npi/../npi/sub_npi.yaml", "mos": 1 },
    "env": { "QEFF_HOME": "/data/qeff", "OMP_NUM_THREADS": 8 }
  },
  "decode": {
    "mode": "full-kv",
    "from_pretrained": { "continuous_batching": true },
    "compile": { "ctx_len": 4096, "full_batch_size": 2 }
  }
}
`;

  test('json: per stage mode, from_pretrained, compile with the implied kwargs, env as strings, KV bytes', () => {
    const file = write('plan/deploy.qeff.json', PLANNED);
    const p = planJson(file);
    assert.equal(p.model, 'openai/gpt-oss-20b');
    assert.equal(p.family, 'gpt-oss-20b');
    assert.equal(p.qefficientVersion, '1.22');
    assert.equal(p.configPath, file);
    assert.deepEqual(p.stages.map((s: any) => [s.stage, s.mode]), [['prefill', 'chunking'], ['decode', 'full-kv']]);
    const [pre, dec] = p.stages;
    assert.deepEqual(pre.fromPretrained, { continuous_batching: true });
    assert.deepEqual(pre.compile, {
      prefill_seq_len: 128, ctx_len: 4096, use_onnx_subfunctions: true, kv_cache_batch_size: 2,
      node_precision_info: join(tmp, 'plan', 'npi', 'sub_npi.yaml'), mos: 1,
      prefill_only: true, enable_chunking: true,
    });
    assert.deepEqual(pre.env, { QEFF_HOME: '/data/qeff', OMP_NUM_THREADS: '8' });
    // chunking: full = sliding = ctx_len; 20b: 2 x 8 x 64 x 2 bytes x 24 layers x 4096
    assert.equal(pre.kvBytesPerSlot, 2 * 8 * 64 * 2 * 24 * 4096);
    assert.equal(pre.kvSlots, 2);
    assert.equal(pre.kvBytesTotal, 2 * pre.kvBytesPerSlot);
    assert.equal(pre.kvApproximate, false);
    assert.deepEqual(dec.compile, { ctx_len: 4096, full_batch_size: 2, prefill_seq_len: 1, prefill_only: false, retain_full_kv: true });
    assert.deepEqual(dec.env, {});
    assert.equal(dec.kvBytesPerSlot, 2 * 8 * 64 * 2 * 24 * 4096);
    assert.equal(dec.kvSlots, 2);
  });

  test('text: model, family, version and per stage mode, kwargs, env and KV', () => {
    const file = write('plan/deploy.qeff.json', PLANNED);
    const r = cli(['plan', file]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 3), ['model: openai/gpt-oss-20b', 'family: gpt-oss-20b', 'qefficientVersion: 1.22']);
    assert.ok(lines.includes('[prefill] mode chunking'));
    assert.ok(lines.includes('[decode] mode full-kv'));
    assert.ok(lines.includes('  from_pretrained: {"continuous_batching":true}'));
    assert.ok(lines.some(l => l.startsWith('  compile: {"prefill_seq_len":128,') && l.includes('"prefill_only":true,"enable_chunking":true}')));
    assert.ok(lines.includes('  env: {"QEFF_HOME":"/data/qeff","OMP_NUM_THREADS":"8"}'));
    assert.ok(lines.includes('  kv: 192 MiB per slot x 2 slots = 384 MiB (kvBytesPerSlot 201326592, kvSlots 2, kvBytesTotal 402653184)'), r.stdout);
  });

  test('the catalog\'s KV figures: 120b and 20b, ctx_len 8192, fp16', () => {
    const cases: [string, string, number, string][] = [
      ['gpt-oss-120b', 'swa-retain', 306708480, '292.5 MiB'],
      ['gpt-oss-120b', 'full-kv', 576 * MIB, '576 MiB'],
      ['gpt-oss-20b', 'swa-retain', 195 * MIB, '195 MiB'],
      ['gpt-oss-20b', 'full-kv', 384 * MIB, '384 MiB'],
    ];
    for (const [family, mode, bytes, shown] of cases) {
      const file = write(`kv/${family}-${mode}.qeff.json`, kvConfig(family, mode));
      const s = planJson(file).stages[0];
      assert.equal(s.kvBytesPerSlot, bytes, `${family} ${mode}`);
      assert.equal(s.kvSlots, 1);
      assert.equal(s.kvBytesTotal, bytes);
      assert.equal(s.kvApproximate, false);
      const text = cli(['plan', file]).stdout;
      assert.ok(text.includes(`  kv: ${shown} per slot x 1 slots = ${shown} (kvBytesPerSlot ${bytes}, kvSlots 1, kvBytesTotal ${bytes})`), text);
    }
    // mxint8 halves the bytes and is shown as approximate.
    const mx = write('kv/mx.qeff.json', kvConfig('gpt-oss-120b', 'swa-retain', ', "mxint8_kv_cache": true'));
    const s = planJson(mx).stages[0];
    assert.equal(s.kvBytesPerSlot, 306708480 / 2);
    assert.equal(s.kvApproximate, true);
    assert.match(cli(['plan', mx]).stdout, /kv: ~146\.3 MiB per slot/);
  });

  test('KV slots: kv_cache_batch_size, else full_batch_size, else batch_size, else 1', () => {
    const cases: [string, number][] = [
      [', "kv_cache_batch_size": 6, "full_batch_size": 4, "batch_size": 2', 6],
      [', "full_batch_size": 4, "batch_size": 2', 4],
      [', "batch_size": 2', 2],
      ['', 1],
    ];
    for (const [extra, slots] of cases) {
      const file = write('kv/slots.qeff.json', kvConfig('gpt-oss-20b', 'full-kv', extra));
      const s = planJson(file).stages[0];
      assert.equal(s.kvSlots, slots, extra);
      assert.equal(s.kvBytesTotal, 384 * MIB * slots, extra);
    }
    // Without a family the bytes are unknown but the slots are still counted.
    const file = write('kv/nofamily.qeff.json', '{ "model": "tiny/x", "decode": { "mode": "full-kv", "compile": { "full_batch_size": 3 } } }');
    const s = planJson(file).stages[0];
    assert.deepEqual([s.kvBytesPerSlot, s.kvSlots, s.kvBytesTotal], [null, 3, null]);
    assert.match(cli(['plan', file]).stdout, /kv: unknown \(family unknown\)/);
  });

  test('node_precision_info resolves to an absolute path relative to the config file, not the cwd', () => {
    write('nested/deep/npi/x_npi.yaml', 'FP32NodeInstanceNames:\n  - a\n');
    const file = write('nested/deep/c.qeff.json',
      '{ "model": "openai/gpt-oss-120b", "prefill": { "mode": "chunking", "compile": { "node_precision_info": "npi/x_npi.yaml", "onnx_path": "./m/../model.onnx" } }, "decode": { "mode": "full-kv", "compile": { "node_precision_info": "/abs/dir/../y.yaml" } } }');
    for (const [cwd, arg] of [[tmp, 'nested/deep/c.qeff.json'], [join(tmp, 'nested'), 'deep/c.qeff.json'], [ROOT, file]]) {
      const p = planJson(arg, cwd);
      assert.equal(p.configPath, file);
      assert.equal(p.stages[0].compile.node_precision_info, join(tmp, 'nested', 'deep', 'npi', 'x_npi.yaml'));
      assert.equal(p.stages[0].compile.onnx_path, join(tmp, 'nested', 'deep', 'model.onnx'));
      assert.equal(p.stages[1].compile.node_precision_info, '/abs/y.yaml');
    }
  });

  test('a config without stages plans to no stages', () => {
    const file = write('nostage.qeff.json', '{ "model": "openai/gpt-oss-20b" }');
    assert.deepEqual(planJson(file).stages, []);
    assert.match(cli(['plan', file]).stdout, /no stage with a valid mode/);
  });
});

// ------------------------------------------------------------------------------------------------
// script, checked by python3: py_compile, then a real run against a fake QEfficient package.

// The generated scripts run against the test double of QEfficient in test/fake/ (the one the runner's tests
// use, which follows upstream's signatures), not an inline stand-in that takes any *args/**kwargs.
const FAKE = join(ROOT, 'test', 'fake');

const SCRIPTED = `{
  "model": "openai/gpt-oss-20b",
  "qefficientVersion": "1.22",
  "prefill": {
    "mode": "blocking",
    "from_pretrained": { "continous_batching": false, "revision": "main \\"quoted\\" back\\\\slash é 中" },
    "compile": { "prefill_seq_len": 256, "use_onnx_subfunctions": true, "mos": 1, "aic_hw_version": "ai100",
                 "node_precision_info": "npi/plain.yaml", "odd-key": [1, 2], "num_speculative_tokens": null },
    "env": { "NUM_Q_BLOCKS": 1, "NUM_FFN_BLOCKS": "2", "ENABLE_OPT_SWA": "1", "WEIRD": "a'b\\"c\\\\d\\né" }
  },
  "decode": {
    "mode": "swa-retain",
    "compile": { "ctx_len": 256, "num_cores": 16 }
  }
}
`;

describe('script', () => {
  let file = '';
  before(() => {
    file = write('script/deploy.qeff.json', SCRIPTED);
    write('script/npi/plain.yaml', 'FP32NodeInstanceNames:\n  - a\n');
  });

  function scriptFor(stage: 'prefill' | 'decode'): { text: string; path: string } {
    const r = cli(['script', '--stage', stage, file]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const path = write(`script/${stage}.py`, r.stdout);
    return { text: r.stdout, path };
  }

  test('prints a script with the env before the QEfficient import, and the kwargs', () => {
    const { text } = scriptFor('prefill');
    assert.ok(text.startsWith('#!/usr/bin/env python3\n'));
    const imp = text.indexOf('from QEfficient import QEFFAutoModelForCausalLM');
    assert.ok(imp > 0);
    for (const line of ['os.environ["NUM_Q_BLOCKS"] = "1"', 'os.environ["NUM_FFN_BLOCKS"] = "2"', 'os.environ["ENABLE_OPT_SWA"] = "1"']) {
      const at = text.indexOf(line);
      assert.ok(at > 0 && at < imp, `${line} before the import`);
    }
    assert.ok(text.indexOf('import os') < text.indexOf('os.environ['));
    assert.match(text, /QEFFAutoModelForCausalLM\.from_pretrained\(\n\s+MODEL,\n/);
    assert.match(text, /\n\s+continuous_batching=False,\n/);
    assert.doesNotMatch(text, /continous_batching/);
    assert.match(text, /\n\s+prefill_seq_len=256,\n/);
    assert.match(text, /\n\s+prefill_only=True,\n/);
    assert.match(text, /\n\s+num_speculative_tokens=None,\n/);
    assert.match(text, /\n\s+\*\*\{"odd-key": \[1, 2\]\},\n/);
    const decode = scriptFor('decode').text;
    assert.doesNotMatch(decode, /os\.environ/);
    assert.match(decode, /from_pretrained\(MODEL\)/);
    assert.match(decode, /\n\s+prefill_seq_len=1,\n\s+prefill_only=False,\n/);
  });

  test('python3 -m py_compile accepts both stages', { skip: noPython }, () => {
    for (const stage of ['prefill', 'decode'] as const) {
      const { path } = scriptFor(stage);
      const r = spawnSync('python3', ['-m', 'py_compile', path], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${stage}: ${r.stderr}`);
    }
  });

  /** Runs a script against the double; ok: the compiler succeeds, fail: it fails, other: QEfficient raises. */
  function runScript(path: string, mode: 'ok' | 'fail' | 'other'): { r: SpawnSyncReturns<string>; rec: any; argv?: string[] } {
    const record = join(tmp, `record-${mode}.json`);
    const argvFile = join(tmp, `argv-${mode}.json`);
    for (const f of [record, argvFile]) rmSync(f, { force: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env, PYTHONPATH: join(FAKE, 'python'), PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8',
      FAKE_QEFF_RECORD: record, FAKE_QAIC_COMPILE: join(FAKE, 'bin', 'qaic-compile'), FAKE_QAIC_ARGV_FILE: argvFile,
      QEFF_HOME: join(tmp, `qeff home ${mode}`), FAKE_QAIC_MODE: mode === 'fail' ? 'fail' : 'succeed',
    };
    if (mode === 'other') env.FAKE_QEFF_CRASH = 'compile';
    for (const k of ['NUM_Q_BLOCKS', 'NUM_FFN_BLOCKS', 'ENABLE_OPT_SWA', 'WEIRD', 'FAKE_QEFF_API', 'FAKE_QEFF_VERSION']) delete env[k];
    const r = spawnSync('python3', [path], { encoding: 'utf8', env, cwd: tmp });
    return {
      r, rec: existsSync(record) ? JSON.parse(readFileSync(record, 'utf8')) : undefined,
      argv: existsSync(argvFile) ? JSON.parse(readFileSync(argvFile, 'utf8')) as string[] : undefined,
    };
  }
  const lastLine = (text: string) => text.trimEnd().split('\n').pop();

  test('runs against a fake QEfficient: from_pretrained, compile and env equal the plan', { skip: noPython }, () => {
    const plan = planJson(file);
    for (const stage of ['prefill', 'decode'] as const) {
      const sp = plan.stages.find((s: any) => s.stage === stage);
      const { path } = scriptFor(stage);
      const { r, rec } = runScript(path, 'ok');
      assert.equal(r.status, 0, `${stage}: ${r.stderr}`);
      assert.match(lastLine(r.stdout) ?? '', /^QPC: .*\/qpc-[0-9a-f]{16}\/qpc$/);
      assert.ok(rec, 'the fake recorded the run');
      assert.deepEqual(rec.from_pretrained.args, [plan.model]);
      assert.deepEqual(rec.from_pretrained.kwargs, sp.fromPretrained);
      assert.deepEqual(rec.compile.args, []);
      assert.deepEqual(rec.compile.kwargs, sp.compile);
      for (const [k, v] of Object.entries(sp.env)) {
        assert.equal(rec.env_at_import[k], v, `${k} is set before QEfficient is imported`);
        assert.equal(rec.from_pretrained.env[k], v);
      }
    }
    // The prefill plan this checks against is the interesting one.
    const pre = plan.stages[0];
    assert.deepEqual(pre.fromPretrained, { continuous_batching: false, revision: 'main "quoted" back\\slash é 中' });
    assert.deepEqual(pre.env, { NUM_Q_BLOCKS: '1', NUM_FFN_BLOCKS: '2', ENABLE_OPT_SWA: '1', WEIRD: 'a\'b"c\\d\né' });
    assert.equal(pre.compile['odd-key'][1], 2);
    assert.equal(pre.compile.node_precision_info, join(tmp, 'script', 'npi', 'plain.yaml'));
  });

  test('on "Compilation failed!" the script prints QEfficient\'s text on stderr, the shell-quoted command on stdout, and exits 1', { skip: noPython }, () => {
    const { path } = scriptFor('prefill');
    const { r, rec, argv } = runScript(path, 'fail');
    assert.equal(r.status, 1, r.stderr);
    assert.ok(argv, 'the compiler ran');
    const block = `${SCRIPT_COMMAND_BEGIN}\n${shellJoin(argv)}\n${SCRIPT_COMMAND_END}\n`;
    assert.ok(r.stdout.endsWith(block), `the command the compiler was run with, shell-quoted, last: ${r.stdout}`);
    // The exception text as QEfficient wrote it (QEfficient/base/modeling_qeff.py, _compile), first.
    assert.ok(`\n${r.stderr}`.includes(`\nRuntimeError: Compilation failed!\nCompiler command: [${argv.map(a => `'${a}'`).join(', ')}]\n`), r.stderr);
    assert.match(r.stderr, /run the command below by hand/, 'subfunctions: the failure is expected');
    assert.ok(rec.compile, 'compile was called');
    // compile-command reads either stream back.
    for (const [log, source] of [[r.stdout, 'script'], [r.stderr, 'qefficient'], [r.stderr + r.stdout, 'script']]) {
      const back = cli(['compile-command', '--format', 'json'], { input: log });
      assert.equal(back.status, 0, back.stderr);
      assert.deepEqual(JSON.parse(back.stdout).argv, argv);
      assert.equal(JSON.parse(back.stdout).source, source);
    }
    const dec = runScript(scriptFor('decode').path, 'fail');
    assert.equal(dec.r.status, 1);
    assert.ok(dec.argv);
    assert.ok(dec.r.stdout.endsWith(`${SCRIPT_COMMAND_BEGIN}\n${shellJoin(dec.argv)}\n${SCRIPT_COMMAND_END}\n`), dec.r.stdout);
    assert.match(dec.r.stderr, /^RuntimeError: Compilation failed!\n/m);
    assert.match(dec.r.stderr, /Compilation failed\. The compiler command, to run by hand:/);
    // Another exception is not swallowed.
    const other = runScript(path, 'other');
    assert.notEqual(other.r.status, 0);
    assert.doesNotMatch(other.r.stdout, /QPC:|qaic-compile/);
    assert.match(other.r.stderr, /Exception: FAKE_QEFF_CRASH: simulated failure during compile/);
  });

  test('every example\'s scripts compile with py_compile', { skip: noPython }, () => {
    for (const f of readdirSync(EXAMPLES).filter(x => x.endsWith('.qeff.json'))) {
      for (const stage of ['prefill', 'decode']) {
        const r = cli(['script', '--stage', stage, join(EXAMPLES, f)]);
        assert.equal(r.status, 0, r.stderr);
        const path = write(`examples/${f}.${stage}.py`, r.stdout);
        const c = spawnSync('python3', ['-m', 'py_compile', path], { encoding: 'utf8' });
        assert.equal(c.status, 0, `${f} ${stage}: ${c.stderr}`);
      }
    }
  });

  // The model, file name and version are not pasted into a docstring, where a backslash escape or a
  // triple quote would be a Python SyntaxError.
  test('a model path with backslashes or quotes still gives a script that compiles', {
    skip: noPython,
  }, () => {
    for (const model of ['C:\\\\xmodels\\\\New\\\\gpt-oss-20b', 'openai/gpt-oss-20b\\"\\"\\" x']) {
      const f = write('script/hostile.qeff.json', `{ "model": "${model}", "family": "gpt-oss-20b", "decode": { "mode": "full-kv" } }`);
      const r = cli(['script', '--stage', 'decode', f]);
      assert.equal(r.status, 0, r.stderr);
      const path = write('script/hostile.py', r.stdout);
      const c = spawnSync('python3', ['-m', 'py_compile', path], { encoding: 'utf8' });
      assert.equal(c.status, 0, `model ${model}: ${c.stderr}`);
    }
  });
});

// ------------------------------------------------------------------------------------------------
// compile-command

const COMMAND = "['/opt/qti-aic/exec/qaic-compile', '-aic-hw', '-m=/x y/model.onnx', \"-custom-IO-list-file=it's.yaml\", '-aic-binary-dir=/q/qpc']";
const LOG = `INFO Exporting...
Traceback (most recent call last):
  File "prefill.py", line 30, in main
RuntimeError: Compilation failed!
Compiler command: ${COMMAND}
Compiler exitcode: 1
Compiler stderr:
boom
`;
const SHELL = "/opt/qti-aic/exec/qaic-compile -aic-hw '-m=/x y/model.onnx' '-custom-IO-list-file=it'\"'\"'s.yaml' -aic-binary-dir=/q/qpc";
const ARGV = ['/opt/qti-aic/exec/qaic-compile', '-aic-hw', '-m=/x y/model.onnx', "-custom-IO-list-file=it's.yaml", '-aic-binary-dir=/q/qpc'];

describe('compile-command', () => {
  test('from a log file: the shell command and the QPC folder', () => {
    const log = write('compile.log', LOG);
    const r = cli(['compile-command', log]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${SHELL}\n# QPC folder: /q/qpc\n`);
  });

  test('from stdin (-, or no argument)', () => {
    for (const args of [['compile-command', '-'], ['compile-command']]) {
      const r = cli(args, { input: LOG });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, `${SHELL}\n# QPC folder: /q/qpc\n`);
    }
  });

  test('--format json: {argv, shell, qpcDir, line, source, unreadable}', () => {
    const log = write('compile.log', LOG);
    const fromFile = cli(['compile-command', '--format', 'json', log]);
    const fromStdin = cli(['compile-command', '--format', 'json', '-'], { input: LOG });
    for (const r of [fromFile, fromStdin]) {
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), { argv: ARGV, shell: SHELL, qpcDir: '/q/qpc', line: 5, source: 'qefficient', unreadable: [] });
    }
    const noDir = cli(['compile-command', '--format', 'json', '-'], { input: "Compiler command: ['qaic-compile', '-m=a.onnx']\n" });
    assert.deepEqual(JSON.parse(noDir.stdout), { argv: ['qaic-compile', '-m=a.onnx'], shell: 'qaic-compile -m=a.onnx', qpcDir: null, line: 1, source: 'qefficient', unreadable: [] });
  });

  test('the shell command reproduces the argv in /bin/sh', () => {
    const r = spawnSync('/bin/sh', ['-c', `set -- ${SHELL}; for a in "$@"; do printf '%s\\0' "$a"; done`], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.deepEqual(r.stdout.split('\0').slice(0, -1), ARGV);
  });

  test('exit 1 with a message on stderr when there is no "Compiler command:" line', () => {
    const log = write('nocommand.log', 'RuntimeError: Compilation failed!\nCompiler exitcode: 1\n');
    const r = cli(['compile-command', log]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /nocommand\.log: no readable "Compiler command: \[\.\.\.\]" line or stage-script command found/);
    const s = cli(['compile-command', '--format', 'json', '-'], { input: 'nothing here\n' });
    assert.equal(s.status, 1);
    assert.equal(s.stdout, '');
    assert.match(s.stderr, /^stdin: no readable "Compiler command/);
    const empty = cli(['compile-command'], { input: '' });
    assert.equal(empty.status, 1);
  });
});

// ------------------------------------------------------------------------------------------------
// compile-command: which line it used (issue 9 point 13), endless and huge input (issue 9 point 4)

describe('compile-command: a cut last command is reported, never used silently', () => {
  test('names the cut line and the earlier one it used, in text and json', () => {
    const cutLog = `${LOG}RuntimeError: Compilation failed!\nCompiler command: ['/opt/qti-aic/exec/qaic-compile', '-aic-hw', '-m=/new`;
    const log = write('cut.log', cutLog);
    const r = cli(['compile-command', log]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${SHELL}\n# QPC folder: /q/qpc\n`);
    assert.equal(r.stderr, [
      `${log}:10: the last compiler command, QEfficient's "Compiler command: [...]" line, is cut or altered (unterminated string, column 65): not used`,
      `${log}:5: used QEfficient's "Compiler command: [...]" line here instead; it may be from an earlier run`,
      '',
    ].join('\n'));
    const j = cli(['compile-command', '--format', 'json', '-'], { input: cutLog });
    assert.equal(j.status, 0);
    const out = JSON.parse(j.stdout);
    assert.equal(out.line, 5);
    assert.deepEqual(out.unreadable, [{ line: 10, source: 'qefficient', reason: 'cut or altered (unterminated string, column 65)' }]);
  });

  test('a QPC folder with a line break is shown escaped: the comment line cannot end early', () => {
    const r = cli(['compile-command'], { input: "Compiler command: ['qaic-compile', '-aic-binary-dir=/q\\nrm -rf ~\\u2028x/qpc']\n" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "qaic-compile '-aic-binary-dir=/q\nrm -rf ~\u2028x/qpc'\n# QPC folder: \"/q\\nrm -rf ~\\u2028x/qpc\"\n");
    assert.deepEqual(JSON.parse(cli(['compile-command', '--format', 'json'], { input: "Compiler command: ['a', '-aic-binary-dir=/q\\nx']" }).stdout).qpcDir, '/q\nx');
  });

  test('many cut lines: five are named, the rest counted; over 100 of them, the search stops there', () => {
    const cut = "Compiler command: ['x\n";
    const r = cli(['compile-command'], { input: `${LOG}${cut.repeat(7)}` });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stderr.split('\n');
    assert.deepEqual(lines.slice(5), ['stdin: 2 more unreadable compiler command lines before those', "stdin:5: used QEfficient's \"Compiler command: [...]\" line here instead; it may be from an earlier run", '']);
    assert.match(lines[0], /^stdin:15: the last compiler command, /);
    assert.match(lines[4], /^stdin:11: QEfficient's/);
    const many = cli(['compile-command'], { input: `${LOG}${cut.repeat(150)}` });
    assert.equal(many.status, 1);
    assert.match(many.stderr, /stdin: 95 more unreadable compiler command lines before those\nstdin: no readable "Compiler command: \[\.\.\.\]" line or stage-script command found in the last 100 command lines/);
  });

  test('with only a cut command: exit 1, and the cut line is named', () => {
    const r = cli(['compile-command'], { input: "Compiler command: ['/opt/qti-aic/exec/qaic-compile', '-aic-hw'" });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^stdin:1: the last compiler command, QEfficient's "Compiler command: \[\.\.\.\]" line, is cut or altered \(expected ',' or '\]', found end of input, column 63\): not used\nstdin: no readable/);
  });
});

describe('compile-command reads a bounded amount of input', () => {
  const MAX = 64 * 1024 * 1024;
  let preload = '';
  before(() => {
    // Reports the CLI process's peak memory on exit: a bound that a measurement shows, not a timing.
    preload = write('maxrss.js', "process.on('exit', () => require('fs').writeSync(2, '\\nmaxRSS ' + process.resourceUsage().maxRSS + '\\n'));\n");
  });

  /** Runs compile-command with `chunks` on stdin, stopping when it stops reading. */
  function feed(chunks: () => Generator<Buffer>): Promise<{ status: number | null; stderr: string; written: number; maxRssMiB: number }> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn(process.execPath, ['--require', preload, CLI, 'compile-command'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      let written = 0;
      let closed = false;
      child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
      child.stdin.on('error', () => { closed = true; }); // EPIPE once it stops reading
      const it = chunks();
      const pump = (): void => {
        for (;;) {
          if (closed) return;
          const next = it.next();
          if (next.done) { child.stdin.end(); return; }
          const ok = child.stdin.write(next.value, e => { if (!e) written += next.value.length; });
          if (!ok) { child.stdin.once('drain', pump); return; }
        }
      };
      pump();
      child.on('error', reject);
      child.on('close', status => {
        closed = true;
        const m = /\nmaxRSS (\d+)\n$/.exec(stderr);
        assert.ok(m, stderr);
        resolvePromise({ status, stderr: stderr.slice(0, m.index), written, maxRssMiB: Number(m[1]) / 1024 });
      });
    });
  }

  function* zeros(totalMiB: number): Generator<Buffer> {
    const mib = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < totalMiB; i++) yield mib;
  }

  test('an endless stdin: reading stops at 64 MiB, exit 2 with a message', async () => {
    // 256 MiB stands for "endless": before the bound the CLI read it all.
    const r = await feed(() => zeros(256));
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^qeff-disagg: stdin: more than 64 MiB; compile-command stops reading there\. Give it the end of the log/);
    assert.ok(r.written <= MAX + 2 * 1024 * 1024, `the CLI took ${r.written} bytes`);
    assert.ok(r.maxRssMiB < 400, `peak memory ${r.maxRssMiB} MiB`);
  });

  test('a 100 MB single-line command on stdin: the same bound, not 3.8 GB', async () => {
    function* line(): Generator<Buffer> {
      yield Buffer.from("Compiler command: ['");
      yield* zeros(100);
      yield Buffer.from("']\n");
    }
    const r = await feed(line);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /more than 64 MiB/);
    assert.ok(r.written <= MAX + 2 * 1024 * 1024, `the CLI took ${r.written} bytes`);
    assert.ok(r.maxRssMiB < 400, `peak memory ${r.maxRssMiB} MiB`);
  });

  test('a 10 MB command line under the total bound is not parsed: exit 1, and says why', async () => {
    function* line(): Generator<Buffer> {
      yield Buffer.from("Compiler command: ['");
      yield Buffer.alloc(10 * 1024 * 1024, 'a');
      yield Buffer.from("']\n");
    }
    const r = await feed(line);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^stdin:1: the last compiler command, QEfficient's "Compiler command: \[\.\.\.\]" line, is longer than 1 MiB \(10485764 characters\), more than any compiler command: not used\n/);
    assert.ok(r.maxRssMiB < 400, `peak memory ${r.maxRssMiB} MiB`);
  });

  test('/dev/zero as LOGFILE: exit 2 with the bound, instead of reading until memory is gone', { skip: existsSync('/dev/zero') ? false : 'no /dev/zero' }, () => {
    const r = cli(['compile-command', '/dev/zero']);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^qeff-disagg: \/dev\/zero: more than 64 MiB; compile-command stops reading there/);
  });
});

// ------------------------------------------------------------------------------------------------
// script: every line is fixed text or a quoted value (issue 9 point 1)

describe('script: config text reaches the Python script only as quoted, escaped values', () => {
  // Line breaks Python, editors or JavaScript see (\n \r \v \f \x1c-\x1e \x85 \u2028 \u2029), other controls,
  // bidi overrides, a BOM, a lone surrogate, quotes, backslashes and code after a line break.
  const EVIL = '"; import os; os.system("id") #\n__import__("os").system("id")\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029'
    + '\x00\x07\x1b[31m\x7f\x9f\u202e\u2066\u200b\ufeff\ud800 \'\'\' """ \\ \\n é 日本 😀';
  const SAFE = 'x';
  function config(s: string): string {
    const j = (v: unknown): string => JSON.stringify(v);
    return `{
      "model": ${j(`openai/${s}`)}, "family": "gpt-oss-20b", "qefficientVersion": "1.22",
      "prefill": { "mode": "blocking",
        "from_pretrained": { "revision": ${j(s)}, ${j(`kw ${s}`)}: [${j(s)}, { ${j(s)}: ${j(s)} }] },
        "compile": { "prefill_seq_len": 256, "onnx_path": ${j(`/models/${s}.onnx`)}, ${j(`odd ${s}`)}: ${j(s)}, "aic_hw_version": ${j(s)} },
        "env": { "NUM_Q_BLOCKS": ${j(s)}, ${j(`VAR${s}`)}: ${j(s)} } }
    }`;
  }
  const PY_VALUES = [
    'import ast, json, re, sys',
    'src = sys.stdin.read()',
    'tree = ast.parse(src)',
    'out = {"env": {}, "calls": {}, "model": None, "pylines": len(src.splitlines())}',
    'for node in ast.walk(tree):',
    '    if isinstance(node, ast.Assign):',
    '        t = node.targets[0]',
    '        if isinstance(t, ast.Subscript):',
    '            key = t.slice.value if type(t.slice).__name__ == "Index" else t.slice',
    '            out["env"][ast.literal_eval(key)] = ast.literal_eval(node.value)',
    '        elif isinstance(t, ast.Name) and t.id == "MODEL":',
    '            out["model"] = ast.literal_eval(node.value)',
    '    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("from_pretrained", "compile"):',
    '        kw = {}',
    '        for k in node.keywords:',
    '            kw.update(ast.literal_eval(k.value) if k.arg is None else {k.arg: ast.literal_eval(k.value)})',
    '        out["calls"][node.func.attr] = kw',
    'lines = src.split("\\n")',
    'out["comments"] = [ast.literal_eval(re.search(r\'"(?:[^"\\\\]|\\\\.)*"\', lines[i]).group(0)) for i in (1, 2)]',
    'print(json.dumps(out, ensure_ascii=True))',
  ].join('\n');

  test('pyString: any string, lone surrogates included, is one printable line that Python reads back', { skip: noPython }, () => {
    const strings = fc.sample(fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      fc.integer({ min: 0xd800, max: 0xdfff }).map(c => String.fromCharCode(c)), fc.constantFrom('"', '\\', '\n', '\u2028', '\x85')), maxLength: 12 }),
    { numRuns: 400, seed: 7 });
    const literals = strings.map(pyString);
    for (const l of literals) assert.doesNotMatch(l.replace(/ /g, ''), /[\p{C}\p{Z}]/u, l);
    const r = spawnSync('python3', ['-c', 'import ast, json, sys\nprint(json.dumps([ast.literal_eval(t) for t in json.load(sys.stdin)]))'],
      { input: JSON.stringify(literals), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), strings);
  });

  test('hostile model, file name, env names and values, kwarg names and values: same lines as a plain config, and they round-trip', { skip: noPython }, () => {
    // Not in the file name: NUL and / (impossible), \\ (a folder separator for the comment), a lone surrogate (not UTF-8).
    const evilFile = write(`script/evil ${EVIL.replace(/[\0/\\\ud800]/g, '')}.qeff.json`, config(EVIL));
    const plainFile = write('script/plain.qeff.json', config(SAFE));
    const evil = cli(['script', '--stage', 'prefill', evilFile]);
    const plain = cli(['script', '--stage', 'prefill', plainFile]);
    assert.equal(evil.status, 0, evil.stderr);
    assert.equal(plain.status, 0, plain.stderr);
    const lines = evil.stdout.split('\n');
    assert.equal(lines.length, plain.stdout.split('\n').length, 'no line added by the config');
    lines.forEach((line, i) => assert.doesNotMatch(line, /[\p{C}\p{Zl}\p{Zp}]/u, `line ${i + 1} holds a raw control or separator character`));
    // Python sees the same lines (splitlines also breaks at \v \f \x1c-\x1e \x85 \u2028 \u2029), parses the
    // script, and every value reads back as the plan has it.
    const r = spawnSync('python3', ['-c', PY_VALUES], { input: evil.stdout, encoding: 'utf8', env: { ...process.env, PYTHONIOENCODING: 'utf-8' } });
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout);
    assert.equal(got.pylines, lines.length - 1, 'Python splits the script into the same lines');
    const plan = planJson(evilFile);
    const stage = plan.stages[0];
    assert.equal(got.model, `openai/${EVIL}`);
    assert.equal(plan.model, got.model);
    assert.deepEqual(got.env, stage.env);
    assert.deepEqual(got.env[`VAR${EVIL}`], EVIL);
    assert.deepEqual(got.calls.from_pretrained, stage.fromPretrained);
    assert.deepEqual(got.calls.compile, stage.compile);
    assert.equal(got.calls.compile[`odd ${EVIL}`], EVIL);
    assert.deepEqual(got.comments, [basename(evilFile), `openai/${EVIL}`]);
    // And it compiles to bytecode.
    const path = write('script/evil.py', evil.stdout);
    const c = spawnSync('python3', ['-m', 'py_compile', path], { encoding: 'utf8' });
    assert.equal(c.status, 0, c.stderr);
  });
});
