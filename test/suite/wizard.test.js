// The wizard's extension side in the real extension host (code-server): the commands, the panel's page
// (CSP, nonce, resource roots), the message gate (schema-checked, unknown messages ignored), the files the
// webview may read, and saving: a new config through a workspace edit, the core's check again before any
// write, no silent overwrite, Edit in Wizard writing only what changed (undoable). The commands return the
// panel, so these tests post to it exactly what the webview posts.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { waitFor, ws } = require('./helpers');

const last = (w, type) => [...w.posted].reverse().find(m => m.type === type);
const clone = x => JSON.parse(JSON.stringify(x));

/** Sends what the webview sends on load and returns the init the panel answers with. */
async function handshake(w) {
  const before = w.posted.length;
  await w.receive({ type: 'ready' });
  return w.posted.slice(before).find(m => m.type === 'init');
}

async function save(w, state, run = false) {
  const before = w.posted.length;
  await w.receive({ type: 'save', state, run });
  return w.posted.slice(before).find(m => m.type === 'saved');
}

suite('wizard', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension('qeff-disagg.qeff-disagg').activate();
  });
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  suiteTeardown(() => {
    for (const f of ['wizard-new.qeff.json', 'wizard-edit.qeff.json', 'wizard-broken.qeff.json']) fs.rmSync(path.join(ws(), f), { force: true });
  });

  test('the commands, menus and walkthrough are contributed', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['qeffDisagg.newConfig', 'qeffDisagg.editInWizard']) assert.ok(commands.includes(id), id);
    const pkg = vscode.extensions.getExtension('qeff-disagg.qeff-disagg').packageJSON;
    const menus = pkg.contributes.menus;
    assert.ok(menus['explorer/context'].some(m => m.command === 'qeffDisagg.newConfig' && m.when === 'explorerResourceIsFolder'));
    for (const where of ['editor/title', 'editor/context']) {
      assert.ok(menus[where].some(m => m.command === 'qeffDisagg.editInWizard' && /qeff\\\.json/.test(m.when)), where);
    }
    assert.ok(pkg.activationEvents.includes('onWebviewPanel:qeffDisagg.wizard'));
    const steps = pkg.contributes.walkthroughs[0].steps;
    const linked = steps.map(s => /\(command:([\w.]+)\)/.exec(s.description)[1]);
    assert.deepStrictEqual(linked, ['qeffDisagg.newConfig', 'qeffDisagg.checkEnvironment', 'qeffDisagg.exportAndCompile']);
    const root = vscode.extensions.getExtension('qeff-disagg.qeff-disagg').extensionPath;
    for (const s of steps) {
      const file = path.join(root, s.media.svg);
      assert.ok(fs.statSync(file).size < 4096, `${s.media.svg} is small`);
    }
  });

  test('the page: default-src none, one nonce from crypto per page, resources only from dist/webview', async () => {
    const w = await vscode.commands.executeCommand('qeffDisagg.newConfig');
    const html = w.panel.webview.html;
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)[1];
    assert.match(csp, /^default-src 'none'; /);
    assert.doesNotMatch(csp, /unsafe-|data:|https:(?!\/\/)/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)[1];
    assert.ok(nonce.length >= 24, nonce);
    assert.match(html, new RegExp(`<script nonce="${nonce.replace(/[+/]/g, c => `\\${c}`)}" src="[^"]+/dist/webview/wizard\\.js"`));
    assert.strictEqual((html.match(/<script/g) || []).length, 1);
    const roots = w.panel.webview.options.localResourceRoots;
    assert.strictEqual(roots.length, 1);
    assert.ok(roots[0].path.endsWith('/dist/webview'), roots[0].path);
    w.dispose();
    const again = await vscode.commands.executeCommand('qeffDisagg.newConfig');
    assert.notStrictEqual(/nonce-([^']+)'/.exec(again.panel.webview.html)[1], nonce, 'a fresh nonce per page');
  });

  test('ready -> init with a new state for the folder the command was run on; unknown messages are ignored', async () => {
    const folder = path.join(ws(), 'npi');
    const w = await vscode.commands.executeCommand('qeffDisagg.newConfig', vscode.Uri.file(folder));
    const init = await handshake(w);
    assert.ok(init, 'init answers ready');
    assert.strictEqual(init.state.folder, folder);
    assert.strictEqual(init.restored, false);
    assert.strictEqual(typeof init.canRun, 'boolean');
    const ignored = w.ignored;
    const posted = w.posted.length;
    for (const m of [null, 42, { type: 'nope' }, { type: 'save', state: {}, run: false }, { type: 'readFiles', paths: ['/etc/passwd'], more: 1 }]) {
      await w.receive(m);
    }
    assert.strictEqual(w.ignored, ignored + 5);
    assert.strictEqual(w.posted.length, posted, 'nothing answered');
    // a state the webview kept (after a reload) comes back as it was
    const kept = clone(init.state);
    kept.model = 'openai/gpt-oss-20b';
    kept.step = 3;
    await w.receive({ type: 'ready', state: kept });
    const restored = last(w, 'init');
    assert.strictEqual(restored.restored, true);
    assert.deepStrictEqual(restored.state, kept);
    // a state kept by another version (it fails the schema) is answered with a fresh start, not ignored
    const stale = { ...clone(kept), schemaVersion: 0 };
    const before = w.posted.length;
    await w.receive({ type: 'ready', state: stale });
    const fresh = w.posted.slice(before).find(m => m.type === 'init');
    assert.ok(fresh, 'init answers a ready with a stale state');
    assert.strictEqual(fresh.restored, false);
    assert.strictEqual(fresh.state.schemaVersion, 1);
    assert.strictEqual(fresh.state.model, '', 'the kept model is not carried over');
  });

  test('the webview may read NPI YAML files and config.json, nothing else', async () => {
    const w = await vscode.commands.executeCommand('qeffDisagg.newConfig');
    const npi = path.join(ws(), 'npi', 'subfunction_120b_npi.yaml');
    await w.receive({ type: 'readFiles', paths: [npi, path.join(ws(), 'good.qeff.json'), '/etc/passwd', 'npi/relative.yaml', path.join(ws(), 'missing.yaml')] });
    const files = last(w, 'files').files;
    assert.strictEqual(files[npi], fs.readFileSync(npi, 'utf8'));
    assert.strictEqual(files[path.join(ws(), 'good.qeff.json')], null);
    assert.strictEqual(files['/etc/passwd'], null);
    assert.strictEqual(files['npi/relative.yaml'], null);
    assert.strictEqual(files[path.join(ws(), 'missing.yaml')], null);
  });

  test('save: a new config is written, opened and clean; a second save asks and keeps the file', async () => {
    const w = await vscode.commands.executeCommand('qeffDisagg.newConfig');
    const state = clone((await handshake(w)).state);
    Object.assign(state, { model: 'openai/gpt-oss-20b', fileName: 'wizard-new.qeff.json', fileNameTouched: true });
    const file = path.join(ws(), 'wizard-new.qeff.json');
    fs.rmSync(file, { force: true });
    const saved = await save(w, state);
    assert.strictEqual(saved.ok, true, saved.message);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /"model": "openai\/gpt-oss-20b"/);
    assert.match(text, /"mode": "chunking"/);
    await waitFor('the saved file in an editor', () => vscode.window.visibleTextEditors.some(e => e.document.uri.fsPath === file));
    const doc = vscode.workspace.textDocuments.find(d => d.uri.fsPath === file);
    // The wizard's default prefill uses subfunctions, so the check always publishes QEFF-SUB-02 (info) for
    // this file: wait for that publication, then read it, rather than reading after a fixed pause.
    const ours = () => vscode.languages.getDiagnostics(doc.uri).filter(d => d.source === 'qeff-disagg');
    await waitFor('the diagnostics of the saved file', () => ours().length > 0);
    assert.deepStrictEqual(ours().map(d => `${d.code.value} ${d.severity}`), [`QEFF-SUB-02 ${vscode.DiagnosticSeverity.Information}`], 'no error, the expected info');
    // again: the modal question is refused in this test mode (as a user pressing Cancel): nothing is written
    fs.writeFileSync(file, text.replace('"ctx_len": 8192', '"ctx_len": 8192 /* mine */'));
    const mine = fs.readFileSync(file, 'utf8');
    const second = await save(w, state);
    assert.strictEqual(second.ok, false);
    assert.strictEqual(second.cancelled, true);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), mine);
  });

  test('with a probed QEfficient 1.22.8.0, a new config pins 1.22 (the form the schema takes) and saves', async () => {
    const report = await vscode.commands.executeCommand('qeffDisagg.checkEnvironment'); // the fake reports 1.22.8.0
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.match(report, /- QEfficient: 1\.22\.8\.0/);
    const w = await vscode.commands.executeCommand('qeffDisagg.newConfig');
    const state = clone((await handshake(w)).state);
    assert.strictEqual(state.qefficientVersion, '1.22');
    const file = path.join(ws(), 'wizard-probed.qeff.json');
    Object.assign(state, { model: 'openai/gpt-oss-20b', fileName: 'wizard-probed.qeff.json', fileNameTouched: true });
    try {
      const saved = await save(w, state);
      assert.strictEqual(saved.ok, true, saved.message);
      assert.match(fs.readFileSync(file, 'utf8'), /"qefficientVersion": "1\.22"/);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  test('save is refused when the core finds an error, whatever the webview says', async () => {
    const w = await vscode.commands.executeCommand('qeffDisagg.newConfig');
    const state = clone((await handshake(w)).state);
    Object.assign(state, { model: 'openai/gpt-oss-120b', fileName: 'wizard-bad.qeff.json', fileNameTouched: true });
    state.prefill.ctx_len = '100';
    const saved = await save(w, state);
    assert.strictEqual(saved.ok, false);
    const codes = saved.diagnostics.map(d => d.code).sort();
    assert.ok(codes.includes('QEFF-CTX-01'), codes.join());
    assert.ok(codes.includes('QEFF-NPI-01'), codes.join());
    assert.ok(!fs.existsSync(path.join(ws(), 'wizard-bad.qeff.json')));
  });

  test('save is refused for a file name that leaves the chosen folder, and only for that reason', async () => {
    const w = await vscode.commands.executeCommand('qeffDisagg.newConfig');
    const state = clone((await handshake(w)).state);
    // The same state as the clean save above (20b, chunking defaults): the core finds no error in it.
    Object.assign(state, { model: 'openai/gpt-oss-20b', fileName: '../escape.qeff.json', fileNameTouched: true });
    const saved = await save(w, state);
    assert.strictEqual(saved.ok, false);
    assert.strictEqual(saved.diagnostics, undefined, 'refused for the name, not for a finding');
    assert.match(saved.message, /A file name only/);
    assert.ok(!fs.existsSync(path.join(path.dirname(ws()), 'escape.qeff.json')));
  });

  test('Edit in Wizard: only the changed value is written back, comments kept, one undo step', async () => {
    const file = path.join(ws(), 'wizard-edit.qeff.json');
    const original = `// keep me
{
  "model": "openai/gpt-oss-20b", // the hub id
  "decode": {
    "mode": "full-kv",
    "from_pretrained": { "continuous_batching": true },
    "compile": { "ctx_len": 4096, "full_batch_size": 4, "mos": 1 /* compiler option */ }
  }
}
`;
    fs.writeFileSync(file, original);
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const w = await vscode.commands.executeCommand('qeffDisagg.editInWizard');
    const init = await handshake(w);
    assert.strictEqual(init.state.edit.path, file);
    assert.strictEqual(init.state.stages, 'decode');
    assert.strictEqual(init.state.decode.ctx_len, '4096');
    const state = clone(init.state);
    state.decode.ctx_len = '8192';
    const saved = await save(w, state);
    assert.strictEqual(saved.ok, true, saved.message);
    const expected = original.replace('"ctx_len": 4096', '"ctx_len": 8192');
    assert.strictEqual(fs.readFileSync(file, 'utf8'), expected);
    const doc = vscode.workspace.textDocuments.find(d => d.uri.fsPath === file);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText(), original, 'one undo restores the file');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('Edit in Wizard refuses a file that does not parse and a file that is not a config', async () => {
    const broken = path.join(ws(), 'wizard-broken.qeff.json');
    fs.writeFileSync(broken, '{ "model": ');
    assert.strictEqual(await vscode.commands.executeCommand('qeffDisagg.editInWizard', vscode.Uri.file(broken)), undefined);
    assert.strictEqual(await vscode.commands.executeCommand('qeffDisagg.editInWizard', vscode.Uri.file(path.join(ws(), 'npi', 'subfunction_120b_npi.yaml'))), undefined);
  });
});
