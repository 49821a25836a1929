// Serve to a ready endpoint with the qaic_disagg test double: our part only (check + QPC pair read + command,
// process start, readiness poll, stop), not the engine's (a real launcher spends minutes activating devices).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { nodeFileHost } from '../src/core/nodeFileHost';
import { buildServeCommand } from '../src/core/serving/serveCommand';
import { startDriver } from '../src/node/driverProcess';
import { waitUntilReady } from '../src/node/servingEndpoint';

export interface ServingSection { section: 'serving'; checkMs: number[]; readyMs: number[]; stopMs: number[]; skipped?: string }

function freePort(): Promise<number> {
  return new Promise(resolve => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); });
  });
}

function writeQpc(dir: string, seq: number): void {
  mkdirSync(join(dir, 'qpc'), { recursive: true });
  writeFileSync(join(dir, 'qpc', 'programqpc.bin'), '\0');
  writeFileSync(join(dir, 'specializations.json'), JSON.stringify({ specializations: [{ seq_len: String(seq), ctx_len: '4096' }] }));
  writeFileSync(join(dir, 'custom_io.yaml'), ' - IOName: past_key.0_vllmKvCache_RetainedState\n   Precision: float16\n\n');
}

export async function benchServing(root: string, runs = 3): Promise<ServingSection> {
  const out: ServingSection = { section: 'serving', checkMs: [], readyMs: [], stopMs: [] };
  const tmp = mkdtempSync(join(tmpdir(), 'qeff-serving-bench-'));
  try {
    writeQpc(join(tmp, 'p'), 128);
    writeQpc(join(tmp, 'd'), 1);
    for (let i = 0; i < runs; i++) {
      const file = join(tmp, 'deploy.qeff.json');
      const text = JSON.stringify({
        model: 'openai/gpt-oss-20b',
        prefill: { mode: 'chunking', compile: { prefill_seq_len: 128, ctx_len: 4096, use_onnx_subfunctions: true } },
        decode: { mode: 'full-kv', from_pretrained: { continuous_batching: true }, compile: { ctx_len: 4096, full_batch_size: 4, kv_cache_batch_size: 4 } },
        serving: {
          port: await freePort(), kvHandoffPort: await freePort(),
          prefill: { deviceGroups: [[0]], ports: [await freePort()], qpc: 'p/qpc' },
          decode: { deviceGroups: [[1]], ports: [await freePort()], qpc: 'd/qpc' },
        },
      });
      const t0 = performance.now();
      const r = buildServeCommand(text, { configPath: file, host: nodeFileHost });
      if (!r.command) return { ...out, skipped: 'error' in r ? r.error : 'no command' };
      const t1 = performance.now();
      const run = startDriver({ command: r.command.argv[0], args: r.command.argv.slice(1), cwd: tmp, env: { PYTHONPATH: join(root, 'test', 'fake', 'python') } });
      const ready = await waitUntilReady(`http://127.0.0.1:${r.command.apiPort}`, { exited: run.done, timeoutMs: 60_000, intervalMs: 20 });
      const t2 = performance.now();
      await run.cancel(5000);
      const t3 = performance.now();
      if (ready.kind !== 'ready') return { ...out, skipped: `the double did not become ready (${ready.kind}): python3 with the standard library is needed` };
      out.checkMs.push(Number((t1 - t0).toFixed(2)));
      out.readyMs.push(Number((t2 - t1).toFixed(1)));
      out.stopMs.push(Number((t3 - t2).toFixed(1)));
    }
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
