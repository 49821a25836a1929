// The config rules in a real Python document in the extension host: diagnostics at the Python ranges with their
// docs links, hover on a kwarg, a quick fix that edits the literal, and the "Convert to .qeff.json" CodeLens.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { waitFor, ws, codeOf } = require('./helpers');

const ours = uri => vscode.languages.getDiagnostics(uri).filter(d => d.source === 'qeff-disagg');
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'python', 'mistakes.py');

suite('Python scripts', () => {
  let doc;
  suiteSetup(async () => {
    await vscode.extensions.getExtension('qeff-disagg.qeff-disagg').activate();
    const file = path.join(ws(), 'deploy_mistakes.py');
    fs.writeFileSync(file, fs.readFileSync(FIXTURE, 'utf8'));
    const target = path.join(ws(), 'deploy_mistakes.qeff.json');
    if (fs.existsSync(target)) fs.unlinkSync(target);
    doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
  });

  test('diagnostics land on the Python argument or env line, with rule ids and docs links', async () => {
    assert.strictEqual(doc.languageId, 'python');
    const diags = await waitFor('script diagnostics', () => { const d = ours(doc.uri); return d.some(x => codeOf(x) === 'QEFF-OPT-01') ? d : null; }, 30000);
    const at = code => diags.filter(d => codeOf(d) === code).map(d => doc.getText(d.range));
    assert.deepStrictEqual(at('QEFF-ENV-01'), ['"NUM_Q_BLOCKS"']);
    assert.deepStrictEqual(at('QEFF-OPT-01'), ['mxfp6_matmal']);
    assert.deepStrictEqual(at('QEFF-CB-02'), ['compile']);
    assert.deepStrictEqual(at('QEFF-PAIR-03'), ['False']);
    const opt = diags.find(d => codeOf(d) === 'QEFF-OPT-01');
    assert.strictEqual(opt.code.target.fragment, 'qeff-opt-01');
    assert.ok(opt.code.target.path.endsWith('/docs/rules.md'));
  });

  test('hover on ctx_len shows its documentation and the stage KV memory', async () => {
    const offset = doc.getText().lastIndexOf('ctx_len=4096') + 2;
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, doc.positionAt(offset));
    const text = hovers.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*ctx_len\*\*/);
    assert.match(text, /KV cache of this decode stage/);
  });

  test('the quick fix renames the misspelled kwarg in the script', async () => {
    const opt = ours(doc.uri).find(d => codeOf(d) === 'QEFF-OPT-01');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, opt.range, vscode.CodeActionKind.QuickFix.value);
    const rename = actions.find(a => a.edit && /mxfp6_matmul/.test(a.title));
    assert.ok(rename, actions.map(a => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(rename.edit));
    assert.match(doc.getText(), /mxfp6_matmul=True/);
    await waitFor('OPT-01 gone', () => !ours(doc.uri).some(d => codeOf(d) === 'QEFF-OPT-01'), 15000);
    await doc.save();
  });

  test('"Convert to .qeff.json" on each compile call writes the equivalent config', async () => {
    const lenses = await waitFor('code lenses', async () => {
      const l = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri);
      return l && l.length === 2 ? l : null;
    });
    assert.deepStrictEqual(lenses.map(l => doc.getText(l.range)), ['compile', 'compile']);
    assert.strictEqual(lenses[0].command.title, 'Convert to .qeff.json');
    await vscode.commands.executeCommand(lenses[0].command.command, ...lenses[0].command.arguments);
    const target = path.join(ws(), 'deploy_mistakes.qeff.json');
    const text = fs.readFileSync(target, 'utf8');
    assert.match(text, /"mode": "chunking"/);
    assert.match(text, /"mode": "full-kv"/);
    assert.match(text, /"mxfp6_matmul": true/);
    assert.strictEqual(vscode.window.activeTextEditor.document.uri.fsPath, target);
  });
});
