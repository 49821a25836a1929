// Smoke test run inside the real VS Code extension host (code-server), see test/suite/index.js.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const EXT_ID = 'qeff-disagg.qeff-disagg';

suite('smoke: real VS Code extension host', () => {
  test('the host is a VS Code the extension declares it runs on (engines.vscode)', () => {
    console.log('[env]', JSON.stringify({ version: vscode.version, appName: vscode.env.appName, appHost: vscode.env.appHost,
      uiKind: vscode.env.uiKind, remoteName: vscode.env.remoteName, trusted: vscode.workspace.isTrusted, node: process.version }));
    const ext = vscode.extensions.getExtension(EXT_ID);
    const wanted = /^\^(\d+)\.(\d+)\./.exec(ext.packageJSON.engines.vscode);
    const [major, minor] = vscode.version.split('.').map(Number);
    assert.ok(wanted, `engines.vscode: ${ext.packageJSON.engines.vscode}`);
    assert.ok(major === Number(wanted[1]) && minor >= Number(wanted[2]), `VS Code ${vscode.version} vs engines ${ext.packageJSON.engines.vscode}`);
  });

  test(`extension ${EXT_ID} activates from its bundle and returns its API`, async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, `extension ${EXT_ID} not found`);
    // test:ext builds first: a missing bundle is a failure here, not a reason to check less.
    const main = ext.packageJSON.main;
    assert.ok(fs.existsSync(path.join(ext.extensionPath, main.endsWith('.js') ? main : main + '.js')), `no bundle at ${main}`);
    const api = await ext.activate();
    assert.ok(ext.isActive, `extension ${EXT_ID} did not activate`);
    assert.strictEqual(typeof api.manualCommand, 'function', 'the runner API is returned');
  });
});
