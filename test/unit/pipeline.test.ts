// The pipeline's pure logic: run history rotation and expected durations, stage state derivation, the
// artifact search in QEfficient's cache layout (against the driver and the test double), the lens model.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlan } from '../../src/core/plan';
import { exportMatches, findStageArtifacts, qeffHome, traceEnvKey, type DirHost, type Entry } from '../../src/core/pipeline/artifacts';
import { lensModel } from '../../src/core/pipeline/lensModel';
import { expectedDuration, fingerprintOf, parseHistory, rotate, serializeHistory, type RunRecord } from '../../src/core/pipeline/runHistory';
import { deriveStageState, formatClock, minutesLeft, type StageInputs } from '../../src/core/pipeline/stageState';
import { parseEventLine, type RunRequest } from '../../src/core/runnerProtocol';
import { nodeDirHost } from '../../src/node/dirHost';
import { repoRoot } from './repoRoot';

const ROOT = repoRoot();
const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;
const noPython = hasPython ? false : 'python3 not available';

let n = 0;
function rec(over: Partial<RunRecord>): RunRecord {
  n++;
  return { id: `r${n}`, config: 'file:///a.qeff.json', stage: 'prefill', step: 'compile', fingerprint: 'f', startedAt: n * 1000,
    endedAt: n * 1000 + 500, outcome: 'compiled', logBytes: 10, ...over };
}

describe('run history', () => {
  test('rotation keeps the newest runs of each stage and deletes the logs of the others', () => {
    const a = Array.from({ length: 5 }, (_, i) => rec({ startedAt: i * 10 }));
    const b = rec({ stage: 'decode', startedAt: 1 });
    const { kept, deleteLogs } = rotate([...a, b], { perStage: 3, maxLogBytes: 1e9 });
    assert.deepEqual(kept.map(r => r.startedAt), [40, 30, 20, 1]);
    assert.deepEqual(deleteLogs.sort(), [a[0].id, a[1].id].sort());
  });

  test('rotation bounds the total log size: older logs go, their records stay without a log', () => {
    const runs = [rec({ startedAt: 1, logBytes: 60 }), rec({ startedAt: 2, logBytes: 50 }), rec({ startedAt: 3, logBytes: 40 })];
    const { kept, deleteLogs } = rotate(runs, { perStage: 10, maxLogBytes: 100 });
    assert.deepEqual(kept.map(r => [r.startedAt, r.logBytes]), [[3, 40], [2, 50], [1, 0]]);
    assert.deepEqual(deleteLogs, [runs[0].id]);
  });

  test('a running record keeps its log whatever the budget', () => {
    const { kept } = rotate([rec({ startedAt: 5, outcome: 'running', logBytes: 500 })], { perStage: 10, maxLogBytes: 100 });
    assert.equal(kept[0].logBytes, 500);
  });

  test('expected duration: the last successful run of the same stage, step and kwargs', () => {
    const runs = [
      rec({ startedAt: 0, endedAt: 38 * 60000, fingerprint: 'k1' }),
      rec({ startedAt: 50 * 60000, endedAt: 51 * 60000, fingerprint: 'k1', outcome: 'failed' }),
      rec({ startedAt: 60 * 60000, endedAt: 70 * 60000, fingerprint: 'k2' }),
      rec({ startedAt: 80 * 60000, endedAt: 81 * 60000, fingerprint: 'k1', step: 'export', outcome: 'exported' }),
    ];
    assert.equal(expectedDuration(runs, 'file:///a.qeff.json', 'prefill', 'compile', 'k1'), 38 * 60000);
    assert.equal(expectedDuration(runs, 'file:///a.qeff.json', 'prefill', 'compile', 'k2'), 10 * 60000);
    assert.equal(expectedDuration(runs, 'file:///a.qeff.json', 'prefill', 'compile', 'k3'), undefined);
    assert.equal(expectedDuration(runs, 'file:///a.qeff.json', 'decode', 'compile', 'k1'), undefined);
    assert.equal(minutesLeft(20 * 60000, 38 * 60000), 18);
    assert.equal(minutesLeft(39 * 60000, 38 * 60000), undefined);
    assert.equal(formatClock(3723000), '1:02:03');
    assert.equal(formatClock(187000), '3:07');
  });

  test('the fingerprint ignores key order and sees every value', () => {
    assert.equal(fingerprintOf({ a: 1, b: { c: [1, 2] } }), fingerprintOf({ b: { c: [1, 2] }, a: 1 }));
    assert.notEqual(fingerprintOf({ a: 1, b: { c: [1, 2] } }), fingerprintOf({ a: 1, b: { c: [2, 1] } }));
    assert.notEqual(fingerprintOf({ a: '1' }), fingerprintOf({ a: 1 }));
    assert.match(fingerprintOf(null), /^[0-9a-f]{16}$/);
  });

  test('a stored history round-trips; malformed records and unsafe log ids are dropped', () => {
    const good = rec({});
    assert.deepEqual(parseHistory(serializeHistory([good])), [good]);
    const text = JSON.stringify({ runs: [good, { ...good, id: '../../etc/passwd' }, { ...good, stage: 'serve' }, 7, null] });
    assert.deepEqual(parseHistory(text), [good]);
    assert.deepEqual(parseHistory('{not json'), []);
    assert.deepEqual(parseHistory(undefined), []);
  });
});

