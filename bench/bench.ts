// `npm run bench`: the benchmark figures (not a test). main() runs each section and collects its results
// into one report: a table per section on stdout, a final JSON line, and bench/results/latest.json.
// Sections so far: validation (our full check vs vscode-json-languageservice's schema-only validation).
// Sections: validation (here), hostile NPI files (hostileNpiBench.ts), sizes, activation and log throughput (editorBench.ts), the wizard (wizardBench.js).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseTree } from 'jsonc-parser';
import { getLanguageService, TextDocument, type JSONSchema } from 'vscode-json-languageservice';
import { checkText } from '../src/core/check';
import { nodeFileHost } from '../src/core/nodeFileHost';
import { benchHostileNpi, type HostileNpiSection } from './hostileNpiBench';
import { benchServing, type ServingSection } from './servingBench';
import { benchActivation, benchLogThroughput, benchSizes, type ActivationSection, type LogSection, type SizeSection } from './editorBench';
import { benchPython, printPython, type PythonSection } from './pythonBench';

// ---------------------------------------------------------------------------------------------------
// Measuring helpers (exported for later sections).

/** The repository root: the nearest folder above this file that holds package.json. */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

export interface Timing {
  /** Median of the timed runs, in milliseconds. */
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface MeasureOptions {
  /** Untimed runs first (JIT, caches). */
  warmup?: number;
  /** Fixed number of timed runs; else chosen so the timed runs take about `budgetMs`. */
  runs?: number;
  budgetMs?: number;
  minRuns?: number;
  maxRuns?: number;
}

/** How many runs fit the budget, given the fastest warm-up run's time. */
function runsFor(oneMs: number, o: MeasureOptions): number {
  if (o.runs !== undefined) return o.runs;
  const n = Math.floor((o.budgetMs ?? 2000) / Math.max(oneMs, 0.001));
  return Math.max(o.minRuns ?? 5, Math.min(o.maxRuns ?? 500, n));
}

function summarize(times: number[]): Timing {
  return { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), runs: times.length };
}

/** Median time of a synchronous function, after a warm-up. */
export function measure(fn: () => unknown, o: MeasureOptions = {}): Timing {
  let fastest = Infinity;
  for (let i = 0; i < (o.warmup ?? 3); i++) {
    const t0 = performance.now();
    fn();
    fastest = Math.min(fastest, performance.now() - t0);
  }
  const times: number[] = [];
  for (let i = runsFor(fastest, o); i > 0; i--) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return summarize(times);
}

/** Median time of an asynchronous function (each run awaited), after a warm-up. */
export async function measureAsync(fn: () => Promise<unknown>, o: MeasureOptions = {}): Promise<Timing> {
  let fastest = Infinity;
  for (let i = 0; i < (o.warmup ?? 3); i++) {
    const t0 = performance.now();
    await fn();
    fastest = Math.min(fastest, performance.now() - t0);
  }
  const times: number[] = [];
  for (let i = runsFor(fastest, o); i > 0; i--) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return summarize(times);
}

/** A fixed-width text table. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map(w => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const ms = (t: number): string => (t >= 100 ? t.toFixed(0) : t >= 1 ? t.toFixed(2) : t.toFixed(3));

// ---------------------------------------------------------------------------------------------------
// Section: validation.

/**
 * A config of about `targetBytes` in the real shape: a chunking prefill and a full-kv decode whose compile
 * objects carry thousands of extra compiler-option keys (each with a comment), plus thousands of env vars.
 */
export function generateLargeConfig(targetBytes = 1024 * 1024): string {
  const stage = (key: string, mode: string, base: string[], n: number): string => {
    const compile: string[] = [...base];
    for (let i = 0; i < n; i++) {
      const id = String(i).padStart(5, '0');
      const value = i % 3 === 0 ? 'true' : i % 3 === 1 ? String(i) : `"value-${id}"`;
      compile.push(`      // compiler option ${id}: passed through as -x-opt-${id}\n      "x_opt_${id}": ${value}`);
    }
    const env: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = String(i).padStart(5, '0');
      env.push(`      "QEFF_BENCH_VAR_${id}": ${i % 2 ? `"${i}"` : i} /* variable ${id} */`);
    }
    return `  "${key}": {\n    "mode": "${mode}",\n    "from_pretrained": { "continuous_batching": true },\n`
      + `    "compile": {\n${compile.join(',\n')}\n    },\n    "env": {\n${env.join(',\n')}\n    }\n  }`;
  };
  const build = (n: number): string => [
    '// Generated by bench/bench.ts: a ~1 MB config in the real shape, for timing.',
    '{',
    '  "model": "openai/gpt-oss-20b",',
    '  "qefficientVersion": "1.22",',
    stage('prefill', 'chunking', ['      "prefill_seq_len": 512', '      "ctx_len": 4096', '      "num_cores": 8',
      '      "use_onnx_subfunctions": true', '      "kv_cache_batch_size": 8'], n) + ',',
    stage('decode', 'full-kv', ['      "ctx_len": 4096', '      "full_batch_size": 8', '      "num_cores": 8'], n),
    '}',
    '',
  ].join('\n');
  // Size grows linearly with n: one probe, then scale.
  const probe = build(1000).length;
  return build(Math.max(1, Math.round((1000 * targetBytes) / probe)));
}

