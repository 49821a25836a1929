// Every rule firing and not firing, with exact ranges; every fix applied and re-checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../src/core/check';
import { applyTextEdits, fixAllEdits } from '../../src/core/fixes';
import { applyRuleSettings, readRuleSettings, RULE_SETTING_VALUES } from '../../src/core/ruleSettings';
import { COMMANDS } from '../../src/core/commandIds';
import { LineIndex } from '../../src/core/lineIndex';
import type { Diagnostic, FileHost } from '../../src/core/types';
import { RULE_IDS, RULES, ruleInfo, type RuleInfo } from '../../src/core/ruleRegistry';
import { CASES, CLEAN_CONFIGS, MESSAGES, NPI_FILES, pair, type RuleCase } from './ruleCases';
import { repoRoot } from './repoRoot';

const OPEN = '⟦';
const CLOSE = '⟧';

function unmark(marked: string): { text: string; start: number; end: number } {
  const start = marked.indexOf(OPEN);
  const end = marked.indexOf(CLOSE);
  return { text: marked.replace(OPEN, '').replace(CLOSE, ''), start, end: end - OPEN.length };
}

const host: FileHost = { readFile: p => (NPI_FILES as Record<string, string>)[p] };

function run(c: RuleCase | { text: string; version?: string }, text = c.text.replace(OPEN, '').replace(CLOSE, '')): Diagnostic[] {
  return checkText(text, { configPath: '/cfg/deploy.qeff.json', host, qefficientVersion: c.version });
}

for (const c of CASES) {
  test(`${c.code} ${c.fires ? 'fires' : 'does not fire'}: ${c.name}`, () => {
    const diags = run(c);
    const mine = diags.filter(d => d.code === c.code);
    if (!c.fires) {
      assert.deepEqual(mine.map(d => d.message), [], `unexpected ${c.code}`);
      return;
    }
    const { text, start, end } = unmark(c.text);
    const at = mine.filter(d => d.offset === start && d.offset + d.length === end);
    assert.equal(at.length, 1, `expected one ${c.code} at ${start}-${end} ("${text.slice(start, end)}"); got ${JSON.stringify(mine.map(d => [d.offset, d.length, d.message]))}`);
    const d = at[0];
    if (c.severity) assert.equal(d.severity, c.severity);
    const lines = new LineIndex(text);
    assert.deepEqual(d.range, lines.range(start, end - start));
    assert.match(d.message, MESSAGES[c.code], 'the message says what the rule is about');
    const fixes = [...(d.fix ? [d.fix] : []), ...(d.moreFixes ?? [])];
    // A rule the registry gives a fix offers one in every firing case (bar the few marked withoutFix).
    if (ruleInfo(c.code)?.fix && !c.withoutFix) assert.ok(fixes.length > 0, `${c.code} offers no fix here`);
    for (const fix of fixes.filter(x => x.edits.length)) {
      const fixed = applyTextEdits(text, fix.edits);
      const after = run(c, fixed);
      assert.ok(!after.some(x => x.code === 'QEFF-JSON'), `the fix "${fix.title}" broke the JSON:\n${fixed}`);
      assert.ok(after.filter(x => x.code === c.code).length < mine.length, `the fix "${fix.title}" did not remove ${c.code}:\n${fixed}`);
    }
  });
}

test('clean configs have no error or warning', () => {
  for (const text of CLEAN_CONFIGS) {
    const bad = run({ text }).filter(d => d.severity === 'error' || d.severity === 'warning');
    assert.deepEqual(bad.map(d => `${d.code} ${d.message}`), []);
  }
});

test('every registry id has a message pattern, and every pattern a registry id', () => {
  assert.deepEqual(Object.keys(MESSAGES).sort(), [...RULE_IDS].sort());
});

test('every registry id has a firing and a non-firing case', () => {
  for (const id of RULE_IDS) {
    assert.ok(CASES.some(c => c.code === id && c.fires), `${id} has no firing case`);
    if (id !== 'QEFF-JSON') assert.ok(CASES.some(c => c.code === id && !c.fires), `${id} has no non-firing case`);
  }
  for (const c of CASES) assert.ok(ruleInfo(c.code), `case "${c.name}" uses ${c.code}, which is not in the registry`);
});

