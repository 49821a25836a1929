// Serving end to end on the node side: the launch command built from a config starts the qaic_disagg test double
// (test/fake/python/qaic_disagg) as a process group, the API answers, a streamed prompt comes back, and cancel
// leaves no process of the group and a free API port. Also the double's own refusals, which follow upstream.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nodeFileHost } from '../../src/core/nodeFileHost';
import { buildServeCommand } from '../../src/core/serving/serveCommand';
import { startDriver } from '../../src/node/driverProcess';
import { isPortFree, streamChat, waitUntilReady } from '../../src/node/servingEndpoint';
import { qpcFiles } from './ruleCases';
import { repoRoot } from './repoRoot';

const FAKE_PATH = join(repoRoot(), 'test', 'fake', 'python');
const groupMembers = (pgid: number) => spawnSync('pgrep', ['-g', String(pgid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean)
  // A zombie is dead already: it waits only for its parent (or init) to reap it.
  .filter(pid => { try { return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; } });
/** The group's live members once they had time to act on the signals (a loaded machine delays their exit). */
async function groupMembersAfterStop(pgid: number): Promise<string[]> {
  for (let i = 0; i < 300 && groupMembers(pgid).length; i++) await new Promise(r => setTimeout(r, 100));
  return groupMembers(pgid);
}
const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;

let tmp = '';
before(() => { tmp = mkdtempSync(join(tmpdir(), 'qeff-serving-test-')); });
after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

/** n distinct free ports: every listener stays open until all are taken, else the OS may hand out one twice. */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>(resolve => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map(s => (s.address() as { port: number }).port);
  await Promise.all(servers.map(s => new Promise(resolve => s.close(resolve))));
  return ports;
}

async function servedConfig(): Promise<{ file: string; api: number }> {
  for (const [rel, o] of [['p', { seq: 128, prefixed: false }], ['d', { seq: 1, prefixed: false }]] as const) {
    for (const [path, text] of Object.entries(qpcFiles(join(tmp, rel), o))) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
  }
  const [api, p1, p2, d1, kv] = await freePorts(5);
  const file = join(tmp, 'deploy.qeff.json');
  writeFileSync(file, JSON.stringify({
    model: 'openai/gpt-oss-20b',
    prefill: { mode: 'chunking', compile: { prefill_seq_len: 128, ctx_len: 4096, use_onnx_subfunctions: true } },
    decode: { mode: 'full-kv', from_pretrained: { continuous_batching: true }, compile: { ctx_len: 4096, full_batch_size: 4, kv_cache_batch_size: 4 } },
    serving: {
      port: api, kvHandoffPort: kv,
      prefill: { deviceGroups: [[0], [1]], ports: [p1, p2], qpc: 'p/qpc' },
      decode: { deviceGroups: [[2]], ports: [d1], qpc: 'd/qpc' },
      extraArgs: ['--tool-call-parser', 'openai'],
    },
  }));
  return { file, api };
}

test('Serve: the double starts from the generated argv, answers, streams a reply, and stops with its whole tree', { skip: !hasPython && 'python3 not available' }, async () => {
  const { file, api } = await servedConfig();
  const r = buildServeCommand(readFileSync(file, 'utf8'), { configPath: file, host: nodeFileHost });
  assert.ok(r.command, 'error' in r ? r.error : '');
  const lines: string[] = [];
  const run = startDriver({
    command: r.command.argv[0], args: r.command.argv.slice(1), cwd: tmp,
    env: { ...r.command.env, PYTHONPATH: FAKE_PATH }, onLine: l => lines.push(l),
  });
  try {
    const ready = await waitUntilReady(`http://127.0.0.1:${api}`, { exited: run.done, timeoutMs: 60_000, intervalMs: 100 });
    assert.deepEqual(ready, { kind: 'ready', models: ['openai/gpt-oss-20b'] }, lines.join('\n'));
    // What the double was started with: the generated argv, and the env the launch sets.
    const seen = JSON.parse(readFileSync(join(tmp, 'qaic_disagg_fake.json'), 'utf8')) as { argv: string[]; passthrough: string[]; env: Record<string, string> };
    assert.deepEqual(seen.argv, r.command.argv.slice(3));
    assert.deepEqual(seen.passthrough, ['--tool-call-parser', 'openai']);
    assert.equal(seen.env.VLLM_QAIC_USE_LEGACY_SLICING_SPEC, '1');
    assert.ok(lines.some(l => /prefill: Skipping compilation, found QPC path .*\/p\/qpc$/.test(l)), lines.join('\n'));
    assert.ok(groupMembers(run.pid!).length >= 5, 'launcher + KV handoff + 3 instances in one process group');
    const reply = await streamChat(`http://127.0.0.1:${api}`, 'openai/gpt-oss-20b', 'Say hello.');
    assert.equal(reply.text, 'Hello from the qaic_disagg test double.');
    assert.equal(reply.tokens, 7);
    assert.ok(reply.ttftMs >= 0 && reply.tokensPerSecond !== undefined);
  } finally {
    await run.cancel(5000);
  }
  assert.deepEqual(await groupMembersAfterStop(run.pid!), []);
  assert.equal(await isPortFree(api), true);
});

test('the double refuses what qaic_disagg refuses, and Serve reports an early exit with its last lines', { skip: !hasPython && 'python3 not available' }, async () => {
  const run = startDriver({
    command: 'python3',
    args: ['-m', 'qaic_disagg', '--model', 'm', '--prefill-port', '9900', '--prefill-device-group', '0,1',
      '--decode-port', '9800', '--decode-device-group', '1', '--decode-max-num-seqs', '1'],
    cwd: tmp, env: { PYTHONPATH: FAKE_PATH },
  });
  const ready = await waitUntilReady('http://127.0.0.1:1', { exited: run.done, timeoutMs: 60_000, intervalMs: 100 });
  assert.deepEqual(ready, { kind: 'exited' });
  const r = await run.done;
  assert.equal(r.exitCode, 1);
  assert.match(r.stderrTail.join('\n'), /device ids \[1\] are in both prefill and decode groups/);
});
