// Issue 9 in the real extension host (trusted workspace): a config whose env changes what runs is not run
// without a confirmation; Save as Script and the wizard never write through a symbolic link; the wizard's
// webview reads no file outside the workspace that the user did not pick.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { codeOf, waitFor, ws } = require('./helpers');

const runnerDir = () => path.join(ws(), 'runner');
const pairText = () => fs.readFileSync(path.join(runnerDir(), 'pair.qeff.json'), 'utf8');

suite('hardening (issue 9)', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension('qeff-disagg.qeff-disagg').activate();
  });

  test('LD_PRELOAD in a stage env: warned in the editor, and the run is refused when the question is not answered', async () => {
    const file = path.join(runnerDir(), 'preload.qeff.json');
    fs.writeFileSync(file, `{
  "model": "openai/gpt-oss-20b",
  "decode": { "mode": "swa-retain", "compile": { "ctx_len": 256 }, "env": { "LD_PRELOAD": "/nonexistent/evil.so" } }
}
`);
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const warned = await waitFor('QEFF-EXEC-01', () => vscode.languages.getDiagnostics(doc.uri).find(d => codeOf(d) === 'QEFF-EXEC-01'));
    assert.strictEqual(warned.severity, vscode.DiagnosticSeverity.Warning);
    const outcomes = await vscode.commands.executeCommand('qeffDisagg.export', doc.uri);
    assert.deepStrictEqual(outcomes.map(o => o.kind), ['refused']);
    assert.match(outcomes[0].message, /LD_PRELOAD/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Save as Script with a dangling symbolic link at the script path: refused, nothing appears at the link target', async () => {
    const file = path.join(runnerDir(), 'linked.qeff.json');
    // The pair's prefill alone (one stage: no stage question): its compile ends in a captured manual command.
    const pair = JSON.parse(pairText().replace(/^\/\/.*\n/, ''));
    fs.writeFileSync(file, JSON.stringify({ model: pair.model, prefill: pair.prefill }, null, 2));
    const outcomes = await vscode.commands.executeCommand('qeffDisagg.exportAndCompile', vscode.Uri.file(file));
    assert.deepStrictEqual(outcomes.map(o => o.kind), ['exported', 'manual']);
    const target = path.join(path.dirname(ws()), `outside-${process.pid}.sh`);
    const script = path.join(runnerDir(), 'linked.prefill.compile.sh');
    fs.symlinkSync(target, script);
    const uri = await vscode.commands.executeCommand('qeffDisagg.saveCompileCommand', vscode.Uri.file(file), 'prefill');
    assert.strictEqual(uri, undefined);
    assert.ok(!fs.existsSync(target), 'nothing written at the link target');
    assert.ok(fs.lstatSync(script).isSymbolicLink(), 'the link is left as it is');
    // A link to an existing file: neither overwritten nor made executable.
    fs.unlinkSync(script);
    fs.writeFileSync(target, 'keep\n', { mode: 0o600 });
    fs.symlinkSync(target, script);
    assert.strictEqual(await vscode.commands.executeCommand('qeffDisagg.saveCompileCommand', vscode.Uri.file(file), 'prefill'), undefined);
    assert.strictEqual(fs.readFileSync(target, 'utf8'), 'keep\n');
    assert.strictEqual(fs.statSync(target).mode & 0o777, 0o600);
    fs.unlinkSync(target);
  });

  test('the wizard webview cannot read a YAML file outside the workspace that the user did not pick', async () => {
    const outside = fs.mkdtempSync(path.join(require('os').tmpdir(), 'qeff-outside-'));
    const secret = path.join(outside, 'secrets.yaml');
    fs.writeFileSync(secret, 'token: s3cret\n');
    const inside = path.join(ws(), 'npi', 'subfunction_120b_npi.yaml');
    const w = await vscode.commands.executeCommand('qeffDisagg.newConfig');
    await w.receive({ type: 'ready' });
    const before = w.posted.length;
    await w.receive({ type: 'readFiles', paths: [secret, inside] });
    const files = w.posted.slice(before).find(m => m.type === 'files').files;
    assert.strictEqual(files[secret], null);
    assert.strictEqual(typeof files[inside], 'string');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the wizard does not save a new config through a dangling symbolic link', async () => {
    const w = await vscode.commands.executeCommand('qeffDisagg.newConfig');
    const before = w.posted.length;
    await w.receive({ type: 'ready' });
    const state = JSON.parse(JSON.stringify(w.posted.slice(before).find(m => m.type === 'init').state));
    const target = path.join(path.dirname(ws()), `wizard-outside-${process.pid}.qeff.json`);
    const link = path.join(ws(), 'wizard-link.qeff.json');
    fs.rmSync(link, { force: true });
    fs.symlinkSync(target, link);
    Object.assign(state, { model: 'openai/gpt-oss-20b', qefficientVersion: '', folder: ws(), fileName: 'wizard-link.qeff.json', fileNameTouched: true });
    const at = w.posted.length;
    await w.receive({ type: 'save', state, run: false });
    const saved = w.posted.slice(at).find(m => m.type === 'saved');
    assert.strictEqual(saved.ok, false);
    assert.match(saved.message, /symbolic link/);
    assert.ok(!fs.existsSync(target), 'nothing written at the link target');
    fs.rmSync(link, { force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
