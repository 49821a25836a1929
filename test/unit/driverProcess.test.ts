// The node side of the runner: execa with argument arrays, line streaming with bounded memory, events,
// and cancel that kills the whole process tree (a grandchild included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_PREFIX } from '../../src/core/runnerProtocol';
import { startDriver } from '../../src/node/driverProcess';
import { LineSplitter } from '../../src/node/lineSplitter';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
// -x: the whole command line is "sleep <marker>", so the shell whose own command line names the marker does not count.
const alive = (marker: string) => spawnSync('pgrep', ['-x', '-f', marker], { encoding: 'utf8' }).stdout.trim();

test('LineSplitter: \\n, \\r\\n, lone \\r, chunk boundaries and over-long lines', () => {
  const lines: string[] = [];
  const s = new LineSplitter(l => lines.push(l), 8);
  s.push('a\r');
  s.push('\nb\rc\n12345678901');
  s.push('2\nlast');
  s.end();
  assert.deepEqual(lines, ['a', 'b', 'c', '12345678', '9012', 'last']);
});

test('events are parsed, other lines are log lines, stderr is kept as a tail', async () => {
  const lines: [string, string][] = [];
  const run = startDriver({
    command: process.execPath,
    args: ['-e', `console.log('hello'); console.log(${JSON.stringify(EVENT_PREFIX)} + JSON.stringify({event:'compiled', qpcPath:'/q/qpc'})); console.error('oops'); process.exit(0)`],
    onLine: (l, s) => lines.push([s, l]),
  });
  const r = await run.done;
  assert.equal(r.exitCode, 0);
  assert.deepEqual(r.events, [{ event: 'compiled', qpcPath: '/q/qpc' }]);
  assert.deepEqual(lines.sort(), [['stderr', 'oops'], ['stdout', 'hello']]);
  assert.deepEqual(r.stderrTail, ['oops']);
});

test('arguments with spaces, quotes, $() and backticks reach the process unchanged', async () => {
  const hostile = ['a b', "it's", '"q"', '$(touch /tmp/pwned-qeff)', '`id`', 'x;y', '*', '~', 'ünï', ''];
  const dir = mkdtempSync(join(tmpdir(), "qeff dir 'q' $(x) "));
  const out: string[] = [];
  const run = startDriver({ command: process.execPath, cwd: dir, onLine: l => out.push(l),
    args: ['-e', 'console.log(JSON.stringify([process.cwd(), ...process.argv.slice(1)]))', ...hostile] });
  const r = await run.done;
  assert.equal(r.exitCode, 0);
  assert.deepEqual(JSON.parse(out[0]), [dir, ...hostile]);
});

test('a missing interpreter is a spawn error, not an exception', async () => {
  const r = await startDriver({ command: '/nonexistent/python3', args: ['-V'] }).done;
  assert.ok(r.spawnError, 'spawnError set');
  assert.match(r.spawnError!, /ENOENT|not found|no such file/i);
  assert.equal(r.exitCode, null);
});

test('cancel kills the whole tree: the child and a hanging grandchild', async () => {
  const marker = `600.${process.pid}${Date.now() % 1000}`;
  const run = startDriver({ command: 'sh', args: ['-c', `sleep ${marker} & echo started; wait`] });
  let started = false;
  for (let i = 0; i < 100 && !started; i++) { await sleep(50); started = alive(`sleep ${marker}`) !== ''; }
  assert.ok(started, 'the grandchild started');
  const r = await run.cancel(1000);
  assert.equal(r.cancelled, true);
  for (let i = 0; i < 40 && alive(`sleep ${marker}`); i++) await sleep(50);
  assert.equal(alive(`sleep ${marker}`), '', 'no process remains');
});

test('cancel reaches a grandchild that ignores SIGTERM (SIGKILL after the grace period)', async () => {
  const marker = `601.${process.pid}${Date.now() % 1000}`;
  const script = join(mkdtempSync(join(tmpdir(), 'qeff-')), 'stubborn.sh');
  writeFileSync(script, `trap '' TERM\nsleep ${marker} &\nwait\n`);
  const run = startDriver({ command: 'sh', args: [script] });
  let started = false;
  for (let i = 0; i < 100 && !started; i++) { await sleep(50); started = alive(`sleep ${marker}`) !== ''; }
  // Without the grandchild there is nothing to prove: its absence afterwards would pass for any cancel.
  assert.ok(started, 'the SIGTERM-ignoring grandchild started');
  assert.equal((await run.cancel(300)).cancelled, true);
  for (let i = 0; i < 40 && alive(`sleep ${marker}`); i++) await sleep(50);
  assert.equal(alive(`sleep ${marker}`), '', 'no process remains');
});

test('100 MB of output is streamed with bounded memory', async () => {
  const lineText = 'x'.repeat(99);
  const total = 100 * 1024 * 1024;
  const batches = Math.ceil(total / 100 / 10000);
  const count = batches * 10000;
  const gen = `const b=Buffer.from(${JSON.stringify(lineText + '\n')}.repeat(10000)); let n=${batches}; (function w(){ while(n>0){ n--; if(!process.stdout.write(b)) return process.stdout.once('drain', w); } })();`;
  let lines = 0;
  let bytes = 0;
  let peakHeap = 0;
  const base = process.memoryUsage().heapUsed;
  const run = startDriver({ command: process.execPath, args: ['-e', gen], onLine: l => {
    lines++; bytes += l.length + 1;
    if ((lines & 0xffff) === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - base);
  } });
  const r = await run.done;
  assert.equal(r.exitCode, 0);
  assert.equal(lines, count);
  assert.equal(bytes, count * 100);
  assert.ok(peakHeap < 96 * 1024 * 1024, `heap grew by ${Math.round(peakHeap / 1048576)} MB while streaming 100 MB`);
});

test('a 20 MB line without a newline is cut into bounded pieces', async () => {
  let pieces = 0;
  let longest = 0;
  const run = startDriver({ command: process.execPath, args: ['-e', "process.stdout.write('y'.repeat(20*1024*1024))"], onLine: l => { pieces++; longest = Math.max(longest, l.length); } });
  await run.done;
  assert.ok(pieces >= 20 * 16, `pieces ${pieces}`);
  assert.ok(longest <= 64 * 1024);
});
