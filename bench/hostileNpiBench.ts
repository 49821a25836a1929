// Section "hostile NPI files": how long one check of a config blocks the extension host when its
// node_precision_info names a hostile file (issue 9, point 3). Each run uses a new path, so the NPI
// parse cache never helps: the figure is the cold cost, the worst a keystroke can pay.
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkText } from '../src/core/check';
import { nodeFileHost } from '../src/core/nodeFileHost';

export interface HostileNpiRow { name: string; bytes: number | null; medianMs: number; maxMs: number; runs: number; result: string }
export interface HostileNpiSection { section: 'hostileNpi'; description: string; rows: HostileNpiRow[] }

const names = (n: number) => Array.from({ length: n }, (_, i) => `/model/layers.${i}/Add_output_0`);

export function benchHostileNpi(runs = 7): HostileNpiSection {
  const dir = mkdtempSync(join(tmpdir(), 'qeff-bench-npi-'));
  const files: { name: string; make?: (p: string) => void; path?: string }[] = [
    { name: 'upstream-sized block list (7 KB)', make: p => writeFileSync(p, 'FP32NodeInstanceNames:\n' + names(200).map(n => `  - ${n}\n`).join('')) },
    { name: 'block list just under 1 MB', make: p => writeFileSync(p, 'FP32NodeInstanceNames:\n' + names(28_000).map(n => `  - ${n}\n`).join('')) },
    { name: 'flow-style YAML, 10 MB', make: p => writeFileSync(p, `{FP32NodeInstanceNames: [${names(280_000).map(n => `"${n}"`).join(', ')}]}`) },
    { name: 'flow-style YAML, 0.9 MB', make: p => writeFileSync(p, `{FP32NodeInstanceNames: [${names(25_000).map(n => `"${n}"`).join(', ')}]}`) },
    { name: 'nested brackets, 1 MB', make: p => writeFileSync(p, '['.repeat(1_000_000)) },
    { name: 'link to /proc/self/pagemap', make: p => symlinkSync('/proc/self/pagemap', p) },
    { name: 'FIFO', make: p => spawnSync('mkfifo', [p]) },
    { name: '/dev/zero', path: '/dev/zero' },
  ];
  const rows: HostileNpiRow[] = [];
  for (const f of files) {
    const times: number[] = [];
    let result = '';
    let bytes: number | null = null;
    const source = f.path ?? join(dir, `source-${rows.length}.yaml`);
    if (f.make) f.make(source);
    for (let i = 0; i < runs + 1; i++) {
      // A fresh path per run for regular files (no cache hit); links, FIFOs and devices are used as they are.
      let path = source;
      if (f.name.includes('YAML') || f.name.includes('list') || f.name.includes('brackets')) {
        path = join(dir, `copy-${rows.length}-${i}.yaml`);
        copyFileSync(source, path);
        bytes = nodeFileHost.readFile(path)?.length ?? null;
      }
      const text = `{ "model": "openai/gpt-oss-120b", "decode": { "mode": "full-kv", "compile": { "node_precision_info": ${JSON.stringify(path)} } } }`;
      const t0 = performance.now();
      const diags = checkText(text, { configPath: join(dir, 'bench.qeff.json'), host: nodeFileHost });
      const t = performance.now() - t0;
      if (i > 0) times.push(t); // the first run warms the JIT
      result = diags.find(d => d.code === 'QEFF-NPI-02')?.message.replace(/^The node-precision-info file "[^"]*" /, '').slice(0, 60) ?? 'ok';
    }
    const sorted = [...times].sort((a, b) => a - b);
    rows.push({ name: f.name, bytes, medianMs: Number(sorted[sorted.length >> 1].toFixed(2)), maxMs: Number(sorted[sorted.length - 1].toFixed(2)), runs, result });
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    section: 'hostileNpi',
    description: 'ms one checkText blocks the extension host when node_precision_info names a hostile file (cold: a new path per run)',
    rows,
  };
}
