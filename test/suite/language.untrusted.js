// Run with workspace trust enabled (the folder opens untrusted): the language features must still work.
'use strict';
const assert = require('assert');
const path = require('path');
const vscode = require('vscode');

const sleep = ms => new Promise(r => setTimeout(r, ms));

const codeOf = d => (typeof d.code === 'object' ? d.code.value : d.code);
async function diagnosticsWhere(doc, what, predicate, ms = 15000) {
  for (const end = Date.now() + ms; ; await sleep(50)) {
    const d = vscode.languages.getDiagnostics(doc.uri).filter(x => x.source === 'qeff-disagg');
    if (predicate(d)) return d;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}
async function openConfig(name, text) {
  const file = path.join(vscode.workspace.workspaceFolders[0].uri.fsPath, name);
  require('fs').writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  return doc;
}

suite('untrusted workspace', () => {
  test('the workspace is untrusted and the extension is active', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    const ext = vscode.extensions.getExtension('qeff-disagg.qeff-disagg');
    await ext.activate();
    assert.ok(ext.isActive);
  });

  test('diagnostics and hover work without trust', async () => {
    const file = path.join(vscode.workspace.workspaceFolders[0].uri.fsPath, 'mistakes.qeff.json');
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    let codes = [];
    for (const end = Date.now() + 15000; Date.now() < end && !codes.includes('QEFF-CB-05'); await sleep(100)) {
      codes = vscode.languages.getDiagnostics(doc.uri).map(d => (typeof d.code === 'object' ? d.code.value : d.code));
    }
    assert.ok(codes.includes('QEFF-CB-05'), `codes: ${codes}`);
    const at = doc.positionAt(doc.getText().indexOf('"ctx_len"') + 2);
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, at);
    assert.ok(hovers.some(h => h.contents.some(c => /KV cache/.test(typeof c === 'string' ? c : c.value))));
  });

  test('run commands refuse to run anything; the script preview works', async () => {
    const uri = vscode.Uri.file(path.join(vscode.workspace.workspaceFolders[0].uri.fsPath, 'runner', 'pair.qeff.json'));
    for (const id of ['qeffDisagg.export', 'qeffDisagg.compile', 'qeffDisagg.exportAndCompile']) {
      const outcomes = await vscode.commands.executeCommand(id, uri);
      assert.deepStrictEqual(outcomes, [], `${id} ran something`);
    }
    assert.strictEqual(await vscode.commands.executeCommand('qeffDisagg.checkEnvironment'), undefined);
    const script = await vscode.commands.executeCommand('qeffDisagg.showScript', uri, 'decode');
    assert.match(script, /continuous_batching=True/);
  });

  // No probe runs untrusted, so the setting is the target version here.
  test('without a probe, the target-version setting changes version-dependent severities', async () => {
    const doc = await openConfig('version.qeff.json', '{ "model": "openai/gpt-oss-20b", "decode": { "mode": "full-kv", "compile": { "use_onnx_subfunctions": true } } }\n');
    const cfg = vscode.workspace.getConfiguration('qeffDisagg');
    await cfg.update('qefficientVersion', '1.21', vscode.ConfigurationTarget.Workspace);
    try {
      await diagnosticsWhere(doc, 'DEC-01 error on 1.21', d => d.some(x => codeOf(x) === 'QEFF-DEC-01' && x.severity === vscode.DiagnosticSeverity.Error));
      await cfg.update('qefficientVersion', '1.22', vscode.ConfigurationTarget.Workspace);
      await diagnosticsWhere(doc, 'DEC-01 warning on 1.22', d => d.some(x => codeOf(x) === 'QEFF-DEC-01' && x.severity === vscode.DiagnosticSeverity.Warning));
    } finally {
      await cfg.update('qefficientVersion', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
