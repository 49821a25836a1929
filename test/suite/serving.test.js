// Serving in the real extension host: QEff: Serve starts the qaic_disagg test double (test/fake/python/qaic_disagg,
// on PYTHONPATH as for the fake QEfficient), the status bar shows the endpoint, Send Test Prompt streams a reply,
// Stop leaves no process of the group and a free port; an early exit is reported; Save Serve Script never clobbers.
// The QEfficient view's "Serving" row and the lenses of the "serving" section follow the session (ready, failed, gone).
'use strict';
const assert = require('assert');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { spawnSync } = require('child_process');
const vscode = require('vscode');
const { waitFor, ws } = require('./helpers');
const { freePorts, servedConfig, writeQpc } = require('./servingFixtures');

const groupMembers = pgid => spawnSync('pgrep', ['-g', String(pgid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean)
  // A zombie is dead already: it only waits for its parent (or init) to reap it.
  .filter(pid => { try { return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; } });
/** The group's live members once they had time to act on the signals (a loaded machine delays their exit). */
async function groupMembersAfterStop(pgid) {
  for (let i = 0; i < 300 && groupMembers(pgid).length; i++) await new Promise(r => setTimeout(r, 100));
  return groupMembers(pgid);
}
async function lensTitles(uri) {
  await vscode.workspace.openTextDocument(uri);
  return (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri, 100)).map(l => (l.command ? l.command.title : '?'));
}

suite('serving with the qaic_disagg test double', () => {
  const dir = () => path.join(ws(), 'serving');
  let config;
  let api;
  let ext;

  /** The view's row of the config once `ok` holds for it (the view recomputes after a short debounce). */
  async function viewRow(name, ok) {
    let last;
    await waitFor(() => `${name} in the view (last: ${JSON.stringify(last && { description: last.description, contextValue: last.contextValue, children: last.children.map(c => c.label) })})`, async () => {
      last = (await ext.viewItems()).find(c => c.label === name);
      return last && ok(last);
    }, 20000);
    return last;
  }
  const servingRow = c => c.children.find(s => s.label === 'Serving');

  suiteSetup(async () => {
    ext = await vscode.extensions.getExtension('qeff-disagg.qeff-disagg').activate();
    fs.mkdirSync(dir(), { recursive: true });
    writeQpc(path.join(dir(), 'qpc-p'), 128);
    writeQpc(path.join(dir(), 'qpc-d'), 1);
    let p, d, kv;
    [api, p, d, kv] = await freePorts(4);
    config = vscode.Uri.file(path.join(dir(), 'deploy.qeff.json'));
    fs.writeFileSync(config.fsPath, JSON.stringify(servedConfig({ api, prefill: p, decode: d, kvHandoff: kv }), null, 2));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('qeffDisagg.stopServing');
    fs.rmSync(dir(), { recursive: true, force: true });
  });

  test('Serve starts the launcher, the status bar shows the endpoint, a test prompt answers, Stop leaves nothing', async () => {
    const served = await vscode.commands.executeCommand('qeffDisagg.serve', config);
    assert.ok(served, 'Serve returned no endpoint');
    assert.strictEqual(served.endpoint, `http://127.0.0.1:${api}/v1`);
    assert.ok(served.statusText.includes(served.endpoint), served.statusText);
    assert.strictEqual(served.model, 'openai/gpt-oss-20b');
    const seen = JSON.parse(fs.readFileSync(path.join(dir(), 'qaic_disagg_fake.json'), 'utf8'));
    assert.deepStrictEqual(seen.argv.slice(seen.argv.indexOf('--max-model-len'), seen.argv.indexOf('--max-model-len') + 2), ['--max-model-len', '4096']);
    assert.ok(seen.argv.includes(`qpc_path:${path.join(dir(), 'qpc-d', 'qpc')}`), seen.argv.join(' '));
    assert.ok(groupMembers(served.pid).length >= 4, 'launcher, KV handoff and two instances');

    // The view and the lenses show the endpoint, with Send Test Prompt and Stop Serving.
    const row = servingRow(await viewRow('deploy.qeff.json', c => servingRow(c)));
    assert.deepStrictEqual([row.description, row.contextValue], [`ready · ${served.endpoint}`, 'qeffServing:ready']);
    await waitFor('the serving lenses', async () => (await lensTitles(config)).includes('$(debug-stop) Stop Serving'));
    assert.deepStrictEqual((await lensTitles(config)).slice(-3),
      [`$(radio-tower) ready · ${served.endpoint}`, '$(comment-discussion) Send Test Prompt', '$(debug-stop) Stop Serving']);

    const reply = await vscode.commands.executeCommand('qeffDisagg.sendTestPrompt', 'Say hello.');
    assert.strictEqual(reply.text, 'Hello from the qaic_disagg test double.');
    assert.strictEqual(reply.tokens, 7);

    const stopped = await vscode.commands.executeCommand('qeffDisagg.stopServing');
    assert.strictEqual(stopped.portFree, true);
    assert.deepStrictEqual(await groupMembersAfterStop(served.pid), []);
    assert.strictEqual(await vscode.commands.executeCommand('qeffDisagg.sendTestPrompt', 'again'), undefined);
    // After Stop: no serving row, Serve again on the config and above the "serving" section.
    const after = await viewRow('deploy.qeff.json', c => !servingRow(c));
    assert.strictEqual(after.contextValue, 'qeffConfig:servable');
    const titles = await lensTitles(config);
    assert.strictEqual(titles.at(-1), '$(radio-tower) Serve');
    assert.ok(!titles.includes('$(debug-stop) Stop Serving'), titles.join(' | '));
  });

  test('while nothing is served: the config offers Serve (lens and view) and shows no serving row', async () => {
    const row = await viewRow('deploy.qeff.json', () => true);
    assert.strictEqual(row.contextValue, 'qeffConfig:servable');
    assert.strictEqual(servingRow(row), undefined);
    assert.strictEqual((await lensTitles(config)).filter(t => t === '$(radio-tower) Serve').length, 1);
  });

  test('the view and the lenses follow the session live: starting (Stop only), then ready, then gone', async () => {
    // An interpreter that waits for a gate file before it runs python3: the session stays in "starting" until the test opens it.
    const gate = path.join(dir(), 'gate');
    const python = path.join(dir(), 'gated-python.sh');
    fs.writeFileSync(python, `#!/bin/sh\nwhile [ ! -e '${gate}' ]; do sleep 0.05; done\nexec python3 "$@"\n`, { mode: 0o755 });
    await vscode.workspace.getConfiguration('qeffDisagg').update('pythonPath', python, vscode.ConfigurationTarget.Global);
    try {
      // As the view's inline action calls it: with the node (configUri), not a Uri.
      const serving = vscode.commands.executeCommand('qeffDisagg.serve', { configUri: config });
      const starting = servingRow(await viewRow('deploy.qeff.json', c => servingRow(c)));
      assert.deepStrictEqual([starting.description, starting.contextValue], [`starting · http://127.0.0.1:${api}/v1`, 'qeffServing:starting']);
      const titles = await lensTitles(config);
      assert.deepStrictEqual(titles.slice(-2), [`$(loading~spin) starting · http://127.0.0.1:${api}/v1`, '$(debug-stop) Stop Serving']);
      assert.ok(!titles.includes('$(radio-tower) Serve'), 'no Serve while it starts');
      fs.writeFileSync(gate, '');
      assert.ok(await serving, 'ready');
      await viewRow('deploy.qeff.json', c => (servingRow(c) || {}).contextValue === 'qeffServing:ready');
      await vscode.commands.executeCommand('qeffDisagg.stopServing');
      await viewRow('deploy.qeff.json', c => !servingRow(c));
    } finally {
      await vscode.commands.executeCommand('qeffDisagg.stopServing');
      await vscode.workspace.getConfiguration('qeffDisagg').update('pythonPath', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('the serve task (step "serve"): the same session, ready when the endpoint answers; terminating it stops qaic_disagg', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'qeff-disagg' });
    const serveTasks = tasks.filter(t => t.definition.step === 'serve');
    const task = serveTasks.find(t => t.definition.config === 'serving/deploy.qeff.json');
    assert.ok(task, `tasks: ${tasks.map(t => t.name).join(', ')}`);
    assert.strictEqual(task.definition.stage, undefined);
    assert.ok(task.isBackground, 'a background task');
    assert.ok(!serveTasks.some(t => t.definition.config === 'runner/pair.qeff.json'), 'no serve task for a config without "serving"');
    const endOf = (name, event) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`task ${name} did not end`)), 60000);
      const sub = vscode.tasks[event](e => {
        if (e.execution.task.name === name) { clearTimeout(timer); sub.dispose(); resolve(e.exitCode); }
      });
    });
    const ended = endOf(task.name, 'onDidEndTask');
    const execution = await vscode.tasks.executeTask(task);
    const row = servingRow(await viewRow('deploy.qeff.json', c => (servingRow(c) || {}).contextValue === 'qeffServing:ready'));
    assert.strictEqual(row.description, `ready · http://127.0.0.1:${api}/v1`);
    const pid = JSON.parse(fs.readFileSync(path.join(dir(), 'qaic_disagg_fake.json'), 'utf8')).pid;
    assert.ok(groupMembers(pid).length >= 4, 'launcher, KV handoff and two instances');
    execution.terminate();
    await ended;
    await viewRow('deploy.qeff.json', c => !servingRow(c));
    assert.deepStrictEqual(await groupMembersAfterStop(pid), [], 'terminating the task stopped the whole group');
    assert.strictEqual(await vscode.commands.executeCommand('qeffDisagg.stopServing'), undefined, 'no session left');

    // A launcher that exits by itself ends its task with exit code 1.
    const cfg = JSON.parse(fs.readFileSync(config.fsPath, 'utf8'));
    cfg.serving.extraArgs = ['--router-policy', 'bogus'];
    fs.writeFileSync(path.join(dir(), 'task-exit.qeff.json'), JSON.stringify(cfg, null, 2));
    const failing = (await vscode.tasks.fetchTasks({ type: 'qeff-disagg' }))
      .find(t => t.definition.step === 'serve' && t.definition.config === 'serving/task-exit.qeff.json');
    assert.ok(failing, 'a serve task for the new config');
    const exit = endOf(failing.name, 'onDidEndTaskProcess');
    await vscode.tasks.executeTask(failing);
    assert.strictEqual(await exit, 1);
    await vscode.commands.executeCommand('qeffDisagg.stopServing'); // clears the failed row
  });

  test('a launcher that exits early gives no endpoint and leaves nothing running', async () => {
    const cfg = JSON.parse(fs.readFileSync(config.fsPath, 'utf8'));
    cfg.serving.extraArgs = ['--router-policy', 'bogus']; // argparse refuses it: exit 2 before serving
    const bad = vscode.Uri.file(path.join(dir(), 'early-exit.qeff.json'));
    fs.writeFileSync(bad.fsPath, JSON.stringify(cfg, null, 2));
    // The command builds (the config and QPCs are fine): what fails is the launcher.
    assert.match(await vscode.commands.executeCommand('qeffDisagg.showServeCommand', bad), /--router-policy bogus/);
    assert.strictEqual(await vscode.commands.executeCommand('qeffDisagg.serve', bad), undefined);
    // The view and the lens show the failure with argparse's error line (the double's parser refuses the choice).
    const failed = servingRow(await viewRow('early-exit.qeff.json', c => servingRow(c)));
    assert.strictEqual(failed.contextValue, 'qeffServing:failed');
    assert.match(failed.description, /^failed: qaic_disagg: error: argument --router-policy\/-r: invalid choice: 'bogus'/);
    assert.ok((await lensTitles(bad)).includes(`$(error) ${failed.description}`));
    assert.strictEqual(await vscode.commands.executeCommand('qeffDisagg.stopServing'), undefined, 'no session left');
    await viewRow('early-exit.qeff.json', c => !servingRow(c)); // Stop Serving clears the failure
    assert.strictEqual(await new Promise(resolve => {
      const s = net.createServer().once('error', () => resolve(false));
      s.listen(api, '0.0.0.0', () => s.close(() => resolve(true)));
    }), true, 'the API port is free');
  });

  test('Save Serve Script writes <config>.serve.sh once and never overwrites it', async () => {
    const saved = await vscode.commands.executeCommand('qeffDisagg.saveServeScript', config);
    const target = path.join(dir(), 'deploy.serve.sh');
    assert.strictEqual(saved.fsPath, target);
    const body = fs.readFileSync(target, 'utf8');
    assert.match(body, /^#!\/bin\/sh\n/);
    assert.match(body, /\nexec python3 -m qaic_disagg --model openai\/gpt-oss-20b /);
    fs.writeFileSync(target, 'mine\n');
    assert.strictEqual(await vscode.commands.executeCommand('qeffDisagg.saveServeScript', config), undefined);
    assert.strictEqual(fs.readFileSync(target, 'utf8'), 'mine\n');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
