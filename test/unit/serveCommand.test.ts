// The qaic_disagg launch command (src/core/serving/serveCommand.ts) and `qeff-disagg serve-command`, against QPC
// folders laid out as QEfficient writes them (both specialization formats, with and without qconfig.json).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nodeFileHost } from '../../src/core/nodeFileHost';
import { buildServeCommand, serveScript, type ServeOptions } from '../../src/core/serving/serveCommand';
import { qpcFiles, type QpcFixture } from './ruleCases';
import { repoRoot } from './repoRoot';

let tmp = '';
before(() => { tmp = mkdtempSync(join(tmpdir(), 'qeff-serve-test-')); });
after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

function writeQpc(rel: string, o: QpcFixture): string {
  for (const [path, text] of Object.entries(qpcFiles(join(tmp, rel), o))) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return join(tmp, rel, 'qpc');
}

const P = '{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true, "mxint8_kv_cache": true } }';
const D = '{ "mode": "full-kv", "from_pretrained": { "continuous_batching": true }, "compile": { "ctx_len": 4096, "full_batch_size": 4, "kv_cache_batch_size": 4, "mxint8_kv_cache": true } }';

function config(serving: string): string {
  return `{ "model": "openai/gpt-oss-20b", "prefill": ${P}, "decode": ${D}, "serving": ${serving} }`;
}
const SERVING = (extra = '') => `{ "port": 8123, "kvHandoffPort": 5757, "kvStoreSizeMB": 768,
  "prefill": { "deviceGroups": [[0], [1]], "ports": [9900, 9901], "qpc": "p/qpc" },
  "decode": { "deviceGroups": [[2]], "ports": [9800], "qpc": "d/qpc" }${extra} }`;

function build(text: string, more: Partial<ServeOptions> = {}) {
  return buildServeCommand(text, { configPath: join(tmp, 'deploy.qeff.json'), host: nodeFileHost, ...more });
}

test('the argv: every flag from the config, QPCs as qpc_path, one device-group value per instance', () => {
  const p = writeQpc('p', { seq: 128, named: true, mxint8: true });
  const d = writeQpc('d', { seq: 1, mxint8: true });
  const r = build(config(SERVING(', "extraArgs": ["--tool-call-parser", "openai"]')));
  assert.ok(r.command, 'error' in r ? r.error : '');
  assert.deepEqual(r.command.argv, [
    'python3', '-m', 'qaic_disagg', '--model', 'openai/gpt-oss-20b', '--port', '8123',
    '--prefill-port', '9900,9901', '--prefill-device-group', '0', '1', '--prefill-max-num-seqs', '1',
    '--decode-port', '9800', '--decode-device-group', '2', '--decode-max-num-seqs', '4',
    '--max-model-len', '4096', '--prefill-max-seq-len-to-capture', '128', '--kv-cache-dtype', 'mxint8',
    '--kv-handOff-port', '5757', '--kv-store-size', '768',
    '--prefill-override-qaic-config', `qpc_path:${p} prefill_seq_len:128`,
    '--decode-override-qaic-config', `qpc_path:${d}`,
    '--tool-call-parser', 'openai',
  ]);
  assert.deepEqual(r.command.env, {});
  assert.deepEqual(r.command.qpc, { prefill: p, decode: d });
  assert.equal(r.command.apiPort, 8123);
  assert.deepEqual(r.command.ports, [8123, 9900, 9901, 9800, 5757]);
  assert.match(r.command.shell, /^python3 -m qaic_disagg --model openai\/gpt-oss-20b /);
  assert.ok(r.command.shell.includes(`--prefill-override-qaic-config 'qpc_path:${p} prefill_seq_len:128'`), r.command.shell);
});

test('the shell line quotes every value (a value with a quote and a dollar sign stays one word)', () => {
  writeQpc('p', { seq: 128, named: true, mxint8: true });
  writeQpc('d', { seq: 1, mxint8: true });
  const r = build(config(SERVING(', "extraArgs": ["--served-model-name", "it\'s $HOME"]')));
  assert.ok(r.command);
  assert.ok(r.command.shell.endsWith(`--served-model-name 'it'"'"'s $HOME'`), r.command.shell);
  const echoed = spawnSync('sh', ['-c', `set -- ${r.command.shell}; for a; do printf '%s\\n' "$a"; done`], { encoding: 'utf8' });
  assert.deepEqual(echoed.stdout.trimEnd().split('\n'), r.command.argv);
});

