// Issue 9, points 5 and 9: cancel ends a run whatever its children do (a child that escapes the process
// group keeps the output pipes open), kills what it finds of the tree, and nothing outlives the extension
// host; driver events are checked against their schema and an event line over 64 KiB is not lost.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { EVENT_PREFIX, readEventLine } from '../../src/core/runnerProtocol';
import { cancelAllRuns, startDriver } from '../../src/node/driverProcess';
import { LineSplitter } from '../../src/node/lineSplitter';
import { runProcesses, survivorsOf } from '../../src/node/processTree';
import { repoRoot } from './repoRoot';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
// -x: the whole command line is "sleep <marker>", so the shell whose own command line names the marker does not count.
const pids = (marker: string) => spawnSync('pgrep', ['-x', '-f', marker], { encoding: 'utf8' }).stdout.trim();
const killLeft = (marker: string) => spawnSync('pkill', ['-KILL', '-f', marker]);
let n = 0;
const markerOf = () => `7${process.pid % 1000}.${Date.now() % 100000}${n++}`;
async function waitFor(marker: string): Promise<void> {
  for (let i = 0; i < 200 && !pids(`sleep ${marker}`); i++) await sleep(25);
  assert.ok(pids(`sleep ${marker}`), 'the child started');
}
async function gone(marker: string): Promise<string> {
  for (let i = 0; i < 40 && pids(`sleep ${marker}`); i++) await sleep(50);
  return pids(`sleep ${marker}`);
}
// A hang (the old behaviour) fails the test by this timeout; no duration is asserted.
const GUARD = { timeout: 20_000 };

describe('cancel', () => {
  test('a child that called setsid and ignores SIGTERM is found, killed, and does not hold the run', GUARD, async () => {
    const m = markerOf();
    const run = startDriver({ command: 'sh', args: ['-c', `setsid sh -c "trap '' TERM; exec sleep ${m}" & echo started; wait`] });
    await waitFor(m);
    const r = await run.cancel(300);
    assert.equal(r.cancelled, true);
    assert.equal(await gone(m), '', 'the escapee was killed');
    assert.equal(r.survivors, undefined);
  });

  test('an orphaned setsid child (its parent exited) is found through the run marker and killed', GUARD, async () => {
    const m = markerOf();
    const run = startDriver({ command: 'sh', args: ['-c', `(setsid sh -c "trap '' TERM; exec sleep ${m}" &); echo started; exec sleep 600.${m}`] });
    await waitFor(m);
    const r = await run.cancel(300);
    assert.equal(r.cancelled, true);
    assert.equal(await gone(m), '');
    killLeft(m);
  });

  test('a child nothing can find (no marker, no parent, own session) holding the pipes: the run still ends', GUARD, async () => {
    const m = markerOf();
    const run = startDriver({ command: 'sh', args: ['-c', `(env -i setsid sleep ${m} &); echo started; exec sleep 600.${m}`] });
    await waitFor(m);
    try {
      const r = await run.cancel(200);
      assert.equal(r.cancelled, true);
      assert.equal(r.pipesHeld, true, 'says the pipes were still held');
      assert.ok(pids(`sleep ${m}`), 'the hidden child is still there (this test kills it)');
    } finally {
      killLeft(m);
    }
  });

  test('a run that exits normally while a hidden child holds its pipes is done too', GUARD, async () => {
    const m = markerOf();
    try {
      const r = await startDriver({ command: 'sh', args: ['-c', `(env -i setsid sleep ${m} &); echo out; exit 7`] }).done;
      assert.equal(r.exitCode, 7);
      assert.equal(r.pipesHeld, true);
    } finally {
      killLeft(m);
    }
  });

  test('cancelAllRuns (deactivate) ends every run still going, a probe included', GUARD, async () => {
    const m = markerOf();
    const a = startDriver({ command: 'sh', args: ['-c', `sleep ${m}`] });
    const b = startDriver({ command: 'sh', args: ['-c', `trap '' TERM; sleep ${m}; sleep ${m}`] });
    await waitFor(m);
    await cancelAllRuns(200);
    assert.equal((await a.done).cancelled, true);
    assert.equal((await b.done).cancelled, true);
    assert.equal(await gone(m), '');
  });

  test('when the host process exits, the SIGKILL follow-up fires: no child outlives it', GUARD, async () => {
    const m = markerOf();
    const mod = join(repoRoot(), 'out', 'src', 'node', 'driverProcess.js');
    // The host starts a run whose child ignores SIGTERM, asks to cancel, and exits before the grace period ends.
    const host = `const d = require(${JSON.stringify(mod)}); const r = d.startDriver({ command: 'sh', args: ['-c', "trap '' TERM; sleep ${m}"] });
      setTimeout(() => { void r.cancel(60000); setTimeout(() => process.exit(0), 100); }, 500);`;
    spawnSync(process.execPath, ['-e', host], { timeout: 15_000 });
    assert.equal(await gone(m), '', 'killed when the host exited');
    killLeft(m);
  });
});