test('every diagnostic has a registry id and one of its severities', () => {
  for (const c of CASES) {
    for (const d of run(c)) {
      const info = ruleInfo(d.code);
      assert.ok(info, `${c.name}: ${d.code} is not in the registry`);
      assert.ok((info.severities as readonly string[]).includes(d.severity), `${c.name}: ${d.code} reported as ${d.severity}, the registry allows ${info.severities.join('/')}`);
    }
  }
});

test('every quick fix the registry declares is offered by a firing case, and no other rule offers one', () => {
  for (const id of RULE_IDS) {
    const offered = CASES.filter(c => c.code === id && c.fires).some(c => run(c).some(d => d.code === id && (d.fix || d.moreFixes?.length)));
    assert.equal(offered, !!ruleInfo(id)?.fix, `${id}: registry fix=${!!ruleInfo(id)?.fix}, a firing case offers one: ${offered}`);
  }
});

/** docs/rules.md as { id -> its "- **Severity**" and "- **Quick fix**" lines }. */
function catalog(): Map<string, { severity?: string; fix?: string }> {
  const out = new Map<string, { severity?: string; fix?: string }>();
  let current: { severity?: string; fix?: string } | undefined;
  for (const line of readFileSync(join(repoRoot(), 'docs', 'rules.md'), 'utf8').split('\n')) {
    const h = /^### (QEFF-[A-Z0-9-]+)\s*$/.exec(line);
    if (h) { current = {}; out.set(h[1], current); continue; }
    if (/^#{1,3} /.test(line)) { current = undefined; continue; }
    const sev = /^- \*\*Severity\*\*: (.*)$/.exec(line);
    if (sev && current) current.severity = sev[1];
    const fix = /^- \*\*Quick fix\*\*: (.*)$/.exec(line);
    if (fix && current) current.fix = fix[1];
  }
  return out;
}

test('docs/rules.md documents every registry id with its severities and fix, and nothing else', () => {
  const docs = catalog();
  for (const id of RULE_IDS) {
    const entry = docs.get(id);
    assert.ok(entry, `${id} is not documented in docs/rules.md (### ${id})`);
    const words = [...(entry.severity ?? '').matchAll(/\b(error|warning|info|hint)\b/g)].map(m => m[1]);
    const info = RULES[id] as RuleInfo;
    assert.deepEqual([...new Set(words)].sort(), [...info.severities].sort(), `${id}: documented severity "${entry.severity}"`);
    assert.equal(words[0], info.severities[0], `${id}: the documented default severity comes first`);
    assert.equal(!!entry.fix, !!info.fix, `${id}: documented quick fix "${entry.fix ?? ''}" vs registry fix=${!!info.fix}`);
  }
  for (const id of docs.keys()) assert.ok(ruleInfo(id), `docs/rules.md documents ${id}, which is not in the registry`);
});

test('when the text does not parse, only QEFF-JSON is reported', () => {
  const diags = run({ text: '{ "model": "openai/gpt-oss-20b", "prefill": { "mode": "bad" ' });
  assert.ok(diags.length >= 1);
  assert.ok(diags.every(d => d.code === 'QEFF-JSON'));
});

test('a diagnostic is never at 0:0 unless it concerns the whole document', () => {
  for (const c of CASES) {
    for (const d of run(c)) {
      if (d.offset === 0) assert.ok(d.code === 'QEFF-JSON' || d.code === 'QEFF-SCHEMA', `${c.name}: ${d.code} at 0`);
    }
  }
});

test('MODE-02 removal keeps the rest of the line and the comments', () => {
  const text = '{\n  "model": "openai/gpt-oss-20b", // the model\n  "decode": { "mode": "full-kv", "compile": { "retain_full_kv": true, "ctx_len": 4096 } }\n}\n';
  const d = run({ text }).find(x => x.code === 'QEFF-MODE-02');
  assert.ok(d?.fix);
  const fixed = applyTextEdits(text, d.fix.edits);
  assert.equal(fixed, '{\n  "model": "openai/gpt-oss-20b", // the model\n  "decode": { "mode": "full-kv", "compile": { "ctx_len": 4096 } }\n}\n');
});

test('the config version wins over the caller version', () => {
  const text = '{ "model": "openai/gpt-oss-20b", "qefficientVersion": "1.21", "decode": { "mode": "full-kv", "compile": { "use_onnx_subfunctions": true } } }';
  const d = checkText(text, { qefficientVersion: '1.23' }).find(x => x.code === 'QEFF-DEC-01');
  assert.equal(d?.severity, 'error');
  const d2 = checkText(text.replace('"qefficientVersion": "1.21", ', ''), { qefficientVersion: '1.21' }).find(x => x.code === 'QEFF-DEC-01');
  assert.equal(d2?.severity, 'error');
  const d3 = checkText(text.replace('"qefficientVersion": "1.21", ', '')).find(x => x.code === 'QEFF-DEC-01');
  assert.equal(d3?.severity, 'warning');
});

test('an NPI file is parsed again when its text changes (the parse is cached per path)', () => {
  let text = 'FP32NodeInstanceNames:\n  - a\n';
  const changing: FileHost = { readFile: p => (p === '/cfg/npi/live.yaml' ? text : undefined) };
  const config = '{ "model": "openai/gpt-oss-120b", "decode": { "mode": "full-kv", "compile": { "node_precision_info": "npi/live.yaml" } } }';
  const codes = () => checkText(config, { configPath: '/cfg/deploy.qeff.json', host: changing }).map(d => d.code);
  assert.ok(!codes().includes('QEFF-NPI-02'));
  text = 'FP32NodeInstanceNames: []\n';
  assert.ok(codes().includes('QEFF-NPI-02'));
  text = 'FP32NodeInstanceNames:\n  - b\n';
  assert.ok(!codes().includes('QEFF-NPI-02'));
});

// Point 10 of issue 8: messages state the upstream reason per version. README vs example:
// examples/disagg_serving/README.md and gpt_oss_disagg_mode_with_chunking.py (release/v1.21.6, release/v1.22.0, main).
test('DEC-01 and NPI-03 say that upstream contradicts itself on decode with subfunctions, from 1.22', () => {
  const text = '{ "model": "openai/gpt-oss-120b", "decode": { "mode": "full-kv", "compile": { "use_onnx_subfunctions": true, "node_precision_info": "npi/non_subfunction_120b_npi.yaml" } } }';
  const at = (version: string | undefined, code: string) => run({ text, version }).find(d => d.code === code)?.message ?? '';
  for (const version of ['1.22.0', '1.22.8', undefined]) {
    for (const code of ['QEFF-DEC-01', 'QEFF-NPI-03']) {
      const m = at(version, code);
      assert.match(m, /README/, `${code} on ${version}`);
      assert.match(m, /gpt_oss_disagg_mode_with_chunking\.py/, `${code} on ${version}`);
      assert.doesNotMatch(m, /will not match/, `${code} on ${version}`);
    }
  }
  assert.doesNotMatch(at('1.21', 'QEFF-DEC-01'), /compiles decode with use_onnx_subfunctions=True/);
  assert.match(at('1.21', 'QEFF-NPI-03'), /will not match/);
});

test('DEC-02 on a blocking prefill says the graph changes, not that it is ignored', () => {
  const c = CASES.find(x => x.name === 'retain_full_kv in a blocking prefill')!;
  const m = run(c).find(d => d.code === 'QEFF-DEC-02')!.message;
  assert.match(m, /not ignored/);
  assert.match(m, /ctx_len KV axis/);
  assert.doesNotMatch(m, /ignores it/);
});

test('rule settings: "off" drops a rule, a severity replaces the default, unknown ids and values are problems', () => {
  const text = CASES.find(c => c.code === 'QEFF-CB-05' && c.fires)!.text.replace(OPEN, '').replace(CLOSE, '');
  const found = run({ text });
  assert.ok(found.some(d => d.code === 'QEFF-CB-05' && d.severity === 'error'));
  const { settings, problems } = readRuleSettings({ 'QEFF-CB-05': 'off', 'QEFF-SUB-02': 'warning', 'QEFF-NOPE-01': 'off', 'QEFF-CB-01': 'loud' });
  assert.deepEqual([...settings], [['QEFF-CB-05', 'off'], ['QEFF-SUB-02', 'warning']]);
  assert.equal(problems.length, 2);
  assert.match(problems[0], /"QEFF-NOPE-01" is not a rule id/);
  assert.match(problems[1], /QEFF-CB-01: "loud" is not one of off, error, warning, info, hint/);
  const applied = applyRuleSettings(found, settings);
  assert.ok(!applied.some(d => d.code === 'QEFF-CB-05'));
  for (const d of applied.filter(x => x.code === 'QEFF-SUB-02')) assert.equal(d.severity, 'warning');
  assert.deepEqual(readRuleSettings([]).problems, ['the rule settings must be an object such as { "QEFF-SUB-02": "off" }']);
});

test('the qeffDisagg.rules setting offers exactly the registry ids and the setting values', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8'));
  const schema = pkg.contributes.configuration.properties['qeffDisagg.rules'];
  assert.deepEqual(schema.propertyNames.enum, [...RULE_IDS]);
  assert.deepEqual(schema.additionalProperties.enum, [...RULE_SETTING_VALUES]);
});