test('without the vllmKvCache prefix in either QPC, the launch sets VLLM_QAIC_USE_LEGACY_SLICING_SPEC=1 and says why', () => {
  writeQpc('p', { seq: 128, prefixed: false, mxint8: true });
  writeQpc('d', { seq: 1, prefixed: false, mxint8: true });
  const r = build(config(SERVING()));
  assert.ok(r.command);
  assert.deepEqual(r.command.env, { VLLM_QAIC_USE_LEGACY_SLICING_SPEC: '1' });
  assert.match(r.command.shell, /^VLLM_QAIC_USE_LEGACY_SLICING_SPEC=1 python3 -m qaic_disagg /);
  assert.ok(r.diagnostics.some(d => d.code === 'QEFF-SRV-14' && d.severity === 'warning'));
  assert.match(serveScript(r.command, 'deploy.qeff.json'), /^#!\/bin\/sh\n[^]*\nexec VLLM_QAIC_USE_LEGACY_SLICING_SPEC=1 python3 -m qaic_disagg /);
});

test('docker: privileged, host network, QPCs mounted read-only at the same paths, HF_TOKEN by name only', () => {
  const p = writeQpc('p', { seq: 128, prefixed: false, mxint8: true });
  const d = writeQpc('d', { seq: 1, prefixed: false, mxint8: true });
  process.env.HF_TOKEN = 'hf_secret_value';
  try {
    const r = build(config(SERVING()), { runtime: 'docker' });
    assert.ok(r.command);
    const a = r.command.argv;
    assert.deepEqual(a.slice(0, 9), ['docker', 'run', '--rm', '--privileged', '--shm-size=4gb', '--network', 'host', '-e', 'HF_TOKEN']);
    assert.deepEqual(a.slice(9, 15), ['-e', 'VLLM_QAIC_USE_LEGACY_SLICING_SPEC=1', '-v', `${p}:${p}:ro`, '-v', `${d}:${d}:ro`]);
    assert.equal(a[15], 'ghcr.io/quic/cloud_ai_inference_vllm_disagg:1.21.2.0');
    assert.deepEqual(a.slice(16, 18), ['--model', 'openai/gpt-oss-20b']);
    assert.ok(!r.command.shell.includes('hf_secret_value'));
  } finally {
    delete process.env.HF_TOKEN;
  }
});

test('a QPC pair that does not fit gives no command and names the fault', () => {
  writeQpc('p', { seq: 128, named: true, mxint8: true });
  writeQpc('d', { seq: 128, mxint8: true }); // a prefill QPC where the decode one belongs
  const r = build(config(SERVING()));
  assert.equal(r.command, undefined);
  assert.ok('error' in r && /QEFF-SRV-12/.test(r.error), JSON.stringify(r));
});

test('a QPC compiled by hand (no qconfig.json) is checked from specializations.json only', () => {
  writeQpc('p', { seq: 128, qconfig: false, mxint8: true });
  writeQpc('d', { seq: 1, mxint8: true });
  assert.ok(build(config(SERVING())).command);
  writeQpc('p', { seq: 64, qconfig: false, mxint8: true });
  assert.equal(build(config(SERVING())).command, undefined);
});

test('the default QPC folders (the last compiles) serve when "qpc" is not written', () => {
  const p = writeQpc('p', { seq: 128, mxint8: true });
  const d = writeQpc('d', { seq: 1, mxint8: true });
  const text = config('{ "prefill": { "deviceGroups": [[0]] }, "decode": { "deviceGroups": [[1]] } }');
  const none = build(text);
  assert.ok('error' in none && /serving\.prefill\.qpc/.test(none.error));
  const r = build(text, { servingQpc: { prefill: p, decode: d } });
  assert.deepEqual(r.command?.qpc, { prefill: p, decode: d });
  assert.ok(r.command?.argv.includes('9900') && r.command.argv.includes('9800'), 'default stage ports');
});

const CLI = join(repoRoot(), 'dist', 'cli.js');
function cli(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
}

test('qeff-disagg serve-command: text, json, --runtime docker, and exit 1 on a bad pair', () => {
  const p = writeQpc('p', { seq: 128, named: true, mxint8: true });
  const d = writeQpc('d', { seq: 1, mxint8: true });
  const file = join(tmp, 'deploy.qeff.json');
  writeFileSync(file, config(SERVING()));
  const text = cli(['serve-command', file]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^python3 -m qaic_disagg --model openai\/gpt-oss-20b --port 8123 /);
  const json = cli(['serve-command', '--format', 'json', file]);
  assert.equal(json.status, 0, json.stderr);
  const out = JSON.parse(json.stdout) as { argv: string[]; shell: string; env: object; qpc: object };
  assert.deepEqual(Object.keys(out), ['argv', 'shell', 'env', 'qpc']);
  assert.deepEqual(out.qpc, { prefill: p, decode: d });
  const docker = cli(['serve-command', '--format', 'json', '--runtime', 'docker', file]);
  assert.equal((JSON.parse(docker.stdout) as { argv: string[] }).argv[0], 'docker');
  writeQpc('d', { seq: 1, mxint8: false });
  const bad = cli(['serve-command', file]);
  assert.equal(bad.status, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /error QEFF-SRV-13 .*mxint8_kv_cache/);
  assert.equal(cli(['serve-command', '--runtime', 'k8s', file]).status, 2);
});

test('hover and completion know the serving keys (from the schema)', async () => {
  const { hoverAt, completionsAt } = await import('../../src/core/index');
  const text = '{ "model": "openai/gpt-oss-20b", "serving": { "decode": { "qpc": "d/qpc", "" } } }';
  const h = hoverAt(text, text.indexOf('"qpc"') + 2);
  assert.match(h?.markdown ?? '', /programqpc\.bin/);
  const labels = completionsAt(text, text.indexOf('"" }') + 1).map(c => c.label);
  for (const k of ['deviceGroups', 'ports', 'maxNumSeqs']) assert.ok(labels.includes(k), `${k} in ${labels.join(', ')}`);
  const top = '{ "model": "openai/gpt-oss-20b", "serving": { "" } }';
  const topLabels = completionsAt(top, top.indexOf('"" }') + 1).map(c => c.label);
  for (const k of ['port', 'prefill', 'decode', 'runtime', 'extraArgs']) assert.ok(topLabels.includes(k), `${k} in ${topLabels.join(', ')}`);
});