export interface ValidationRow {
  name: string;
  bytes: number;
  ours: Timing;
  theirs: Timing;
  /** ours.medianMs / theirs.medianMs. */
  ratio: number;
  /** jsonc-parser's parseTree alone, the first step of ours: the floor under our figure. */
  parse: Timing;
  oursDiagnostics: number;
  theirsDiagnostics: number;
}

export interface ValidationSection {
  section: 'validation';
  description: string;
  rows: ValidationRow[];
}

/** Our full checkText (parse, schema, all rules) against vscode-json-languageservice's schema-only validation. */
export async function benchValidation(options: { budgetMs?: number } = {}): Promise<ValidationSection> {
  const root = repoRoot();
  const schema = JSON.parse(readFileSync(join(root, 'schemas', 'qeff-disagg.schema.json'), 'utf8')) as JSONSchema;
  const service = getLanguageService({});
  const settings = { comments: 'ignore', trailingCommas: 'ignore', schemaValidation: 'error' } as const;
  const theirs = async (text: string) => {
    const doc = TextDocument.create('file:///bench.qeff.json', 'jsonc', 1, text);
    const json = service.parseJSONDocument(doc);
    return service.doValidation(doc, json, settings, schema);
  };

  const examplesDir = join(root, 'examples');
  const inputs: { name: string; text: string; configPath: string }[] = readdirSync(examplesDir)
    .filter(f => f.endsWith('.qeff.json')).sort()
    .map(f => ({ name: f, text: readFileSync(join(examplesDir, f), 'utf8'), configPath: join(examplesDir, f) }));
  const large = generateLargeConfig();
  inputs.push({ name: `generated ${(large.length / 1024 / 1024).toFixed(2)} MB`, text: large, configPath: join(examplesDir, 'generated.qeff.json') });

  const rows: ValidationRow[] = [];
  for (const input of inputs) {
    const ours = () => checkText(input.text, { configPath: input.configPath, host: nodeFileHost });
    const o: MeasureOptions = { warmup: 5, budgetMs: options.budgetMs ?? 4000, minRuns: 20, maxRuns: 5000 };
    const oursT = measure(ours, o);
    const theirsT = await measureAsync(() => theirs(input.text), o);
    const parseT = measure(() => parseTree(input.text, [], { allowTrailingComma: true }), o);
    rows.push({
      name: input.name, bytes: Buffer.byteLength(input.text), ours: oursT, theirs: theirsT,
      ratio: oursT.medianMs / theirsT.medianMs, parse: parseT,
      oursDiagnostics: ours().length, theirsDiagnostics: (await theirs(input.text)).length,
    });
  }
  return {
    section: 'validation',
    description: 'median ms per run: our checkText (parse, schema, all rules) vs vscode-json-languageservice schema-only doValidation (parse included), and jsonc-parser parseTree alone',
    rows,
  };
}

function printValidation(s: ValidationSection): void {
  console.log(`\n## Validation: ${s.description}\n`);
  console.log(table(
    ['config', 'bytes', 'ours ms', 'runs', 'json-ls ms', 'runs', 'ours/json-ls', 'parse ms', 'parse/json-ls', 'diags ours', 'diags json-ls'],
    s.rows.map(r => [r.name, String(r.bytes), ms(r.ours.medianMs), String(r.ours.runs), ms(r.theirs.medianMs),
      String(r.theirs.runs), r.ratio.toFixed(2), ms(r.parse.medianMs), (r.parse.medianMs / r.theirs.medianMs).toFixed(2),
      String(r.oursDiagnostics), String(r.theirsDiagnostics)]),
  ));
  console.log('\n"parse" is jsonc-parser\'s parseTree alone, the first step of our check: no check of ours is faster than it.');
}

