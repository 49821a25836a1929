// The QEfficient view, the stage CodeLens and the run history in the real extension host, against the test
// double of QEfficient: the items and descriptions the tree gives the workbench, the lenses' titles, the
// states after export, compile, manual capture, failure and while running, and "Show Log".
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { sleep, waitFor, ws } = require('./helpers');

const cfg = rel => vscode.Uri.file(path.join(ws(), rel));
let api;

async function itemsOf(name) {
  const all = await api.viewItems();
  return all.find(c => c.label === name);
}

/** Waits until the stage's description matches (the view recomputes after a short debounce). */
async function stageDescription(config, stage, re, ms = 20000) {
  let last;
  await waitFor(() => `${config} ${stage} ~ ${re} (last: ${JSON.stringify(last)})`, async () => {
    const c = await itemsOf(config);
    last = c && c.children.find(s => s.label.startsWith(stage + ' '));
    return last && re.test(last.description);
  }, ms);
  return last;
}

async function lensTitles(uri) {
  await vscode.workspace.openTextDocument(uri); // the lenses of a document the workbench has loaded
  const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri, 100);
  return lenses.map(l => (l.command ? l.command.title : '?'));
}

suite('the QEfficient view, lenses and run history', () => {
  suiteSetup(async () => {
    api = await vscode.extensions.getExtension('qeff-disagg.qeff-disagg').activate();
    await vscode.workspace.getConfiguration('qeffDisagg').update('pythonPath', undefined, vscode.ConfigurationTarget.Global);
  });

  test('every config is listed with its stages; a config with errors shows its error count', async () => {
    const all = await api.viewItems();
    assert.ok(all.some(c => c.label === 'pair.qeff.json'), all.map(c => c.label).join(', '));
    const stages = all.find(c => c.label === 'stages.qeff.json');
    assert.deepStrictEqual(stages.children.map(s => [s.label, s.description, s.contextValue]),
      [['prefill · blocking', 'not built', 'qeffStage:notBuilt'], ['decode · swa-retain', 'not built', 'qeffStage:notBuilt']]);
    const mistakes = all.find(c => c.label === 'mistakes.qeff.json');
    assert.match(mistakes.description, /^\d+ error\(s\)$/);
    assert.strictEqual(mistakes.contextValue, 'qeffConfig:errors');
  });

  test('lenses: mode and KV memory, Export, Compile and Show Script on each stage', async () => {
    const titles = await lensTitles(cfg('view/stages.qeff.json'));
    assert.deepStrictEqual(titles, [
      '$(symbol-enum) blocking · KV 9 MiB', '$(package) Export', '$(gear) Compile', '$(file-code) Show Script',
      '$(symbol-enum) swa-retain · KV 36 MiB (4 slots)', '$(package) Export', '$(gear) Compile', '$(file-code) Show Script',
    ]);
  });

  test('Export then Compile of the decode stage (the lens arguments): exported, then compiled with the QPC size', async () => {
    const [exported] = await vscode.commands.executeCommand('qeffDisagg.export', cfg('view/stages.qeff.json'), 'decode');
    assert.strictEqual(exported.kind, 'exported');
    await stageDescription('stages.qeff.json', 'decode', /^exported · /);
    const [compiled] = await vscode.commands.executeCommand('qeffDisagg.compile', cfg('view/stages.qeff.json'), 'decode');
    assert.strictEqual(compiled.kind, 'compiled');
    const size = fs.statSync(path.join(compiled.qpcPath, 'programqpc.bin')).size;
    const item = await stageDescription('stages.qeff.json', 'decode', /^compiled · /);
    assert.ok(item.description.includes(path.basename(path.dirname(compiled.qpcPath))), item.description);
    assert.ok(item.description.includes(`${size} B`), `${item.description} names the size of programqpc.bin (${size} B)`);
  });

  test('the history keeps each run with its log; Show Log on the stage opens the last one', async () => {
    await api.historyFlushed();
    const log = await vscode.commands.executeCommand('qeffDisagg.showLog', { configUri: cfg('view/stages.qeff.json'), stage: 'decode' });
    assert.ok(log, 'a log was opened');
    const text = vscode.window.activeTextEditor.document.getText();
    assert.match(text, /^\$ .*qeff_driver\.py run --request .*\(decode compile, swa-retain\)$/m);
    assert.match(text, /fake QEfficient: /, 'the driver\'s output is in the log');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('the prefill compile with subfunctions: manual compile needed, and the lenses offer Copy / Run / Save', async () => {
    const [manual] = await vscode.commands.executeCommand('qeffDisagg.compile', { configUri: cfg('view/stages.qeff.json'), stage: 'prefill' });
    assert.strictEqual(manual.kind, 'manual');
    const item = await stageDescription('stages.qeff.json', 'prefill', /^manual compile needed$/);
    assert.strictEqual(item.contextValue, 'qeffStage:manual');
    await waitFor('the Copy/Run/Save lenses', async () => (await lensTitles(cfg('view/stages.qeff.json'))).includes('$(copy) Copy Command'));
    const titles = await lensTitles(cfg('view/stages.qeff.json'));
    assert.deepStrictEqual(titles.slice(0, 7), ['$(symbol-enum) blocking · KV 9 MiB', '$(package) Export', '$(gear) Compile',
      '$(file-code) Show Script', '$(copy) Copy Command', '$(terminal) Run', '$(save) Save']);
  });

  test('a failed compile shows "failed" and the first line of the error', async () => {
    const [failed] = await vscode.commands.executeCommand('qeffDisagg.compile', cfg('runner/crash.qeff.json'));
    assert.strictEqual(failed.kind, 'failed');
    // Wait for this run's text: an earlier failed run of the same stage (runner.test.js) shows "failed: " too.
    const expected = `failed: ${failed.message.split('\n')[0]}`;
    const item = await stageDescription('crash.qeff.json', 'decode', new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    assert.strictEqual(item.description, expected);
  });

  test('while a compile runs: the stage is running with its phase and elapsed time, the lens offers Cancel', async () => {
    const running = vscode.commands.executeCommand('qeffDisagg.compile', cfg('runner/hang.qeff.json'));
    try {
      const item = await stageDescription('hang.qeff.json', 'decode', /^compiling · /, 30000);
      assert.strictEqual(item.contextValue, 'qeffStage:running');
      assert.match(item.description, /\d+:\d\d/);
      await waitFor('the Cancel lens', async () => (await lensTitles(cfg('runner/hang.qeff.json'))).includes('$(debug-stop) Cancel'));
      await waitFor('the compile phase', async () => /^compiling · compile · /.test((await stageDescription('hang.qeff.json', 'decode', /./)).description), 30000);
    } finally {
      await vscode.commands.executeCommand('qeffDisagg.cancel');
    }
    const [cancelled] = await running;
    assert.strictEqual(cancelled.kind, 'cancelled');
    await stageDescription('hang.qeff.json', 'decode', /^(not built|exported · )/);
  });

  test('an edit of the config shows in the view and the lenses without a save', async () => {
    const doc = await vscode.workspace.openTextDocument(cfg('view/stages.qeff.json'));
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf('"swa-retain"');
    await editor.edit(e => e.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + '"swa-retain"'.length)), '"full-kv"'));
    try {
      await waitFor('the decode stage in full-kv', async () => (await itemsOf('stages.qeff.json')).children.some(s => s.label === 'decode · full-kv'));
      assert.ok((await lensTitles(doc.uri)).some(t => t.startsWith('$(symbol-enum) full-kv')));
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await waitFor('back to swa-retain', async () => (await itemsOf('stages.qeff.json')).children.some(s => s.label === 'decode · swa-retain'));
    await sleep(10);
  });
});