test('fix all: every safe fix of the file in one set of edits, none overlapping, and they remove their diagnostics', () => {
  const text = pair('{ "mode": "chunking", "from_pretrained": { "continous_batching": true }, "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "kv_cache_batch_size": 4, "use_onnx_subfunctions": true } }',
    '{ "mode": "full-kv", "from_pretrained": { "continous_batching": true }, "compile": { "ctx_len": 4096, "full_batch_size": 4, "kv_cache_batch_size": 4 } }');
  const before = run({ text });
  assert.equal(before.filter(d => d.code === 'QEFF-CB-05').length, 2);
  const edits = fixAllEdits(before);
  assert.ok(edits.length >= 2);
  const fixed = applyTextEdits(text, edits);
  assert.deepEqual(run({ text: fixed }).filter(d => d.code === 'QEFF-CB-05' || d.code === 'QEFF-JSON'), []);
  // two edits at one place: the second is left for the next run
  const overlapping = [before[0], before[0]].map(d => ({ ...d, fix: { title: 't', edits: [{ range: d.range, newText: 'x' }], fixAllSafe: true } }));
  assert.equal(fixAllEdits(overlapping).length, 1);
});

test('the pairing rules point at the prefill value they compare with', () => {
  const text = pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "mxint8_kv_cache": true, "use_onnx_subfunctions": true } }',
    '{ "mode": "swa-retain", "compile": { "ctx_len": 8192 } }');
  const diags = run({ text });
  const at = (code: string) => diags.find(d => d.code === code)?.related?.map(r => [text.slice(r.offset, r.offset + r.length), r.message]);
  assert.deepEqual(at('QEFF-PAIR-01'), [['"chunking"', 'the prefill mode, "chunking"']]);
  assert.deepEqual(at('QEFF-PAIR-03'), [['true', 'the prefill mxint8_kv_cache, true']]);
  const full = pair('{ "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true } }', '{ "mode": "full-kv", "compile": { "ctx_len": 8192 } }');
  const d2 = run({ text: full }).find(d => d.code === 'QEFF-PAIR-02');
  assert.deepEqual(d2?.related?.map(r => [full.slice(r.offset, r.offset + r.length), r.message]), [['4096', 'the prefill ctx_len, 4096']]);
});

test('package.json contributes exactly the commands of commandIds.ts', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8'));
  const contributed = (pkg.contributes.commands as { command: string }[]).map(c => c.command).sort();
  assert.deepEqual(contributed, Object.values(COMMANDS).sort());
});
