// Section: Python scripts. The parser's cold start (web-tree-sitter init + grammar load, paid once, on the first
// script that mentions QEfficient), and on a 1,000-line script: full parse, incremental reparse after a one-character
// edit, and the whole analysis (extraction + the rules on the synthesized config). Aim: under 25 ms warm.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { initPythonParser, parsePython, PYTHON_WASM, RUNTIME_WASM } from '../src/core/python/parser';
import { analyseScript, checkAnalysis } from '../src/core/python/scriptCheck';
import { ScriptTrees } from '../src/core/python/scriptTrees';
import { LineIndex } from '../src/core/lineIndex';
import { measure, type Timing } from './bench';

export interface PythonSection {
  section: 'python';
  lines: number;
  coldInitMs: number;
  fullParse: Timing;
  incrementalReparse: Timing;
  /** After a one-character edit: incremental reparse + extraction + rules (the editor's path). */
  analyseAndCheck: Timing;
  /** From text: full parse + extraction + rules (the CLI's path). */
  fullAnalysis: Timing;
}

/**
 * A script of `lines` lines shaped like a user's: the upstream example (test fixture: one model, a decode and a
 * prefill compile) followed by its inference code, repeated inside functions (no further QEfficient calls).
 */
function script(base: string, lines: number): string {
  const body = base.split('\n');
  const tail = body.slice(body.findIndex(l => l.startsWith('prefill_session =')));
  const out = [...body];
  for (let i = 0; out.length < lines; i++) out.push('', '', `def run_${i}(qpc_out, inputs, config, tokenizer, decode_session, generation_len):`, ...tail.map(l => (l ? `    ${l}` : l)));
  return out.slice(0, lines).join('\n') + '\n';
}

export async function benchPython(root: string): Promise<PythonSection> {
  const files: Record<string, string> = {
    [RUNTIME_WASM]: join(root, 'node_modules', 'web-tree-sitter', RUNTIME_WASM),
    [PYTHON_WASM]: join(root, 'node_modules', 'tree-sitter-python', PYTHON_WASM),
  };
  const t0 = performance.now();
  await initPythonParser(async name => new Uint8Array(await readFile(files[name])));
  const coldInitMs = Number((performance.now() - t0).toFixed(1));
  const text = script(await readFile(join(root, 'test', 'fixtures', 'python', 'upstream_gpt_oss_disagg_mode.py'), 'utf8'), 1000);
  const fullParse = measure(() => parsePython(text).delete(), { warmup: 3, budgetMs: 1500 });
  // A one-character edit inside ctx_len's value, reparsed from the edited tree.
  const at = text.indexOf('num_cores=16') + 'num_cores=1'.length;
  const pos = new LineIndex(text).positionAt(at);
  let flip = false;
  const trees = new ScriptTrees();
  trees.tree('bench', text);
  const incrementalReparse = measure(() => {
    flip = !flip;
    const next = text.slice(0, at) + (flip ? '2' : '6') + text.slice(at + 1);
    trees.edit('bench', [{ rangeOffset: at, rangeLength: 1, start: pos, end: { line: pos.line, character: pos.character + 1 }, text: flip ? '2' : '6' }]);
    trees.tree('bench', next);
  }, { warmup: 3, budgetMs: 1000 });
  // What the editor does after an edit: reparse from the edited tree, then extraction and the rules.
  const analyseAndCheck = measure(() => {
    flip = !flip;
    const next = text.slice(0, at) + (flip ? '2' : '6') + text.slice(at + 1);
    trees.edit('bench', [{ rangeOffset: at, rangeLength: 1, start: pos, end: { line: pos.line, character: pos.character + 1 }, text: flip ? '2' : '6' }]);
    checkAnalysis(analyseScript(next, trees.tree('bench', next)));
  }, { warmup: 3, budgetMs: 2000 });
  trees.dispose();
  const fullAnalysis = measure(() => checkAnalysis(analyseScript(text)), { warmup: 3, budgetMs: 2000 });
  return { section: 'python', lines: text.split('\n').length - 1, coldInitMs, fullParse, incrementalReparse, analyseAndCheck, fullAnalysis };
}

export function printPython(s: PythonSection): void {
  const f = (t: Timing) => `${t.medianMs.toFixed(2)} ms (min ${t.minMs.toFixed(2)}, ${t.runs} runs)`;
  console.log(`\n## Python scripts (${s.lines} lines)\n`);
  console.log(`parser cold init (once, lazily): ${s.coldInitMs} ms`);
  console.log(`full parse: ${f(s.fullParse)}`);
  console.log(`incremental reparse after a 1-char edit: ${f(s.incrementalReparse)}`);
  console.log(`after an edit, incremental reparse + analysis + rules: ${f(s.analyseAndCheck)} (aim: under 25 ms)`);
  console.log(`from text, full parse + analysis + rules: ${f(s.fullAnalysis)}`);
}