describe('stage state', () => {
  const base = (over: Partial<StageInputs>): StageInputs => ({ stage: 'prefill', runs: [], disk: {}, fingerprint: 'f', ...over });
  const onnx = { path: '/h/x.onnx', size: 1, mtimeMs: 100 };
  const qpc = { path: '/h/qpc-1/qpc', size: 1234, mtimeMs: 200 };

  test('nothing on disk and no runs: not built', () => {
    assert.deepEqual(deriveStageState(base({})), { kind: 'notBuilt' });
  });

  test('an ONNX only: exported; a QPC: compiled with the size of programqpc.bin', () => {
    assert.deepEqual(deriveStageState(base({ disk: { onnx } })), { kind: 'exported', onnxPath: onnx.path, at: 100, stale: false });
    assert.deepEqual(deriveStageState(base({ disk: { onnx, qpc } })), { kind: 'compiled', qpcPath: qpc.path, programBytes: 1234, at: 200, stale: false });
  });

  test('a run in progress wins over everything', () => {
    const s = deriveStageState(base({ disk: { onnx, qpc }, running: { step: 'compile', phase: 'compile', startedAt: 5 } }));
    assert.deepEqual(s, { kind: 'running', step: 'compile', phase: 'compile', startedAt: 5 });
  });

  test('a failure newer than the artifacts shows; an older one does not', () => {
    const failed = rec({ outcome: 'failed', message: 'The prefill compile failed: boom', endedAt: 300 });
    assert.equal(deriveStageState(base({ disk: { onnx, qpc }, runs: [failed] })).kind, 'failed');
    const old = rec({ outcome: 'failed', message: 'x', startedAt: 10, endedAt: 50 });
    assert.equal(deriveStageState(base({ disk: { onnx, qpc }, runs: [old] })).kind, 'compiled');
  });

  test('a cancelled last run leaves the disk state', () => {
    const cancelled = rec({ outcome: 'cancelled', endedAt: 900 });
    assert.equal(deriveStageState(base({ disk: { onnx }, runs: [cancelled] })).kind, 'exported');
  });

  test('a captured manual command: manual until programqpc.bin appears after it', () => {
    const manual = { qpcDir: '/h/qpc-1/qpc', capturedAt: 150 };
    assert.deepEqual(deriveStageState(base({ disk: { onnx }, manual })), { kind: 'manual', qpcDir: '/h/qpc-1/qpc', at: 150 });
    assert.equal(deriveStageState(base({ disk: { onnx, qpc }, manual })).kind, 'compiled');
    assert.equal(deriveStageState(base({ disk: { onnx, qpc: { ...qpc, mtimeMs: 120 } }, manual })).kind, 'manual', 'an older QPC does not end it');
    assert.equal(deriveStageState(base({ disk: { onnx, qpc: { ...qpc, mtimeMs: 120 } }, manual: { ...manual, compiledAt: 160 } })).kind, 'compiled');
  });

  test('stale: the config changed since the last successful run', () => {
    const ok = rec({ outcome: 'compiled', fingerprint: 'old', endedAt: 250 });
    const s = deriveStageState(base({ disk: { onnx, qpc }, runs: [ok], fingerprint: 'new' }));
    assert.equal(s.kind === 'compiled' && s.stale, true);
  });
});

