// Helpers shared by the extension-host suites (loaded by them, not a suite itself).
'use strict';
const vscode = require('vscode');

const sleep = ms => new Promise(r => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; fails with `what` after `ms`. */
/** Polls fn until it returns a truthy value; `what` may be a function, to describe the last state seen. */
async function waitFor(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await sleep(50);
  }
}

const ws = () => vscode.workspace.workspaceFolders[0].uri.fsPath;
const codeOf = d => (typeof d.code === 'object' ? d.code.value : d.code);

module.exports = { sleep, waitFor, ws, codeOf };
