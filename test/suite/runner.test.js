// Export and compile from VS Code, in the real extension host, against the test double of QEfficient
// (test/fake, put on PYTHONPATH by the driver: see fakeQefficientEnv in test/e2e/lib.js).
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const vscode = require('vscode');
const { sleep, ws } = require('./helpers');

const cfg = name => vscode.Uri.file(path.join(ws(), 'runner', name));
const alive = pattern => spawnSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).stdout.trim();
let api;

suite('runner against the fake QEfficient', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension('qeff-disagg.qeff-disagg');
    api = await ext.activate();
    await vscode.workspace.getConfiguration('qeffDisagg').update('pythonPath', undefined, vscode.ConfigurationTarget.Global);
  });

  test('Check Environment reports the interpreter, QEfficient, the compiler, the SDK and the devices', async () => {
    const report = await vscode.commands.executeCommand('qeffDisagg.checkEnvironment');
    assert.match(report, /- QEfficient: 1\.22\.8\.0/);
    assert.match(report, /moe_prefill_packed_chunk_size=true/);
    assert.match(report, /- Compiler: .*qaic-root\/exec\/qaic-compile/);
    assert.match(report, /- Devices: 2/);
    assert.match(report, /- VS Code: 1\.\d+/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Pick NPI File offers upstream\'s files from the probed QEfficient checkout, the one for the stage first', async () => {
    const file = path.join(ws(), 'runner', 'npi-pick.qeff.json');
    fs.writeFileSync(file, JSON.stringify({
      model: 'openai/gpt-oss-120b',
      prefill: { mode: 'chunking', from_pretrained: { continuous_batching: true }, compile: { prefill_seq_len: 128, ctx_len: 8192, kv_cache_batch_size: 4, use_onnx_subfunctions: true } },
    }, null, 2) + '\n');
    try {
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc);
      const picking = vscode.commands.executeCommand('qeffDisagg.pickNpiFile', doc.uri, 'prefill');
      let done = false;
      void picking.then(() => { done = true; }, () => { done = true; });
      // The checkout double (test/fake/python, where the probe imported QEfficient from) holds both files.
      for (let end = Date.now() + 15000; !done; await sleep(200)) {
        if (Date.now() > end) throw new Error('the picker did not return');
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      }
      assert.strictEqual(await picking, true);
      const expected = path.resolve(__dirname, '..', 'fake', 'python', 'examples', 'disagg_serving', 'subfunction_120b_npi.yaml');
      assert.strictEqual(JSON.parse(doc.getText()).prefill.compile.node_precision_info, expected);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  test('Export and Compile both stages: prefill export, prefill compile captured for a manual run, decode compiled', async () => {
    // The double appends one line to <QEFF_HOME>/fake-traces.jsonl per real trace (not per export() that finds its ONNX).
    const traceLog = path.join(process.env.QEFF_HOME, 'fake-traces.jsonl');
    const traces = () => (fs.existsSync(traceLog) ? fs.readFileSync(traceLog, 'utf8').trim().split('\n').filter(Boolean).map(l => JSON.parse(l)) : []);
    const before = traces().length;
    const outcomes = await vscode.commands.executeCommand('qeffDisagg.exportAndCompile', cfg('pair.qeff.json'));
    assert.deepStrictEqual(outcomes.map(o => o.kind), ['exported', 'manual', 'exported', 'compiled']);
    assert.ok(fs.existsSync(outcomes[0].onnxPath), 'ONNX written by the fake');
    const traced = traces().slice(before);
    assert.ok(traced.length <= 2, `at most one export per stage, got ${traced.length}: ${traced.map(t => t.dir).join(', ')}`);
    assert.strictEqual(traced.length, outcomes.filter(o => o.kind === 'exported' && !o.reused).length, 'the compiles traced nothing');
    const manual = outcomes[1];
    assert.ok(manual.argv.includes(`-m=${outcomes[0].onnxPath}`), 'the prefill compile used the exported ONNX');
    assert.strictEqual(outcomes[3].onnxPath, outcomes[2].onnxPath, 'the decode QPC comes from the exported ONNX, the path shown');
    assert.ok(manual.argv.includes('-sub-functions'));
    assert.match(manual.qpcDir, /\/qpc$/);
    assert.ok(fs.existsSync(path.join(outcomes[3].qpcPath, 'programqpc.bin')));
    const stored = api.manualCommand(cfg('pair.qeff.json'), 'prefill');
    assert.deepStrictEqual(stored.argv, manual.argv);
  });

  test('Save as Script writes an executable script that reproduces the argv, and never overwrites silently', async () => {
    const uri = await vscode.commands.executeCommand('qeffDisagg.saveCompileCommand', cfg('pair.qeff.json'), 'prefill');
    assert.ok(uri, 'a script was written');
    const text = fs.readFileSync(uri.fsPath, 'utf8');
    assert.match(text, /^#!\/bin\/sh\n/);
    assert.ok((fs.statSync(uri.fsPath).mode & 0o111) !== 0, 'executable');
    const stored = api.manualCommand(cfg('pair.qeff.json'), 'prefill');
    // The script's exec line, run through sh with the command replaced by printf, gives back argv exactly.
    const execLine = text.split('\n').find(l => l.startsWith('exec '));
    const out = spawnSync('sh', ['-c', `set -- ${execLine.slice(5)}; for a in "$@"; do printf '%s\\0' "$a"; done`], { encoding: 'utf8' });
    assert.deepStrictEqual(out.stdout.split('\0').slice(0, -1), stored.argv);
    fs.writeFileSync(uri.fsPath, 'user edits\n');
    const second = await vscode.commands.executeCommand('qeffDisagg.saveCompileCommand', cfg('pair.qeff.json'), 'prefill');
    assert.strictEqual(second, undefined, 'the overwrite question was not answered: nothing written');
    assert.strictEqual(fs.readFileSync(uri.fsPath, 'utf8'), 'user edits\n');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Run in Terminal with the compilerPath setting: the QPC appears and the stage is reported compiled', async () => {
    const full = path.resolve(__dirname, '..', 'fake', 'bin', 'qaic-compile-full-sdk');
    await vscode.workspace.getConfiguration('qeffDisagg').update('compilerPath', full, vscode.ConfigurationTarget.Global);
    try {
      const before = vscode.window.terminals.length;
      await vscode.commands.executeCommand('qeffDisagg.runCompileCommand', cfg('pair.qeff.json'), 'prefill');
      assert.strictEqual(vscode.window.terminals.length, before + 1);
      assert.match(vscode.window.terminals[before].name, /QEff compile \(prefill\)/);
      const stored = api.manualCommand(cfg('pair.qeff.json'), 'prefill');
      const qpc = path.join(stored.qpcDir, 'programqpc.bin');
      for (let end = Date.now() + 20000; !fs.existsSync(qpc); await sleep(100)) if (Date.now() > end) throw new Error('no QPC');
      for (let end = Date.now() + 20000; !api.manualCommand(cfg('pair.qeff.json'), 'prefill').compiledAt; await sleep(100)) {
        if (Date.now() > end) throw new Error('the stage was not reported compiled');
      }
    } finally {
      await vscode.workspace.getConfiguration('qeffDisagg').update('compilerPath', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('Cancel kills the compiler and its child: no process remains', async () => {
    const running = vscode.commands.executeCommand('qeffDisagg.compile', cfg('hang.qeff.json'));
    for (let end = Date.now() + 30000; !alive('fake-qaic-grandchild'); await sleep(100)) {
      if (Date.now() > end) throw new Error('the fake compiler did not start its child');
    }
    await vscode.commands.executeCommand('qeffDisagg.cancel');
    const outcomes = await running;
    assert.deepStrictEqual(outcomes.map(o => o.kind), ['cancelled']);
    for (let end = Date.now() + 10000; alive('fake-qaic-grandchild') || alive('test/fake/bin/qaic-compile'); await sleep(100)) {
      if (Date.now() > end) throw new Error('a process survived the cancel');
    }
  });

  test('a config with errors is refused and says which', async () => {
    const [refused] = await vscode.commands.executeCommand('qeffDisagg.compile', vscode.Uri.file(path.join(ws(), 'mistakes.qeff.json')));
    assert.strictEqual(refused.kind, 'refused', 'refused before asking for a stage');
    const direct = await vscode.commands.executeCommand('qeffDisagg.exportAndCompile', vscode.Uri.file(path.join(ws(), 'mistakes.qeff.json')));
    assert.strictEqual(direct[0].kind, 'refused');
    assert.match(direct[0].message, /QEFF-PB-01/);
  });

  test('no QEfficient, a crash, and no Python each fail with a one-sentence reason', async () => {
    const [noQeff] = await vscode.commands.executeCommand('qeffDisagg.compile', cfg('no-qefficient.qeff.json'));
    assert.strictEqual(noQeff.kind, 'failed');
    assert.strictEqual(noQeff.noQefficient, true);
    assert.match(noQeff.message, /QEfficient is not installed/);
    const [crash] = await vscode.commands.executeCommand('qeffDisagg.compile', cfg('crash.qeff.json'));
    assert.strictEqual(crash.kind, 'failed');
    assert.match(crash.message, /^The decode compile failed: /);
    await vscode.workspace.getConfiguration('qeffDisagg').update('pythonPath', '/nonexistent/python3', vscode.ConfigurationTarget.Global);
    try {
      const [noPython] = await vscode.commands.executeCommand('qeffDisagg.compile', cfg('crash.qeff.json'));
      assert.strictEqual(noPython.kind, 'failed');
      assert.strictEqual(noPython.noPython, true);
      assert.match(noPython.message, /\/nonexistent\/python3/);
    } finally {
      await vscode.workspace.getConfiguration('qeffDisagg').update('pythonPath', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('tasks: the qeff-disagg task type runs a stage through the same runner', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'qeff-disagg' });
    const task = tasks.find(t => t.definition.config === 'runner/pair.qeff.json' && t.definition.stage === 'decode' && t.definition.step === 'compile');
    assert.ok(task, `tasks: ${tasks.map(t => t.name).join(', ')}`);
    // The task's exit code (the pseudoterminal's close code: 0 compiled, 1 failed, 3 left for a manual
    // compile), not only its end: a task that failed would end too.
    const ended = new Promise(resolve => {
      const sub = vscode.tasks.onDidEndTaskProcess(e => { if (e.execution.task.name === task.name) { sub.dispose(); resolve(e.exitCode); } });
    });
    await vscode.tasks.executeTask(task);
    const exitCode = await Promise.race([ended, sleep(60000).then(() => { throw new Error('task did not end'); })]);
    assert.strictEqual(exitCode, 0, 'the decode compile task succeeded');
  });

  test('Show Python Script opens the stage script', async () => {
    const script = await vscode.commands.executeCommand('qeffDisagg.showScript', cfg('pair.qeff.json'), 'prefill');
    assert.match(script, /os\.environ\["ENABLE_OPT_SWA"\] = "1"/);
    assert.match(script, /prefill_only=True/);
    assert.strictEqual(vscode.window.activeTextEditor.document.languageId, 'python');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
