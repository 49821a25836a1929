// Run with workspace trust enabled (the folder opens untrusted): the view shows the states, and the lenses
// offer only what runs nothing (no Export, no Compile).
'use strict';
const assert = require('assert');
const path = require('path');
const vscode = require('vscode');

suite('untrusted workspace: the QEfficient view and lenses', () => {
  test('the lenses show the mode, the KV memory and Show Script, not Export or Compile', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    await vscode.extensions.getExtension('qeff-disagg.qeff-disagg').activate();
    const uri = vscode.Uri.file(path.join(vscode.workspace.workspaceFolders[0].uri.fsPath, 'view', 'stages.qeff.json'));
    await vscode.workspace.openTextDocument(uri);
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri, 100);
    assert.deepStrictEqual(lenses.map(l => l.command && l.command.title), [
      '$(symbol-enum) blocking · KV 9 MiB', '$(file-code) Show Script',
      '$(symbol-enum) swa-retain · KV 36 MiB (4 slots)', '$(file-code) Show Script',
    ]);
  });

  test('the view lists the stages and their state', async () => {
    const api = await vscode.extensions.getExtension('qeff-disagg.qeff-disagg').activate();
    const stages = (await api.viewItems()).find(c => c.label === 'stages.qeff.json');
    assert.deepStrictEqual(stages.children.map(s => [s.label, s.description]), [['prefill · blocking', 'not built'], ['decode · swa-retain', 'not built']]);
  });
});