/** An in-memory DirHost: path -> file text or a folder marker. */
function memHost(files: Record<string, { text?: string; size?: number; mtimeMs?: number }>): DirHost {
  const dirs = new Set<string>();
  for (const p of Object.keys(files)) for (let d = p.slice(0, p.lastIndexOf('/')); d; d = d.slice(0, d.lastIndexOf('/'))) dirs.add(d);
  const stat = (p: string): Entry | undefined => {
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (files[p]) return { name, isDir: false, size: files[p].size ?? (files[p].text ?? '').length, mtimeMs: files[p].mtimeMs ?? 1 };
    return dirs.has(p) ? { name, isDir: true, size: 0, mtimeMs: 1 } : undefined;
  };
  return {
    stat,
    readText: p => files[p]?.text,
    list: p => {
      if (!dirs.has(p)) return undefined;
      const names = new Set<string>();
      for (const q of [...Object.keys(files), ...dirs]) if (q.startsWith(p + '/')) names.add(q.slice(p.length + 1).split('/')[0]);
      return [...names].map(nm => stat(`${p}/${nm}`) as Entry);
    },
  };
}

describe('artifacts in QEfficient\'s cache layout', () => {
  test('QEFF_HOME as upstream utils/cache.py computes it', () => {
    assert.equal(qeffHome({ QEFF_HOME: '/q', XDG_CACHE_HOME: '/x' }, '/home/u'), '/q');
    assert.equal(qeffHome({ XDG_CACHE_HOME: '/x' }, '/home/u'), '/x/qeff_models');
    assert.equal(qeffHome({}, '/home/u'), '/home/u/.cache/qeff_models');
  });

  test('the trace-env key equals the driver\'s trace_env_key', { skip: noPython }, () => {
    const cases: Record<string, string>[] = [{}, { NUM_Q_BLOCKS: '2' }, { ENABLE_OPT_SWA: '1', NUM_Q_BLOCKS: '4', OTHER: 'x' },
      { NUM_FFN_BLOCKS: 'a b/c' }, { NUM_BLOCKS: 'x'.repeat(33) }, { NUM_Q_BLOCKS: 'é' }];
    const py = spawnSync('python3', ['-c', 'import sys, json; sys.path.insert(0, sys.argv[1]); import qeff_driver as d; '
      + 'print(json.dumps([d.trace_env_key(e) for e in json.loads(sys.stdin.read())]))', join(ROOT, 'src', 'runner')],
    { input: JSON.stringify(cases), encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    assert.deepEqual(cases.map(traceEnvKey), JSON.parse(py.stdout));
  });

  test('the export folder of the stage\'s trace env, mode and model; the newest reported QPC that holds programqpc.bin', () => {
    const k = '/q/qeff-disagg/NUM_Q_BLOCKS=1';
    const host = memHost({
      [`${k}/M-aaaa/hashed_export_params.json`]: { text: JSON.stringify({ prefill_only: true, chunking: false }) },
      [`${k}/M-aaaa/M.onnx`]: { mtimeMs: 10 },
      [`${k}/M-bbbb/hashed_export_params.json`]: { text: JSON.stringify({ retain_full_kv: false }) },
      [`${k}/M-bbbb/M.onnx`]: { mtimeMs: 20 },
      [`${k}/M-aaaa/qpc-11/qpc/programqpc.bin`]: { size: 4096, mtimeMs: 30 },
      [`${k}/M-aaaa/qpc-22/qpc/programqpc.bin`]: { size: 8192, mtimeMs: 40 },
      [`${k}/M-aaaa/qpc-33/qpc/specializations.json`]: { mtimeMs: 50 }, // a failed compile: no programqpc.bin
      [`${k}/M-dddd/hashed_export_params.json`]: { text: JSON.stringify({ prefill_only: true, pretrained_model_name_or_path: 'other/model' }) },
      [`${k}/M-dddd/M.onnx`]: { mtimeMs: 98 },
      ['/q/qeff-disagg/no-trace-env/M-cccc/hashed_export_params.json']: { text: JSON.stringify({ prefill_only: true }) },
      ['/q/qeff-disagg/no-trace-env/M-cccc/M.onnx']: { mtimeMs: 99 },
    });
    const reportedQpc = [`${k}/M-aaaa/qpc-33/qpc`, `${k}/M-aaaa/qpc-11/qpc`, `${k}/M-aaaa/qpc-22/qpc`];
    const prefill = findStageArtifacts(host, { qeffHome: '/q', stage: 'prefill', mode: 'blocking', env: { NUM_Q_BLOCKS: '1' }, model: 'openai/gpt-oss-20b', reportedQpc });
    assert.equal(prefill.onnx?.path, `${k}/M-aaaa/M.onnx`);
    assert.deepEqual(prefill.qpc, { path: `${k}/M-aaaa/qpc-22/qpc`, size: 8192, mtimeMs: 40 });
    const unreported = findStageArtifacts(host, { qeffHome: '/q', stage: 'prefill', mode: 'blocking', env: { NUM_Q_BLOCKS: '1' } });
    assert.equal(unreported.qpc, undefined, 'a QPC beside the ONNX is not claimed unless a run reported it');
    assert.equal(unreported.onnx?.path, `${k}/M-dddd/M.onnx`, 'without a model id to compare, any model\'s export matches');
    const decode = findStageArtifacts(host, { qeffHome: '/q', stage: 'decode', mode: 'swa-retain', env: { NUM_Q_BLOCKS: '1' } });
    assert.equal(decode.onnx?.path, `${k}/M-bbbb/M.onnx`);
    assert.equal(decode.qpc, undefined);
    assert.deepEqual(findStageArtifacts(host, { qeffHome: '/q', stage: 'prefill', mode: 'chunking', env: { NUM_Q_BLOCKS: '1' } }), { onnx: undefined, qpc: undefined });
    // A reported ONNX of another trace env is not this stage's any more.
    const other = findStageArtifacts(host, { qeffHome: '/q', stage: 'prefill', mode: 'blocking', env: { NUM_Q_BLOCKS: '1' }, model: 'openai/gpt-oss-20b',
      reportedOnnx: ['/q/qeff-disagg/no-trace-env/M-cccc/M.onnx'] });
    assert.equal(other.onnx?.path, `${k}/M-aaaa/M.onnx`);
  });

  test('exportMatches follows what upstream hashes per stage and mode', () => {
    assert.equal(exportMatches({ prefill_only: true, chunking: true }, 'prefill', 'chunking'), true);
    assert.equal(exportMatches({ prefill_only: true, chunking: true }, 'prefill', 'blocking'), false);
    assert.equal(exportMatches({ retain_full_kv: true }, 'decode', 'full-kv'), true);
    assert.equal(exportMatches({ retain_full_kv: true }, 'decode', 'swa-retain'), false);
    assert.equal(exportMatches({ prefill_only: true }, 'decode', 'swa-retain'), false);
    assert.equal(exportMatches({ pretrained_model_name_or_path: 'a/b' }, 'decode', 'swa-retain', 'a/c'), false);
    assert.equal(exportMatches({ pretrained_model_name_or_path: 'a/b' }, 'decode', 'swa-retain', 'a/b'), true);
  });

  test('finds what the driver wrote with the test double: the ONNX of each stage, the reported decode QPC', { skip: noPython }, () => {
    const tmp = mkdtempSync(join(tmpdir(), 'qeff-artifacts-'));
    try {
      const home = join(tmp, 'qeff home');
      const text = readFileSync(join(ROOT, 'test/fixtures/workspace/runner/pair.qeff.json'), 'utf8');
      const plan = buildPlan(text, { configPath: join(tmp, 'pair.qeff.json') });
      const run = (stage: 'prefill' | 'decode', step: 'export' | 'compile') => {
        const s = plan.stages.find(x => x.stage === stage)!;
        const req: RunRequest = { protocol: 1, model: plan.model, stage, step, mode: s.mode, fromPretrained: s.fromPretrained, compile: s.compile, env: s.env };
        const file = join(tmp, `${stage}-${step}.json`);
        writeFileSync(file, JSON.stringify(req));
        const r = spawnSync('python3', ['-u', join(ROOT, 'src/runner/qeff_driver.py'), 'run', '--request', file], {
          encoding: 'utf8', env: { PATH: process.env.PATH, HOME: tmp, PYTHONPATH: join(ROOT, 'test/fake/python'), PYTHONDONTWRITEBYTECODE: '1',
            FAKE_QAIC_COMPILE: join(ROOT, 'test/fake/bin/qaic-compile'), QEFF_HOME: home, ...s.env },
        });
        return r.stdout.split('\n').map(parseEventLine).filter(e => !!e);
      };
      const prefillExport = run('prefill', 'export').find(e => e.event === 'exported');
      const decodeCompile = run('decode', 'compile').find(e => e.event === 'compiled');
      assert.ok(prefillExport && decodeCompile, 'the driver exported and compiled');
      const query = (stage: 'prefill' | 'decode') => {
        const s = plan.stages.find(x => x.stage === stage)!;
        return findStageArtifacts(nodeDirHost, { qeffHome: home, stage, mode: s.mode, env: s.env, model: plan.model,
          reportedQpc: stage === 'decode' ? [decodeCompile.qpcPath] : [] });
      };
      assert.equal(JSON.parse(readFileSync(join(prefillExport.onnxPath, '..', 'hashed_export_params.json'), 'utf8')).pretrained_model_name_or_path,
        'openai/gpt-oss-20b', 'the export names its model (the double follows upstream)');
      const p = query('prefill');
      assert.equal(p.onnx?.path, prefillExport.onnxPath);
      assert.equal(p.qpc, undefined);
      const d = query('decode');
      assert.equal(d.onnx?.path, decodeCompile.onnxPath);
      assert.equal(d.qpc?.path, decodeCompile.qpcPath);
      assert.ok((d.qpc?.size ?? 0) > 0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('lens model', () => {
  test('one lens per stage object, at its key, with the mode and the KV memory of all slots', () => {
    const text = readFileSync(join(ROOT, 'test/fixtures/workspace/runner/pair.qeff.json'), 'utf8');
    const lenses = lensModel(text);
    assert.deepEqual(lenses.map(l => [l.stage, l.mode]), [['prefill', 'blocking'], ['decode', 'swa-retain']]);
    assert.equal(text.slice(lenses[0].offset, lenses[0].offset + 9), '"prefill"');
    assert.equal(text.slice(lenses[1].offset, lenses[1].offset + 8), '"decode"');
    // gpt-oss-20b swa-retain, ctx 256, fp16, 4 slots: 2*8*64*2*(12*256 + 12*128) * 4 B = 36 MiB (kvMemory.ts formula).
    assert.equal(lenses[1].kv, '36 MiB');
    assert.equal(lenses[1].slots, 4);
  });

  test('no model yet: modes without memory; not an object: no lens', () => {
    assert.deepEqual(lensModel('{"prefill": {"mode": "chunking"}}').map(l => [l.mode, l.kv]), [['chunking', undefined]]);
    assert.deepEqual(lensModel('[1]'), []);
    assert.deepEqual(lensModel('{"decode": {"mode": "nope"}}').map(l => l.mode), [undefined]);
  });
});