// ---------------------------------------------------------------------------------------------------
// main: every section in order. To add a section, write `benchX(): Promise<XSection>` and a printer,
// and append both here; each section's result lands under its name in the JSON line and latest.json.

type AnySection = ValidationSection | SizeSection | ActivationSection | LogSection | WizardSection | HostileNpiSection
  | ServingSection | PythonSection;

// The wizard's own bench (plain JS beside this file): time from the command to an interactive wizard.
interface WizardSection { section: 'wizard'; [k: string]: unknown }
async function benchWizard(): Promise<WizardSection> {
  const file = join(repoRoot(), 'bench', 'wizardBench.js');
  if (!existsSync(file)) return { section: 'wizard', skipped: 'no wizard yet' };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { wizardBench } = require(file) as { wizardBench(o: { runs: number }): Promise<Record<string, unknown>> };
  return { section: 'wizard', ...(await wizardBench({ runs: 3 })) };
}

const printJson = (s: AnySection) => console.log(`\n${s.section}: ${JSON.stringify(s)}`);
const kb = (n: number | null) => (n === null ? '-' : `${(n / 1024).toFixed(1)} KiB`);
function printSizes(s: AnySection): void {
  const z = s as SizeSection;
  console.log(`\nSizes (production build): extension bundle ${kb(z.extensionBundleBytes)}, CLI ${kb(z.cliBundleBytes)}, webview ${kb(z.webviewBundleBytes)}, .vsix ${kb(z.vsixBytes)} (aim: under 1 MiB)`);
}
function printActivation(s: AnySection): void {
  const a = s as ActivationSection;
  console.log(`\nActivation in the real extension host (activate() from the extension's log): median ${a.medianMs} ms over ${a.runs.join(', ')} ms (aim: under 50 ms)`);
}
function printLog(s: AnySection): void {
  const l = s as LogSection;
  console.log(`\nRunner output path on a ${l.megabytes} MB log: ${l.linesPerSecond.toLocaleString('en')} lines/s (${l.mbPerSecond} MB/s, ${l.seconds} s), peak RSS ${l.peakRssMb} MB (base ${l.baseRssMb} MB)`);
}

function printHostileNpi(s: AnySection): void {
  const h = s as HostileNpiSection;
  console.log(`\n## Hostile NPI files: ${h.description}\n`);
  console.log(table(['file', 'bytes read', 'median ms', 'max ms', 'runs', 'check says'],
    h.rows.map(r => [r.name, r.bytes === null ? '-' : String(r.bytes), ms(r.medianMs), ms(r.maxMs), String(r.runs), r.result])));
}

function printServing(s: AnySection): void {
  const v = s as ServingSection;
  if (v.skipped) { console.log(`\nServing: skipped (${v.skipped})`); return; }
  console.log(`\nServe to a ready endpoint with the qaic_disagg double (ours, not the engine's): check + QPC pair + command ${median(v.checkMs).toFixed(2)} ms, start to GET /v1/models answering ${median(v.readyMs).toFixed(0)} ms, stop ${median(v.stopMs).toFixed(0)} ms (medians of ${v.readyMs.length}: ${v.readyMs.join(', ')} ms)`);
}

const SECTIONS: { run: () => Promise<AnySection>; print: (s: AnySection) => void }[] = [
  { run: () => benchValidation(), print: printValidation as (s: AnySection) => void },
  { run: async () => benchHostileNpi(), print: printHostileNpi },
  { run: async () => benchSizes(repoRoot()), print: printSizes },
  { run: () => benchActivation(repoRoot()), print: printActivation },
  { run: () => benchLogThroughput(), print: printLog },
  { run: () => benchWizard(), print: printJson },
  { run: () => benchServing(repoRoot()), print: printServing },
  { run: () => benchPython(repoRoot()), print: printPython as (s: AnySection) => void },
];

export async function main(): Promise<void> {
  const started = performance.now();
  const report: Record<string, unknown> = {
    date: new Date().toISOString(), node: process.version, platform: `${process.platform}-${process.arch}`,
  };
  for (const section of SECTIONS) {
    const result = await section.run();
    section.print(result);
    report[result.section] = result;
  }
  report.totalSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
  const line = JSON.stringify(report);
  const dir = join(repoRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(`\n(${report.totalSeconds} s; written to bench/results/latest.json by ${basename(__filename)})`);
  console.log(line);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
