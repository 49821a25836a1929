// Run with workspace trust enabled (the folder opens untrusted): the language features must still work.
'use strict';
const assert = require('assert');
const path = require('path');
const vscode = require('vscode');

const sleep = ms => new Promise(r => setTimeout(r, ms));

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
});
