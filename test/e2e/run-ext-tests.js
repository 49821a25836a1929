// Runs mocha integration tests INSIDE code-server's (remote, Node 24) extension host, the way
// @vscode/test-electron does with --extensionDevelopmentPath/--extensionTestsPath:
//  - server started with the smoke-test driver (built workbenches ignore the URL payload otherwise);
//  - workbench opened with ?payload=[[extensionDevelopmentPath, vscode-remote://...],[extensionTestsPath, ...],
//    [extensionEnvironment, {...}]];
//  - when the runner's run() settles, the workbench calls window.codeAutomationExit(code, logs).
// Output: the mocha report (mirrored to a file by test/suite/index.js), ending with the plain line
// `ext-tests: N passed, N failed`; the exit code is the suite's (0 all passed, 1 otherwise).
//
// Env:
//   EXT_DEV_PATH          extension folder under test (default: the repository root)
//   EXT_TESTS_PATH        runner module (default: test/suite/index.js)
//   EXT_TESTS_FIXTURE     folder copied to <run>/ws before the start (the default workspace)
//   EXT_TESTS_WORKSPACE   folder (or *.code-workspace) to open instead of <run>/ws
//   EXT_TESTS_TRUST       'enabled' keeps workspace trust on: the workspace then opens UNTRUSTED
//                         (vscode.workspace.isTrusted false; dialogs are skipped in test mode). Default:
//                         --disable-workspace-trust, the workspace is trusted.
//   EXT_TESTS_RUN_NAME    run dir name under .vscode-test/runs/ (default ext-tests)
//   EXT_TESTS_TIMEOUT_MS  overall timeout (default 300000)
//   MOCHA_GREP            only tests whose full title matches (read by the runner)
//   VERBOSE=1             forward the workbench/extension-host console to stdout
'use strict';
const fs = require('fs');
const path = require('path');
const util = require('util');
const L = require('./lib');

const DEV = path.resolve(process.env.EXT_DEV_PATH || L.ROOT);
const TESTS = path.resolve(process.env.EXT_TESTS_PATH || path.join(L.ROOT, 'test/suite/index.js'));
const TIMEOUT = Number(process.env.EXT_TESTS_TIMEOUT_MS || 300000);

function closingLine(text) {
  return /^ext-tests: \d+ passed, \d+ failed/m.test(text || '');
}

(async () => {
  L.checkInstalled();
  const RUN = L.freshDir(process.env.EXT_TESTS_RUN_NAME || 'ext-tests');
  const defaultWs = path.join(RUN, 'ws');
  if (process.env.EXT_TESTS_FIXTURE) {
    const fixture = path.resolve(process.env.EXT_TESTS_FIXTURE);
    if (!fs.statSync(fixture).isDirectory()) throw new Error(`EXT_TESTS_FIXTURE is not a folder: ${fixture}`);
    fs.cpSync(fixture, defaultWs, { recursive: true });
  }
  fs.mkdirSync(defaultWs, { recursive: true });
  const WS = path.resolve(process.env.EXT_TESTS_WORKSPACE || defaultWs);
  if (!fs.existsSync(WS)) throw new Error(`EXT_TESTS_WORKSPACE does not exist: ${WS}`);
  L.seedSettings(path.join(RUN, 'user-data'));
  const report = path.join(RUN, 'mocha-report.txt');
  const T0 = Date.now();
  // The extension host inherits this environment: python3 then finds the test double of QEfficient.
  const cs = await L.startCodeServer({ runDir: RUN, folder: WS, smokeDriver: true, env: L.fakeQefficientEnv(RUN),
    disableWorkspaceTrust: process.env.EXT_TESTS_TRUST !== 'enabled' });
  let ctx, code = 1, res;
  try {
    ctx = await L.launchBrowser(path.join(RUN, 'chromium-profile'));
    const page = ctx.pages()[0] || await ctx.newPage();
    const consoleLines = [];
    page.on('console', async msg => {
      // extension-host console.* arrives as console.log('%c INFO', 'color: …', ...originalArgs)
      let line;
      try {
        const a = await Promise.all(msg.args().map(x => x.jsonValue()));
        line = typeof a[0] === 'string' && a[0].startsWith('%c') ? util.format(...a.slice(2)) : msg.text();
      } catch { line = msg.text(); }
      consoleLines.push(`${msg.type()}: ${line}`);
      if (process.env.VERBOSE) console.log(line);
    });
    let done; const finished = new Promise(r => (done = r));
    // must exist before the workbench loads: it calls it once the runner's promise settles
    await page.exposeFunction('codeAutomationExit', (exitCode, logs) => done({ exitCode, logs }));
    await page.goto(L.workbenchUrl(cs, WS, [
      ['extensionDevelopmentPath', L.remoteUri(cs, DEV)],
      ['extensionTestsPath', L.remoteUri(cs, TESTS)],
      // process.env of the extension host (like test-electron's extensionTestsEnv)
      ['extensionEnvironment', JSON.stringify({ MOCHA_REPORT_FILE: report })],
    ]));
    let timer;
    res = await Promise.race([finished, new Promise(r => (timer = setTimeout(() => r({ exitCode: 'timeout' }), TIMEOUT)))]);
    clearTimeout(timer);
    fs.writeFileSync(path.join(RUN, 'browser-console.log'), consoleLines.join('\n'));
    code = typeof res.exitCode === 'number' ? res.exitCode : 1;
  } finally {
    if (ctx) await ctx.close().catch(() => {});
    await L.stopCodeServer(cs);
  }
  const text = fs.existsSync(report) ? fs.readFileSync(report, 'utf8') : '';
  console.log(`extension host tests exit code: ${res && res.exitCode} (${Date.now() - T0} ms incl. server start` +
    ` ${cs.listenMs} ms, browser and stop; run dir ${path.relative(L.ROOT, RUN)})`);
  process.stdout.write(text);
  if (!closingLine(text)) {
    // the runner never got to its summary (load error, crash, timeout): keep the closing line shape for CI
    console.log(`no mocha summary (see ${path.relative(L.ROOT, RUN)}/browser-console.log and user-data/logs)`);
    console.log('ext-tests: 0 passed, 1 failed');
    if (!code) code = 1;
  } else if (code === 0 && !/^ext-tests: [1-9]\d* passed, 0 failed/m.test(text)) {
    // never report success with failures in the summary, nor for a run that ran nothing (a filter that
    // matches no test, a suffix that finds no file)
    console.log('ext-tests: no test passed or some failed: the run fails');
    code = 1;
  }
  process.exit(code);
})().catch(e => {
  console.error(e && e.stack || e);
  console.log('ext-tests: 0 passed, 1 failed');
  process.exit(1);
});
