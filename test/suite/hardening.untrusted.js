// Issue 9, point 12, in an untrusted workspace: a qeff-disagg task's execution itself refuses to run
// (Restricted Mode is not the only guard), without starting Python.
'use strict';
const assert = require('assert');
const vscode = require('vscode');

suite('hardening, untrusted (issue 9)', () => {
  test("a qeff-disagg task's execution refuses in an untrusted workspace", async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    await vscode.extensions.getExtension('qeff-disagg.qeff-disagg').activate();
    const tasks = await vscode.tasks.fetchTasks({ type: 'qeff-disagg' });
    const task = tasks.find(t => t.definition.config.endsWith('pair.qeff.json') && t.definition.step === 'export');
    assert.ok(task, `a task for pair.qeff.json (${tasks.map(t => t.name).join(', ')})`);
    // What the task system calls when it runs the task: the custom execution's callback.
    const pty = await task.execution.callback(task.definition);
    const written = [];
    pty.onDidWrite(s => written.push(s));
    const code = await new Promise(resolve => { pty.onDidClose(resolve); pty.open(undefined); });
    assert.strictEqual(code, 1);
    assert.match(written.join(''), /not trusted: qeff-disagg runs nothing here/);
  });
});
