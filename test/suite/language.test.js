// Language features in the real extension host (code-server): diagnostics, hover, completion, quick fixes.
// The workspace is a copy of test/fixtures/workspace (EXT_TESTS_FIXTURE).
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { sleep, waitFor, ws, codeOf } = require('./helpers');

const ours = uri => vscode.languages.getDiagnostics(uri).filter(d => d.source === 'qeff-disagg');

async function openConfig(name, text) {
  const file = path.join(ws(), name);
  if (text !== undefined) fs.writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Diagnostics once they reflect `predicate` (the check is debounced). */
function diagnosticsWhere(doc, what, predicate, ms) {
  return waitFor(what, () => { const d = ours(doc.uri); return predicate(d) ? d : null; }, ms);
}

suite('language features', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension('qeff-disagg.qeff-disagg');
    await ext.activate();
  });

  test('a *.qeff.json file is JSON with comments', async () => {
    const doc = await openConfig('good.qeff.json');
    assert.strictEqual(doc.languageId, 'jsonc');
  });

  test('diagnostics carry the rule ids, exact ranges and a documentation link', async () => {
    const doc = await openConfig('mistakes.qeff.json');
    const diags = await diagnosticsWhere(doc, 'mistakes diagnostics', d => d.length >= 4);
    const codes = diags.map(codeOf).sort();
    assert.deepStrictEqual(codes, ['QEFF-CB-05', 'QEFF-PB-01', 'QEFF-PB-06', 'QEFF-SUB-02']);
    const cb05 = diags.find(d => codeOf(d) === 'QEFF-CB-05');
    assert.strictEqual(doc.getText(cb05.range), '"continous_batching"');
    assert.strictEqual(cb05.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(cb05.code.target.path.endsWith('/docs/rules.md'), String(cb05.code.target));
    assert.strictEqual(cb05.code.target.fragment, 'qeff-cb-05');
    const pb06 = diags.find(d => codeOf(d) === 'QEFF-PB-06');
    assert.strictEqual(doc.getText(pb06.range), 'true');
    const sub02 = diags.find(d => codeOf(d) === 'QEFF-SUB-02');
    assert.strictEqual(sub02.severity, vscode.DiagnosticSeverity.Information);
  });

  test('rapid edits: the diagnostics match the last text, never a stale one', async () => {
    const doc = await openConfig('rapid.qeff.json', '{ "model": "openai/gpt-oss-20b", "decode": { "mode": "full-kv", "compile": { "num_cores": 16 } } }\n');
    await diagnosticsWhere(doc, 'first check', d => d.length === 0);
    const editor = vscode.window.activeTextEditor;
    const start = doc.getText().indexOf('16');
    for (const v of ['0', '32', '0', '99', '0']) {
      const cur = doc.getText();
      const s = cur.indexOf('"num_cores": ') + '"num_cores": '.length;
      const e = cur.indexOf(' }', s);
      await editor.edit(b => b.replace(new vscode.Range(doc.positionAt(s), doc.positionAt(e)), v));
    }
    assert.ok(start > 0);
    const final = await diagnosticsWhere(doc, 'CORES-01 error for 0', d => d.some(x => codeOf(x) === 'QEFF-CORES-01' && x.severity === vscode.DiagnosticSeverity.Error));
    await sleep(400);
    const settled = ours(doc.uri);
    assert.deepStrictEqual(settled.map(d => [codeOf(d), d.severity]), final.map(d => [codeOf(d), d.severity]));
    assert.strictEqual(doc.getText(settled[0].range), '0');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a config is re-checked when its NPI file appears and disappears', async () => {
    const npi = path.join(ws(), 'npi', 'later_non_subfunction.yaml');
    if (fs.existsSync(npi)) fs.unlinkSync(npi);
    const doc = await openConfig('npi-dep.qeff.json', '{ "model": "openai/gpt-oss-120b", "decode": { "mode": "full-kv", "compile": { "node_precision_info": "npi/later_non_subfunction.yaml" } } }\n');
    await diagnosticsWhere(doc, 'NPI-02', d => d.some(x => codeOf(x) === 'QEFF-NPI-02'));
    fs.writeFileSync(npi, 'FP32NodeInstanceNames:\n  - /model/norm/Mul_1_output_0\n');
    await diagnosticsWhere(doc, 'NPI-02 gone', d => !d.some(x => codeOf(x) === 'QEFF-NPI-02'), 20000);
    fs.unlinkSync(npi);
    await diagnosticsWhere(doc, 'NPI-02 back', d => d.some(x => codeOf(x) === 'QEFF-NPI-02'), 20000);
  });

  test('diagnostics are cleared when the file is deleted', async () => {
    const doc = await openConfig('doomed.qeff.json', '{ "model": "openai/gpt-oss-20b", "decode": { "mode": "chunking" } }\n');
    await diagnosticsWhere(doc, 'MODE-03', d => d.some(x => codeOf(x) === 'QEFF-MODE-03'));
    const edit = new vscode.WorkspaceEdit();
    edit.deleteFile(doc.uri);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('diagnostics cleared', () => ours(doc.uri).length === 0);
  });

  test('hover shows the schema documentation and the KV memory', async () => {
    const doc = await openConfig('good.qeff.json');
    const text = doc.getText();
    const at = doc.positionAt(text.indexOf('"ctx_len"', text.indexOf('"decode"')) + 3);
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, at);
    const md = hovers.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(md, /\*\*ctx_len\*\*/);
    assert.match(md, /KV cache of this decode stage\*\* \(gpt-oss-120b, full-kv, mxint8\)/);
    assert.match(md, /~288 MiB per slot × 4 slots = \*\*~1\.13 GiB\*\*/);
    const modeAt = doc.positionAt(text.indexOf('"full-kv"') + 2);
    const modeHover = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, modeAt);
    const modeMd = modeHover.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(modeMd, /retain_full_kv/);
  });

  test('completion offers the stage modes and the mode\'s kwargs first', async () => {
    const doc = await openConfig('complete.qeff.json', '{\n  "model": "openai/gpt-oss-20b",\n  "decode": { "mode": "" },\n  "prefill": { "mode": "blocking", "compile": {  } }\n}\n');
    const text = doc.getText();
    const modeList = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(text.indexOf('""') + 1));
    const modes = modeList.items.filter(i => i.kind === vscode.CompletionItemKind.EnumMember).map(i => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.deepStrictEqual(modes, ['"swa-retain"', '"full-kv"']);
    const keyList = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(text.indexOf('{  }') + 2));
    const keys = keyList.items.filter(i => i.kind === vscode.CompletionItemKind.Property)
      .sort((a, b) => a.sortText.localeCompare(b.sortText)).map(i => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.strictEqual(keys[0], 'prefill_seq_len');
    assert.ok(!keys.includes('prefill_only'), 'the mode sets prefill_only');
    assert.ok(!keys.includes('mdp_ts_num_devices'), 'forbidden kwarg offered');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a quick fix is an undoable edit that removes the diagnostic', async () => {
    const doc = await openConfig('mistakes.qeff.json');
    const diags = await diagnosticsWhere(doc, 'CB-05', d => d.some(x => codeOf(x) === 'QEFF-CB-05'));
    const cb05 = diags.find(d => codeOf(d) === 'QEFF-CB-05');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, cb05.range);
    const rename = actions.find(a => a.title === 'Rename to "continuous_batching"');
    assert.ok(rename, `actions: ${actions.map(a => a.title).join(', ')}`);
    const before = doc.getText();
    assert.ok(await vscode.workspace.applyEdit(rename.edit));
    assert.ok(doc.getText().includes('"continuous_batching": true'));
    await diagnosticsWhere(doc, 'CB-05 gone', d => !d.some(x => codeOf(x) === 'QEFF-CB-05'));
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText(), before);
    await diagnosticsWhere(doc, 'CB-05 back', d => d.some(x => codeOf(x) === 'QEFF-CB-05'));
  });

  test('an enum quick fix and a fix-all of one kind', async () => {
    const doc = await openConfig('fixall.qeff.json', '{ "model": "openai/gpt-oss-20b", "continous_batching": true, "decode": { "mode": "full-kv", "from_pretrained": { "continous_batching": true }, "compile": { "full_batch_size": 2 } } }\n');
    const diags = await diagnosticsWhere(doc, 'two CB-05', d => d.filter(x => codeOf(x) === 'QEFF-CB-05').length === 2);
    const first = diags.find(d => codeOf(d) === 'QEFF-CB-05');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, first.range);
    const all = actions.find(a => /^Fix all QEFF-CB-05 problems in this file \(2\)$/.test(a.title));
    assert.ok(all, `actions: ${actions.map(a => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(all.edit));
    assert.strictEqual((doc.getText().match(/"continuous_batching"/g) || []).length, 2);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('an explicit qefficientVersion setting wins over the probed version; without it the probed version feeds the rules', async () => {
    const cfg = vscode.workspace.getConfiguration('qeffDisagg');
    const text = '{ "model": "openai/gpt-oss-20b", "decode": { "mode": "full-kv", "compile": { "use_onnx_subfunctions": true } } }\n';
    await cfg.update('qefficientVersion', '1.21', vscode.ConfigurationTarget.Workspace);
    try {
      const report = await vscode.commands.executeCommand('qeffDisagg.checkEnvironment'); // the fake reports 1.22.8.0
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      assert.match(report, /- Target version for the rules: 1\.21 \(from the setting qeffDisagg\.qefficientVersion\)/);
      const doc = await openConfig('probed.qeff.json', text);
      await diagnosticsWhere(doc, 'DEC-01 error (the setting says 1.21)', d => d.some(x => codeOf(x) === 'QEFF-DEC-01' && x.severity === vscode.DiagnosticSeverity.Error));
      await cfg.update('qefficientVersion', undefined, vscode.ConfigurationTarget.Workspace);
      await diagnosticsWhere(doc, 'DEC-01 warning (1.22 probed)', d => d.some(x => codeOf(x) === 'QEFF-DEC-01' && x.severity === vscode.DiagnosticSeverity.Warning));
      const detected = await vscode.commands.executeCommand('qeffDisagg.checkEnvironment');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      assert.match(detected, /- Target version for the rules: 1\.22\.8\.0 \(the detected QEfficient\)/);
      const pinned = await openConfig('pinned.qeff.json', '{ "model": "openai/gpt-oss-20b", "qefficientVersion": "1.21", "decode": { "mode": "full-kv", "compile": { "use_onnx_subfunctions": true } } }\n');
      await diagnosticsWhere(pinned, 'DEC-01 error (config pins 1.21)', d => d.some(x => codeOf(x) === 'QEFF-DEC-01' && x.severity === vscode.DiagnosticSeverity.Error));
    } finally {
      await cfg.update('qefficientVersion', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
  test('source.fixAll.qeffDisagg applies every safe fix of the file in one edit', async () => {
    // A fixture file (on disk before the window opened): no reload from disk races the edit.
    const doc = await openConfig('mistakes.qeff.json');
    await diagnosticsWhere(doc, 'CB-05', d => d.some(x => codeOf(x) === 'QEFF-CB-05'));
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, whole, 'source.fixAll.qeffDisagg');
    const fixAll = actions.filter(a => a.kind && a.kind.value === 'source.fixAll.qeffDisagg');
    assert.strictEqual(fixAll.length, 1, `actions: ${actions.map(a => `${a.kind && a.kind.value} ${a.title}`).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fixAll[0].edit));
    assert.match(doc.getText(), /"continuous_batching": true/);
    await diagnosticsWhere(doc, 'no CB-05 left', d => d.length > 0 && !d.some(x => codeOf(x) === 'QEFF-CB-05'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a pairing diagnostic points at the prefill value it compares with (related information)', async () => {
    const text = '{\n  "model": "openai/gpt-oss-20b",\n  "prefill": { "mode": "chunking", "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true } },\n  "decode": { "mode": "full-kv", "compile": { "ctx_len": 8192 } }\n}\n';
    const doc = await openConfig('related.qeff.json', text);
    try {
      const diags = await diagnosticsWhere(doc, 'PAIR-02', d => d.some(x => codeOf(x) === 'QEFF-PAIR-02'));
      const related = diags.find(x => codeOf(x) === 'QEFF-PAIR-02').relatedInformation;
      assert.strictEqual(related.length, 1);
      assert.strictEqual(related[0].location.uri.toString(), doc.uri.toString());
      assert.strictEqual(doc.getText(related[0].location.range), '4096');
      assert.strictEqual(related[0].location.range.start.line, 2, 'the prefill line');
      assert.strictEqual(related[0].message, 'the prefill ctx_len, 4096');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(path.join(ws(), 'related.qeff.json'), { force: true });
    }
  });

  test('qeffDisagg.rules turns a rule off and changes another one\'s severity', async () => {
    const cfg = vscode.workspace.getConfiguration('qeffDisagg');
    const doc = await openConfig('mistakes.qeff.json');
    await diagnosticsWhere(doc, 'SUB-02 and CB-05', d => d.some(x => codeOf(x) === 'QEFF-SUB-02') && d.some(x => codeOf(x) === 'QEFF-CB-05'));
    await cfg.update('rules', { 'QEFF-SUB-02': 'off', 'QEFF-CB-05': 'warning' }, vscode.ConfigurationTarget.Workspace);
    try {
      const d = await diagnosticsWhere(doc, 'SUB-02 off, CB-05 a warning', x => !x.some(y => codeOf(y) === 'QEFF-SUB-02') && x.some(y => codeOf(y) === 'QEFF-CB-05'));
      assert.ok(d.filter(x => codeOf(x) === 'QEFF-CB-05').every(x => x.severity === vscode.DiagnosticSeverity.Warning));
    } finally {
      await cfg.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await diagnosticsWhere(doc, 'SUB-02 back', x => x.some(y => codeOf(y) === 'QEFF-SUB-02'));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
