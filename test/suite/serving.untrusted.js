// Run with workspace trust enabled (the folder opens untrusted): Serve starts nothing and has no lens; the command
// can be shown.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

suite('serving in an untrusted workspace', () => {
  test('Serve refuses and starts nothing; Show Serve Command still shows the command', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    await vscode.extensions.getExtension('qeff-disagg.qeff-disagg').activate();
    const dir = path.join(vscode.workspace.workspaceFolders[0].uri.fsPath, 'serving-untrusted');
    for (const [stage, seq] of [['p', 128], ['d', 1]]) {
      fs.mkdirSync(path.join(dir, stage, 'qpc'), { recursive: true });
      fs.writeFileSync(path.join(dir, stage, 'qpc', 'programqpc.bin'), '\0');
      fs.writeFileSync(path.join(dir, stage, 'specializations.json'), JSON.stringify({ specializations: [{ seq_len: String(seq), ctx_len: '4096' }] }));
    }
    const config = vscode.Uri.file(path.join(dir, 'deploy.qeff.json'));
    fs.writeFileSync(config.fsPath, JSON.stringify({
      model: 'openai/gpt-oss-20b',
      prefill: { mode: 'chunking', compile: { prefill_seq_len: 128, ctx_len: 4096, use_onnx_subfunctions: true } },
      decode: { mode: 'full-kv', from_pretrained: { continuous_batching: true }, compile: { ctx_len: 4096, full_batch_size: 4, kv_cache_batch_size: 4 } },
      serving: { prefill: { deviceGroups: [[0]], qpc: 'p/qpc' }, decode: { deviceGroups: [[1]], qpc: 'd/qpc' } },
    }));
    try {
      assert.strictEqual(await vscode.commands.executeCommand('qeffDisagg.serve', config), undefined);
      assert.strictEqual(fs.existsSync(path.join(dir, 'qaic_disagg_fake.json')), false, 'the launcher was started');
      const text = await vscode.commands.executeCommand('qeffDisagg.showServeCommand', config);
      assert.match(text, /exec python3 -m qaic_disagg --model openai\/gpt-oss-20b --port 8000 /);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      // No Serve lens above the serving section (it runs something); the stage lenses that run nothing remain.
      await vscode.workspace.openTextDocument(config);
      const titles = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', config, 100)).map(l => l.command && l.command.title);
      assert.ok(titles.includes('$(file-code) Show Script'), titles.join(' | '));
      assert.ok(!titles.some(t => /Serve|Serving/.test(t)), titles.join(' | '));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
