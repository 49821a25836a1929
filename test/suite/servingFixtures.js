// Serving fixtures shared by the extension-host suite (serving.test.js) and the UI scenario (view.scenario.js):
// distinct free ports and QPC folders laid out as QEfficient writes them. Not a suite itself (no .test.js).
'use strict';
const fs = require('fs');
const net = require('net');
const path = require('path');

/** n distinct free ports: every listener stays open until all are taken, else the OS may hand out one twice. */
async function freePorts(n) {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise(resolve => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map(s => s.address().port);
  await Promise.all(servers.map(s => new Promise(resolve => s.close(resolve))));
  return ports;
}

/** A QPC folder as QEfficient writes it: qpc/programqpc.bin, and beside qpc/ its specializations and custom IO. */
function writeQpc(dir, seqLen) {
  fs.mkdirSync(path.join(dir, 'qpc'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'qpc', 'programqpc.bin'), '\0');
  fs.writeFileSync(path.join(dir, 'specializations.json'), JSON.stringify({ specializations: [{ name: 'Prefill', symbols: { batch_size: '1', seq_len: String(seqLen), ctx_len: '4096' } }] }));
  fs.writeFileSync(path.join(dir, 'custom_io.yaml'), ' - IOName: past_key.0_vllmKvCache_RetainedState\n   Precision: float16\n\n');
}

/** A config served from those two folders (qpc-p, qpc-d beside it) on the given ports. */
function servedConfig({ api, prefill, decode, kvHandoff }) {
  return {
    model: 'openai/gpt-oss-20b',
    prefill: { mode: 'chunking', compile: { prefill_seq_len: 128, ctx_len: 4096, use_onnx_subfunctions: true } },
    decode: { mode: 'full-kv', from_pretrained: { continuous_batching: true }, compile: { ctx_len: 4096, full_batch_size: 4, kv_cache_batch_size: 4 } },
    serving: { port: api, kvHandoffPort: kvHandoff, prefill: { deviceGroups: [[0]], ports: [prefill], qpc: 'qpc-p/qpc' }, decode: { deviceGroups: [[1]], ports: [decode], qpc: 'qpc-d/qpc' } },
  };
}

module.exports = { freePorts, writeQpc, servedConfig };
