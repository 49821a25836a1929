// Smoke test run inside the real VS Code extension host (code-server), see test/suite/index.js.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const EXT_ID = 'qeff-disagg.qeff-disagg';

suite('smoke: real VS Code extension host', () => {
  test('vscode API is available', () => {
    console.log('[env]', JSON.stringify({ version: vscode.version, appName: vscode.env.appName, appHost: vscode.env.appHost,
      uiKind: vscode.env.uiKind, remoteName: vscode.env.remoteName, trusted: vscode.workspace.isTrusted, node: process.version }));
    assert.strictEqual(typeof vscode.version, 'string');
    assert.ok(vscode.version.length > 0, 'vscode.version is empty');
  });

  test(`extension ${EXT_ID} is present (and activates once built)`, async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, `extension ${EXT_ID} not found`);
    // Activation needs the bundle (package.json "main"); before the first build only presence is checked.
    const main = ext.packageJSON && ext.packageJSON.main;
    if (main && fs.existsSync(path.join(ext.extensionPath, main.endsWith('.js') ? main : main + '.js'))) {
      await ext.activate();
      assert.ok(ext.isActive, `extension ${EXT_ID} did not activate`);
    }
  });
});
