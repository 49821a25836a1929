// Benchmark sections for the editor product and the runner: packaging (bundle and .vsix sizes),
// activation time measured in the real extension host (code-server, read from the extension's own log
// of activate()), and the throughput and peak memory of the runner's output path on a 100 MB log.
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDriver } from '../src/node/driverProcess';

export interface SizeSection { section: 'sizes'; extensionBundleBytes: number; cliBundleBytes: number; webviewBundleBytes: number | null; vsixBytes: number }
export interface ActivationSection { section: 'activation'; runs: number[]; medianMs: number }
export interface LogSection { section: 'logThroughput'; megabytes: number; lines: number; seconds: number; linesPerSecond: number; mbPerSecond: number; peakRssMb: number; baseRssMb: number }

export function benchSizes(root: string): SizeSection {
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const size = (p: string) => (existsSync(join(root, p)) ? statSync(join(root, p)).size : null);
  return {
    section: 'sizes',
    extensionBundleBytes: size('dist/extension.js')!,
    cliBundleBytes: size('dist/cli.js')!,
    webviewBundleBytes: size('dist/webview/wizard.js'),
    vsixBytes: size('.vscode-test/qeff-disagg.vsix')!,
  };
}

/** Opens a config in a fresh code-server with the .vsix installed, `runs` times; reads "activated in X ms". */
export async function benchActivation(root: string, runs = 3): Promise<ActivationSection> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const L = require(join(root, 'test/e2e/lib.js'));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = L.freshDir(`bench-activation-${i}`);
    const ws = join(run, 'ws');
    execFileSync('cp', ['-r', join(root, 'examples'), ws]);
    L.installVsix(join(root, '.vscode-test/qeff-disagg.vsix'), join(run, 'extensions'), run);
    L.seedSettings(join(run, 'user-data'));
    const cs = await L.startCodeServer({ runDir: run, folder: ws, extensionsDir: join(run, 'extensions'), disableWorkspaceTrust: true });
    let ctx;
    try {
      ({ ctx } = await L.openWorkbench(cs, ws, run));
      await L.waitForActivation(cs, 'qeff-disagg.qeff-disagg');
      const ms = await readActivationLog(join(run, 'user-data', 'logs'));
      times.push(ms);
    } finally {
      if (ctx) await ctx.close();
      await L.stopCodeServer(cs);
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { section: 'activation', runs: times, medianMs: sorted[sorted.length >> 1] };
}

async function readActivationLog(logs: string): Promise<number> {
  for (let end = Date.now() + 20000; Date.now() < end; await new Promise(r => setTimeout(r, 200))) {
    for (const file of walk(logs)) {
      if (!file.endsWith('QEfficient Disaggregated.log')) continue;
      const m = /activated in ([\d.]+) ms/.exec(readFileSync(file, 'utf8'));
      if (m) return Number(m[1]);
    }
  }
  throw new Error(`no "activated in" line under ${logs}`);
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap(e => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** A 100 MB compiler-like log through the runner's output path (execa, line splitting, event parsing). */
export async function benchLogThroughput(megabytes = 100): Promise<LogSection> {
  const dir = mkdtempSync(join(tmpdir(), 'qeff-bench-'));
  const file = join(dir, 'compiler.log');
  await writeLog(file, megabytes);
  const baseRss = process.memoryUsage().rss;
  let peak = baseRss;
  let lines = 0;
  const t0 = performance.now();
  const run = startDriver({ command: 'cat', args: [file], onLine: () => { if ((++lines & 0x3fff) === 0) peak = Math.max(peak, process.memoryUsage().rss); } });
  const r = await run.done;
  const seconds = (performance.now() - t0) / 1000;
  rmSync(dir, { recursive: true, force: true });
  if (r.exitCode !== 0) throw new Error(`cat exited ${r.exitCode}`);
  return {
    section: 'logThroughput', megabytes, lines, seconds: round(seconds),
    linesPerSecond: Math.round(lines / seconds), mbPerSecond: round(megabytes / seconds),
    peakRssMb: round(peak / 1048576), baseRssMb: round(baseRss / 1048576),
  };
}

function writeLog(file: string, megabytes: number): Promise<void> {
  const line = 'INFO  [compiler] Node /model/layers.17/mlp/experts/MatMul_3: mapped to NSP 7, tiles 12x4, DDR 0x7f3a2c000000\n';
  const chunk = line.repeat(Math.ceil(65536 / line.length));
  const target = megabytes * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const out = createWriteStream(file);
    let written = 0;
    const write = () => {
      while (written < target) {
        written += chunk.length;
        if (!out.write(chunk)) { out.once('drain', write); return; }
      }
      out.end("Compiler command: ['/opt/qti-aic/exec/qaic-compile', '-aic-hw']\n", () => resolve());
    };
    out.on('error', reject);
    write();
  });
}

const round = (n: number) => Math.round(n * 100) / 100;
