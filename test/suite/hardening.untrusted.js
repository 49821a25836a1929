// Issue 9, point 12, in an untrusted workspace: a qeff-disagg task's execution itself refuses to run
// (Restricted Mode is not the only guard), without starting Python.
'use strict';
const assert = require('assert');
const vscode = require('vscode');

const within = (what, p, ms = 10000) => Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms))]);

suite('hardening, untrusted (issue 9)', () => {
  test("a qeff-disagg task's execution refuses in an untrusted workspace", async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    const api = await vscode.extensions.getExtension('qeff-disagg.qeff-disagg').activate();
    // vscode.tasks.fetchTasks does not answer in an untrusted workspace: ask the provider itself.
    const tasks = await within('provideTasks', api.taskProvider.provideTasks());
    const task = tasks.find(t => t.definition.config.endsWith('pair.qeff.json') && t.definition.step === 'export');
    assert.ok(task, `a task for pair.qeff.json (${tasks.map(t => t.name).join(', ')})`);
    // What the task system calls when it runs the task: the custom execution's callback.
    const pty = await within('the execution callback', task.execution.callback(task.definition));
    const written = [];
    pty.onDidWrite(s => written.push(s));
    const code = await within('the terminal closing', new Promise(resolve => { pty.onDidClose(resolve); pty.open(undefined); }));
    assert.strictEqual(code, 1);
    assert.match(written.join(''), /not trusted: qeff-disagg runs nothing here/);
  });
});