describe('the process tree', () => {
  test('is walked through /proc: a setsid grandchild is found under its parent', GUARD, async () => {
    const m = markerOf();
    const run = startDriver({ command: 'sh', args: ['-c', `setsid sleep ${m} & wait`] });
    await waitFor(m);
    const found = runProcesses(run.pid!).map(p => p.pid);
    assert.ok(found.includes(run.pid!));
    assert.ok(found.includes(Number(pids(`sleep ${m}`).split('\n')[0])), 'the escapee is in the tree');
    await run.cancel(200);
  });

  test('survivors are named by pid; a process that is gone, or a reused pid, is not', GUARD, async () => {
    const self = runProcesses(process.ppid).find(p => p.pid === process.ppid)!; // the test runner: alive throughout
    assert.deepEqual(await survivorsOf([self, { ...self, start: '1' }, { ...self, pid: 999_999_999 }], 100), [process.ppid]);
  });
});

describe('driver events', () => {
  const line = (ev: unknown) => EVENT_PREFIX + JSON.stringify(ev);

  test('events of the wrong shape are not acted on and are reported', () => {
    for (const [ev, why] of [
      [{ event: 'compiled', qpcPath: 5 }, /"compiled" event \/qpcPath must be string/],
      [{ event: 'manual_compile', argv: 'rm -rf ~', qpcDir: null, exitcode: 1, stderr: '', source: 'message' }, /\/argv must be array/],
      [{ event: 'exported' }, /must have required property 'onnxPath'/],
      [{ event: 'surprise' }, /"surprise" event/],
      [['compiled'], /event/],
    ] as const) {
      const r = readEventLine(line(ev));
      assert.ok(r && !r.ok, JSON.stringify(ev));
      assert.match(r.problem, why);
    }
    assert.match((readEventLine(EVENT_PREFIX + '{') as { problem: string }).problem, /not JSON/);
    assert.deepEqual(readEventLine(line({ event: 'compiled', qpcPath: '/q' })), { ok: true, event: { event: 'compiled', qpcPath: '/q' } });
    assert.equal(readEventLine('plain log'), undefined);
  });

  test('every event kind the driver sends validates, the runner-fidelity additions included', () => {
    for (const ev of [
      { event: 'start', stage: 'prefill', step: 'export', pid: 12, python: '3.11.7', executable: '/usr/bin/python3' },
      { event: 'phase', phase: 'npi', message: 'All 3 tensor names are in the graph.' },
      { event: 'exported', onnxPath: '/h/x.onnx', reused: true },
      { event: 'compiled', qpcPath: '/h/qpc', onnxPath: '/h/x.onnx' },
      { event: 'manual_compile', argv: ['/opt/qti-aic/exec/qaic-compile'], qpcDir: null, exitcode: null, stderr: '', source: 'message' },
      { event: 'error', kind: 'compile_failed', message: 'm', traceback: 't', argv: ['/c', '-m=x'], qpcDir: '/q' },
      { event: 'error', kind: 'npi_mismatch', message: 'm' },
      { event: 'probe', python: '3.11', executable: '/p', platform: 'linux', qefficient: { importable: false, version: null, features: {} },
        compiler: { path: null, name: null }, sdk: {}, devices: { available: false, count: null, error: 'x' }, missing: ['a'] },
    ]) assert.equal(readEventLine(line(ev))?.ok, true, JSON.stringify(ev));
  });

  test('a malformed event reaches neither onEvent nor the events, and the output says it was ignored', GUARD, async () => {
    const lines: string[] = [];
    const seen: unknown[] = [];
    const r = await startDriver({ command: process.execPath, onLine: l => lines.push(l), onEvent: e => seen.push(e),
      args: ['-e', `console.log(${JSON.stringify(line({ event: 'compiled', qpcPath: ['x'] }))})`] }).done;
    assert.deepEqual(r.events, []);
    assert.deepEqual(seen, []);
    assert.equal(r.badEvents?.length, 1);
    assert.match(lines.join('\n'), /ignored a malformed driver event/);
  });

  test('an event line of 1 MiB (a long compiler stderr) arrives whole', GUARD, async () => {
    const ev = { event: 'manual_compile', argv: ['/opt/qti-aic/exec/qaic-compile', '-m=x.onnx'], qpcDir: '/q', exitcode: 1, stderr: 'STDERR', source: 'CalledProcessError' };
    // Built in the child: an argument is limited to 128 KiB.
    const script = `const ev = ${JSON.stringify(ev)}; ev.stderr = 'e'.repeat(1024 * 1024); process.stdout.write(${JSON.stringify(EVENT_PREFIX)} + JSON.stringify(ev) + '\\n');`;
    const r = await startDriver({ command: process.execPath, args: ['-e', script] }).done;
    assert.deepEqual(r.badEvents, undefined);
    assert.equal(r.events.length, 1);
    assert.equal((r.events[0] as { stderr: string }).stderr.length, 1024 * 1024);
  });

  test('LineSplitter keeps a prefixed line whole, still cuts other long lines, across chunks', () => {
    const out: string[] = [];
    const s = new LineSplitter(l => out.push(l), 8, { prefix: '@@', max: 100 });
    s.push('@');
    s.push('@0123456789');
    s.push('abcdef\nxxxxxxxxxxyy\n@');
    s.push('x123456789\n');
    assert.deepEqual(out, ['@@0123456789abcdef', 'xxxxxxxx', 'xxyy', '@x123456', '789']);
  });
});
